export { detect, type DetectOptions, type KeyMatch } from './keys.js';
export { KEY_TYPES, COMMON_PREFIX, MIN_BODY_LENGTH, PUBLISHED_EXAMPLE_KEYS, keyTypeOf, prefixOf, publishedIn, type KeyType } from './key-types.js';
export { isPlaceholderBody } from './placeholder.js';
export { LineIndex, type Position } from './position.js';
export { IGNORE_MARKER, IGNORE_NEXT_LINE_MARKER } from './suppression.js';
export { isSecretEnvFile } from './env-file.js';
export type { FileFacts, TextInput } from './facts.js';
export type { FileHit, FileRule, ScanRuleId, TextHit, TextRule } from './rule.js';
export { judgeFile, judgeText, wantsFacts } from './rules.js';
