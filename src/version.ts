import { createRequire } from 'node:module';

// Read once from package.json so `keyguard --version` and SARIF never disagree with the release.
// By the package's own name (its exports list package.json): the same from src/ under vitest and dist/src/.
const require = createRequire(import.meta.url);
export const VERSION: string = (require('keyguard/package.json') as { version: string }).version;
