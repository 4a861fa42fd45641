import type { EmittedFile } from './emitted.js';
import { findLeaks } from './leaks.js';
import { leakMessage, type LeakGroup, type TracedLeak } from './message.js';
import type { Policy } from './options.js';
import { originOf, type OriginContext } from './origin.js';

/** What the build must say: an error fails it, a warning is shown. Both undefined for a clean build. */
export interface Verdict {
  error?: string;
  warning?: string;
}

/**
 * Emitted files → keys (the one detector) → the policy (allow list, failOn) → traced to their
 * sources → messages. A key a vendor published as a documentation example is no one's secret
 * (the scan's `published-example-key`, a warning): it is shown, never fails the build.
 */
export function checkOutput(files: Iterable<EmittedFile>, policy: Policy, context: OriginContext): Verdict {
  const groups: Record<LeakGroup, TracedLeak[]> = { failing: [], tolerated: [], published: [] };
  for (const leak of findLeaks(files)) {
    if (policy.allowKey(leak.match.key)) continue;
    const group = leak.match.publishedIn ? 'published' : policy.fails(leak.match.keyType) ? 'failing' : 'tolerated';
    groups[group].push({ leak, origin: originOf(leak, context) });
  }
  const warnings = (['tolerated', 'published'] as const).filter((group) => groups[group].length > 0).map((group) => leakMessage(groups[group], group));
  return {
    ...(groups.failing.length > 0 && { error: leakMessage(groups.failing, 'failing') }),
    ...(warnings.length > 0 && { warning: warnings.join('\n') }),
  };
}
