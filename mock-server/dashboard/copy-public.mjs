// Puts the dashboard's static files next to its compiled scripts, so dist/ holds all that `keyguard serve` serves.
import { cpSync } from 'node:fs';

cpSync(new URL('./public/', import.meta.url), new URL('../../dist/mock-server/dashboard/public/', import.meta.url), {
  recursive: true,
});
