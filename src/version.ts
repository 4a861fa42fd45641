/**
 * The release version, as a constant: `keyguard --version`, SARIF's tool version and the ESLint
 * plugin's meta read it without reading package.json at load (formatters do no I/O).
 * test/architecture/version.test.ts fails when it differs from package.json's.
 */
export const VERSION = '0.1.0';
