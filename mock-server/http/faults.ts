import type { Context } from 'hono';
import type { DomainError } from '../core/errors.js';
import type { Fault } from '../core/faults.js';
import type { Connection } from './app-deps.js';
import type { AppContext, AppEnv } from './app-env.js';
import { httpError, INJECTED_FAULT_KINDS, type ErrorKind } from './error-table.js';
import { presentedKeyId } from './presented-key.js';

/**
 * The answer of an armed fault that matches this request, after its delay on the mock's clock:
 * a dropped connection, its status, or (a delay alone) undefined: the request then runs as usual.
 * A faulted request never reaches the routes, so it changes no state and uses no quota.
 */
export async function applyFault(c: Context<AppEnv>, deps: AppContext, connection: Connection | undefined): Promise<Response | undefined> {
  const keyId = deps.faults.needsKey ? (presentedKeyId(c.req.raw.headers, deps.state().keys) ?? null) : undefined;
  const fault = deps.faults.take({ method: c.req.method, path: c.req.path, key_id: keyId }, deps.clock.now());
  if (!fault) return undefined;
  c.set('fault', fault.id);
  if (fault.delay_ms > 0) await deps.scheduler.sleep(fault.delay_ms);
  if (fault.drop) {
    c.set('outcome', 'connection_dropped');
    if (!connection?.drop) return Response.error(); // msw: the client's fetch rejects
    connection.drop();
    // Nothing reaches the client: the socket is gone.
    return new Response(null, { status: 500 });
  }
  if (fault.status !== null) throw injectedFault(fault);
  return undefined;
}

const WHAT: Record<number, string> = {
  500: 'an internal server error',
  502: 'a bad gateway',
  503: 'the service being unavailable',
  429: 'too many requests',
};

function injectedFault(fault: Fault): DomainError<ErrorKind> {
  const status = fault.status as keyof typeof INJECTED_FAULT_KINDS;
  const wait = fault.retry_after === null ? 'retry with backoff' : `retry after ${fault.retry_after} seconds`;
  return httpError(
    INJECTED_FAULT_KINDS[status],
    'injected_fault',
    `Fault ${fault.id} (armed through /__keyguard/faults) answers this request with ${WHAT[status]}: ${wait}.`,
    fault.retry_after === null ? { fault_id: fault.id } : { fault_id: fault.id, retry_after: fault.retry_after },
  );
}
