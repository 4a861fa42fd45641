// Programmatic API: importing this module has no side effects.
export { detect, isSecretEnvFile, KEY_TYPES, type FileFacts, type KeyMatch, type KeyType } from './detect/index.js';
export { redact, fingerprint, type Finding, type RuleId } from './findings.js';
export { RULES } from './rules-meta.js';
export { scan, failsAt, type FailOn, type ScanOptions, type ScanResult, type ScanSummary } from './scan.js';
export { formatReport, FORMATS, type Format, type ReportOptions } from './report/index.js';
export type { PlacedFragment, ScanStats, Source, SourceItem } from './sources/source.js';
