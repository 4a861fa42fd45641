import type { AuditRuleId } from './audit/rules.js';
import type { KeyType, ScanRuleId } from './detect/index.js';
import { COMMON_PREFIX, KEY_TYPES, MIN_BODY_LENGTH } from './detect/key-types.js';
import { sha256Hex } from './sha256.js';

/** What `keyguard scan` finds in files: the rules of src/detect/. */
export type { ScanRuleId } from './detect/index.js';

/** Every rule: the scan's, and `keyguard audit`'s over the key API. */
export type RuleId = ScanRuleId | AuditRuleId;

/** Errors are leaks and exposures; warnings are hygiene (`--fail-on live` does not fail on them). */
export type Severity = 'error' | 'warning';

/** The key an audit finding is about, as the key API lists it: id, name and display prefix, never the key. */
export interface ApiKeyRef {
  id: string;
  name: string;
}

/** What `scan --verify` learnt of a key: it authenticates, it is refused (401), or the API could not tell. */
export type Verification = 'live' | 'inactive' | 'unknown';

/** A flat, serialisable finding. It never holds a full key: see `redact` and `secretOf`. */
export interface Finding {
  ruleId: RuleId;
  severity: Severity;
  /** A path relative to the current directory; for an audit finding, the key's path in the key API (`api-keys/<id>`). */
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  keyType?: KeyType;
  redacted?: string;
  /** The source line with the key masked, for code frames. */
  snippet?: string;
  /** Where the redacted key starts in `snippet` (0-based). */
  snippetColumn?: number;
  fingerprint: string;
  commit?: string;
  author?: string;
  date?: string;
  verified?: Verification;
  /** Audit findings: the key in the key API this is about (its prefix is in `redacted`). */
  apiKey?: ApiKeyRef;
  /** Why, when the rule alone does not say it: audit findings name dates and permissions. */
  reason?: string;
}

/** Characters of the body shown on each side of the ellipsis. */
const SHOWN_HEAD = 4;
const SHOWN_TAIL = 3;

/** `sk_live_4eC3…7dc`: the prefix, a few characters and an ellipsis. The one place a key is shortened. */
export function redact(key: string): string {
  const prefix = KEY_TYPES.find((t) => key.startsWith(t.prefix))?.prefix ?? '';
  const body = key.slice(prefix.length);
  if (body.length <= SHOWN_HEAD + SHOWN_TAIL) return `${prefix}…`;
  return `${prefix}${body.slice(0, SHOWN_HEAD)}…${body.slice(-SHOWN_TAIL)}`;
}

/**
 * Stable across runs, line moves, CRLF/LF and operating systems: rule + POSIX path + the
 * key itself (hashed), never a line number, so baselines survive edits.
 */
export function fingerprint(ruleId: RuleId, file: string, key = ''): string {
  const path = file.replace(/\\/g, '/');
  return sha256Hex(`${ruleId}\0${path}\0${key}`).slice(0, 32);
}

// The full key stays in the process, reachable only through this map, so no
// serialisation of a finding can ever contain it (verification needs it).
const secrets = new WeakMap<Finding, string>();

export function attachSecret(finding: Finding, key: string): Finding {
  secrets.set(finding, key);
  return finding;
}

export function secretOf(finding: Finding): string | undefined {
  return secrets.get(finding);
}

/**
 * Where a key-shaped run starts: a prefix anywhere (no word boundary: `xsk_test_…`, `key_sk_test_…`,
 * `9sk_test_…`), then, looked at without consuming it, the body characters after it, in segments
 * split by `/`. A lookahead, so a prefix inside a short run (`sk_test_sk_test_…`) is still found.
 * Linear: a run holds no `_`, so no prefix, and runs never overlap.
 */
const KEY_RUN = new RegExp(`(${KEY_TYPES.map((t) => t.prefix).join('|')})(?=([A-Za-z0-9]+(?:/[A-Za-z0-9]+)*))`, 'g');

/**
 * The one redactor for text that leaves the process: reports, errors, logs, the mock's journal and
 * problem bodies. Every key-shaped run, wherever it sits, becomes `sk_test_AbCd…xyz`, placeholders
 * included (text that may echo what anyone sent is no place to judge what is a real key). A run is
 * a prefix and at least 16 body characters; while it is shorter, it goes on across `/`, so a key
 * split over path segments is still masked whole, and a path after a whole key stays readable.
 */
export function redactText(text: string): string {
  // Most texts (every request path the mock journals) hold no prefix at all: skip the regex pass.
  if (!text.includes(COMMON_PREFIX)) return text;
  let out = '';
  let done = 0;
  for (const match of text.matchAll(KEY_RUN)) {
    // Inside a run already masked.
    if (match.index < done) continue;
    const [, prefix = '', run = ''] = match;
    const segments = run.split('/');
    let body = segments[0] ?? '';
    let length = body.length;
    for (let next = 1; body.length < MIN_BODY_LENGTH && next < segments.length; next++) {
      body += segments[next];
      length += 1 + (segments[next]?.length ?? 0);
    }
    if (body.length < MIN_BODY_LENGTH) continue;
    out += text.slice(done, match.index) + redact(prefix + body);
    done = match.index + prefix.length + length;
  }
  return done === 0 ? text : out + text.slice(done);
}
