// Puts the dashboard's static files next to its compiled scripts, so dist/ holds all that `keyguard serve` serves.
import { copyFileSync, cpSync } from 'node:fs';

cpSync(new URL('./public/', import.meta.url), new URL('../../dist/mock-server/dashboard/public/', import.meta.url), {
  recursive: true,
});

// The audit's rules, compiled once for the CLI, are served as they are: one module judges keys
// in `keyguard audit` and in the dashboard's badges (it imports nothing, an architecture rule).
copyFileSync(new URL('../../dist/src/audit/rules.js', import.meta.url), new URL('../../dist/mock-server/dashboard/public/audit-rules.js', import.meta.url));
