import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext, KeyApiHono } from '../http/app-env.js';
import { CONTROL_SECURITY, plain, problems } from '../http/openapi.js';
import { deliveryAttemptShape } from '../webhooks/sender.js';

const DeliveryLog = z
  .strictObject({ data: z.array(z.strictObject(deliveryAttemptShape).openapi('WebhookDelivery')) })
  .openapi('WebhookDeliveryLog', { 'x-keyguard-extension': true });

/** The webhook delivery log (test-only, behind the control token): every attempt, oldest first. */
export function webhookRoutes(app: KeyApiHono, deps: AppContext): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/__keyguard/webhooks',
      tags: ['Test control (test-only)'],
      security: CONTROL_SECURITY,
      summary: "Webhook delivery attempts since start or reset, oldest first (keyguard's extension)",
      responses: { 200: plain(DeliveryLog, 'The delivery log'), ...problems(403) },
      'x-keyguard-extension': true,
    }),
    (c) => c.json({ data: deps.deliveries() }, 200),
  );
}
