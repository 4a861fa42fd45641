import { createRequire } from 'node:module';

// Read once from package.json so `keyguard --version` and SARIF never disagree with the release.
const require = createRequire(import.meta.url);
export const VERSION: string = (require('../../package.json') as { version: string }).version;
