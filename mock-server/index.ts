// `keyguard/mock`: the mock key API in process (msw) and over a socket. Needs msw installed;
// `keyguard/mock/server` gives the socket server alone, without msw.
export { createKeyApi, type KeyApi, type KeyApiOptions, type StateStorage, type StoredState } from './key-api.js';
export { keyApiHandlers, DEFAULT_BASE_URL, type HandlerOptions } from './msw.js';
export { startKeyApiServer, type RunningKeyApi, type ServerOptions } from './node.js';
export { createClock, parseDuration, type Clock, type Duration } from './core/clock.js';
export type { JournalEntry } from './core/journal.js';
export { PLAN_LIMITS, type PlanName, type RateLimit } from './core/rate-limit.js';
export { PERMISSIONS, type Permission } from './core/scopes.js';
export type { Seed } from './core/seed.js';
