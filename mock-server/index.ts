// `keyguard/mock`: the mock key API in process (msw) and over a socket. Needs msw installed;
// `keyguard/mock/server` gives the socket server alone, without msw.
export { createKeyApi, type KeyApi, type KeyApiOptions, type StateStorage, type StoredState } from './key-api.js';
export { keyApiHandlers, DEFAULT_BASE_URL, type HandlerOptions } from './msw.js';
import type { RunningKeyApi, ServerOptions } from './node.js';
export type { RunningKeyApi, ServerOptions } from './node.js';

/**
 * The mock over a real socket (see `keyguard/mock/server`). The Node adapter and its HTTP server
 * load on the first call, so suites that only use the msw handlers never pay for them at import.
 */
export async function startKeyApiServer(options?: ServerOptions): Promise<RunningKeyApi> {
  const { startKeyApiServer: start } = await import('./node.js');
  return start(options);
}
export { createClock, parseDuration, type Clock, type Duration } from './core/clock.js';
export type { JournalEntry } from './core/journal.js';
export { PLAN_LIMITS, type PlanName, type RateLimit } from './core/rate-limit.js';
export { PERMISSIONS, type Permission } from './core/scopes.js';
export type { Seed } from './core/seed.js';
export type { EventType, KeyEvent } from './core/events.js';
export type { Fault, FaultSpec } from './core/faults.js';
export type { DeliveryAttempt } from './webhooks/sender.js';
/** Checks a webhook delivery's Standard Webhooks signature, as a receiver under test would. */
export { verify as verifyWebhook } from './webhooks/signature.js';
