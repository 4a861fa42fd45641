import { z } from 'zod';
import { KEY_TYPES, type KeyType } from './detect/index.js';
import type { RuleId } from './findings.js';
import { RULES } from './rules-meta.js';

const RULE_IDS = Object.keys(RULES) as [RuleId, ...RuleId[]];
const KEY_TYPE_NAMES = KEY_TYPES.map((t) => t.keyType) as [KeyType, ...KeyType[]];

const ENTRY = z.strictObject({
  fingerprint: z.string().regex(/^[0-9a-f]{32}$/, 'expected the 32 hex digits keyguard writes'),
  ruleId: z.enum(RULE_IDS),
  file: z.string(),
  keyType: z.enum(KEY_TYPE_NAMES).optional(),
  redacted: z.string().optional(),
});

/** A baseline file's shape. Its own module, loaded only when a baseline exists, so other scans never load zod. */
export const BASELINE_SCHEMA = z.strictObject({ version: z.literal(1), findings: z.array(ENTRY) });
