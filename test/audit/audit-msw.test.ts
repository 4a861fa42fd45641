import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import { createKeyApi, keyApiHandlers } from '../../mock-server/msw.js';
import type { Seed } from '../../mock-server/core/seed.js';
import { auditContract } from './audit-contract.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('keyguard audit against the mock through msw (in process)', () => {
  auditContract(async (env, seed) => {
    const base = `https://${env}.api.example.com`;
    server.use(...keyApiHandlers(createKeyApi({ env, seed: seed as Seed }), { baseUrl: base }));
    return { base };
  });
});
