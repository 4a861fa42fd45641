// Programmatic API: importing this module has no side effects.
export { detect, isSecretEnvFile, KEY_TYPES, type KeyMatch, type KeyType } from './detect/index.js';
export { redact, fingerprint, type Finding, type RuleId } from './findings.js';
export { RULES } from './rules-meta.js';
