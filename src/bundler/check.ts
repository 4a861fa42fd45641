import type { EmittedFile } from './emitted.js';
import { findLeaks } from './leaks.js';
import { leakMessage, type TracedLeak } from './message.js';
import type { Policy } from './options.js';
import { originOf, type OriginContext } from './origin.js';

/** What the build must say: an error fails it, a warning is shown. Both undefined for a clean build. */
export interface Verdict {
  error?: string;
  warning?: string;
}

/** Emitted files → keys (the one detector) → the policy (allow list, failOn) → traced to their sources → messages. */
export function checkOutput(files: Iterable<EmittedFile>, policy: Policy, context: OriginContext): Verdict {
  const failing: TracedLeak[] = [];
  const tolerated: TracedLeak[] = [];
  for (const leak of findLeaks(files)) {
    if (policy.allowKey(leak.match.key)) continue;
    const traced = { leak, origin: originOf(leak, context) };
    (policy.fails(leak.match.keyType) ? failing : tolerated).push(traced);
  }
  return {
    ...(failing.length > 0 && { error: leakMessage(failing, true) }),
    ...(tolerated.length > 0 && { warning: leakMessage(tolerated, false) }),
  };
}
