// The JSON the public API sends, as the dashboard reads it: derived from the zod schemas that
// validate and document the API (mock-server/schemas.ts, usage.ts), so there is one source for
// each shape. Through the build's declarations, as audit-rules.d.ts does: type-only, nothing
// of the server reaches the page.
import type { z } from 'zod';
import type * as S from '../../../dist/mock-server/schemas.js';
import type { AlertsReport } from '../../../dist/mock-server/alerts.js';
import type { KeyEvent as Event } from '../../../dist/mock-server/core/events.js';
import type { UsageReport } from '../../../dist/mock-server/usage.js';

export type ApiKey = z.infer<typeof S.ApiKey>;

export type Environment = ApiKey['environment'];

export type KeyList = z.infer<typeof S.ApiKeyList>;

/** Create and regenerate: the only two responses that carry the full key. */
export type IssuedKey = z.infer<typeof S.NewApiKey>;

/** `GET /v1/usage` (admin:*), computed from the server's request journal on the server's clock. */
export type Usage = UsageReport;

/** One window of `GET /v1/usage`: totals and equal slices, oldest first; the last slice ends now. */
export type UsageWindow = Usage['last_hour'];

/** `GET /v1/alerts` (keyguard's extension): the last 24 hours, on the server's clock. */
export type Alerts = AlertsReport;

/** Who an alert is about: the key's id and name when the mock knows it, the prefix presented. */
export type AlertKey = Pick<Alerts['spikes'][number], 'key_id' | 'prefix' | 'name'>;

/** One event of `GET /v1/events` (keyguard's extension). */
export type KeyEvent = Event;
