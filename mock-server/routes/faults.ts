import { createRoute, z } from '@hono/zod-openapi';
import { faultShape, faultSpecShape } from '../core/faults.js';
import type { AppContext, KeyApiHono } from '../http/app-env.js';
import { CONTROL_SECURITY, jsonBody, plain, problems } from '../http/openapi.js';

const EXTENSION = { 'x-keyguard-extension': true };
// Made here with zod-openapi's z from the core's shapes: a schema has .openapi() only when made after it is loaded.
const Fault = z.strictObject(faultShape).openapi('Fault');
const FaultList = z.strictObject({ data: z.array(Fault) }).openapi('FaultList');
const FaultSpec = z.strictObject(faultSpecShape).openapi('FaultSpec', {
  description:
    'Which requests (key_id, method, path; a trailing * in path matches any rest; omitted matchers match everything), what happens (status 500, 502, 503 or 429, the last two with Retry-After: retry_after seconds, default 1; delay: a duration of mock time such as "2s", then the status, the drop, or the request as usual; drop: the connection closes without an answer), for how long (count: the next N requests; duration: a window of mock time; neither: the next request).',
});

/**
 * Fault injection for tests (test-only, behind the control token): arm, list and clear faults.
 * The same as `api.faults` in process. Faulted requests are in the journal (their `fault`).
 */
export function faultRoutes(app: KeyApiHono, deps: AppContext): void {
  const tags = ['Test control (test-only)'];
  const now = () => deps.clock.now();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/__keyguard/faults',
      tags,
      security: CONTROL_SECURITY,
      summary: "Arm a fault for matching requests (keyguard's extension)",
      request: { body: jsonBody(FaultSpec) },
      responses: { 201: plain(Fault, 'The armed fault'), ...problems(400, 403, 413, 415, 422) },
      ...EXTENSION,
    }),
    (c) => c.json(deps.faults.add(c.req.valid('json'), now()), 201),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/__keyguard/faults',
      tags,
      security: CONTROL_SECURITY,
      summary: 'The faults still armed, in the order they apply',
      responses: { 200: plain(FaultList, 'Armed faults'), ...problems(403) },
      ...EXTENSION,
    }),
    (c) => c.json({ data: deps.faults.list(now()) }, 200),
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/__keyguard/faults',
      tags,
      security: CONTROL_SECURITY,
      summary: 'Clear every fault',
      responses: { 200: plain(FaultList, 'None left'), ...problems(403) },
      ...EXTENSION,
    }),
    (c) => {
      deps.faults.clear();
      return c.json({ data: [] }, 200);
    },
  );
}
