import type { MiddlewareHandler } from 'hono';
import type { JournalRecord } from '../core/journal.js';
import type { AppDeps } from './app-deps.js';
import type { AppEnv } from './app-env.js';
import { displayPath } from './redact.js';

/** Records every /v1 request in the journal once its response is known. */
export function journalEntry(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const atMs = deps.clock.now();
    await next();
    const key = c.get('key');
    const decision = c.get('decision');
    const entry: JournalRecord = {
      atMs,
      method: c.req.method,
      path: displayPath(c.req.path),
      key_id: key?.id ?? null,
      key_prefix: c.get('credential')?.prefix ?? null,
      permission: c.get('permission') ?? null,
      status: c.res.status,
      outcome: c.get('outcome') ?? 'ok',
      remaining: decision ? { hour: decision.hour.remaining, minute: decision.minute.remaining } : null,
    };
    const fault = c.get('fault');
    if (fault !== undefined) entry.fault = fault;
    deps.journal.record(entry);
  };
}
