import { z } from '@hono/zod-openapi';
import { KEY_TYPES, type KeyType } from '../src/detect/key-types.js';
import { instantField, permissionField, planField, rateLimitField } from './core/fields.js';

/**
 * Request and response schemas of the key API. Requests are validated with them and the
 * OpenAPI document is generated from them, so the two cannot disagree. Objects are strict:
 * an unknown request field is an error, and an undocumented response field fails the
 * contract tests.
 */
const environment = z.enum(KEY_TYPES.map((t) => t.keyType) as [KeyType, ...KeyType[]]).openapi({ description: 'live, sandbox or test' });
const timestamp = z.string().openapi({ format: 'date-time', example: '2025-10-14T10:30:00Z' });
// Copies: the core made these before @hono/zod-openapi (loaded with the app, on first use) gave
// zod its `.openapi()`, and zod gives a schema only the methods there were when it was made.
const Permission = permissionField.clone().openapi('Permission');
const RateLimit = rateLimitField.clone().openapi('RateLimit');

/** `{data: [...]}`, the seed's list shape. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.strictObject({ data: z.array(item) });
}

export const IdParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

const autoRenew = z.boolean().openapi({
  description:
    "keyguard's extension of the seed's Enterprise auto-renewal: the key is renewed a day before it expires (same key, expires_at one term later), with key.expiring 30 days ahead and key.renewed at renewal. Enterprise plan only (422 otherwise).",
  'x-keyguard-extension': true,
});

const keyFields = {
  id: z.string().openapi({ example: 'key_123' }),
  name: z.string(),
  description: z.string().nullable(),
  prefix: z.string().openapi({ description: 'The start of the key, for identification; the full key is never shown again.', example: 'sk_live_abc...' }),
  environment,
  permissions: z.array(Permission),
  plan: planField,
  rate_limit: RateLimit,
  active: z.boolean(),
  created_at: timestamp,
  expires_at: timestamp.nullable(),
  last_used: timestamp.nullable(),
  usage: z
    .strictObject({ requests_today: z.int(), requests_this_month: z.int(), requests_total: z.int() })
    .openapi('KeyUsage'),
  permissions_used: z
    .array(z.strictObject({ permission: Permission, last_used: timestamp }))
    .openapi('PermissionsUsed', {
      description:
        "keyguard's extension, not in the seed documents: each permission that a successful request of this key needed, with the last time it did. `admin:*` appears only for requests that needed it (key management, usage). `keyguard audit` reports permissions granted but not used over its window.",
      'x-keyguard-extension': true,
    }),
  auto_renew: autoRenew,
};

export const ApiKey = z.strictObject(keyFields).openapi('ApiKey');

export const NewApiKey = z
  .strictObject({ ...keyFields, key: z.string().openapi({ description: 'The full key. Shown in this response only: store it now.', example: 'sk_live_xyz789...' }) })
  .openapi('NewApiKey');

export const ApiKeyList = z.strictObject({ data: z.array(ApiKey) }).openapi('ApiKeyList');

const name = z.string().min(1).max(200);
const description = z.string().max(1000).nullable();

export const CreateApiKey = z
  .strictObject({
    name,
    description: description.optional(),
    permissions: z.array(Permission).optional().openapi({ description: 'Defaults to tasks:read, projects:read, users:read.' }),
    expires_at: instantField.nullable().optional(),
    environment: environment.optional().openapi({ description: "Must be the server's own environment when given." }),
    plan: planField.optional().openapi({ description: "Defaults to the server's plan." }),
    rate_limit: RateLimit.optional().openapi({ description: 'Custom limits; enterprise plan only.' }),
    auto_renew: autoRenew.optional(),
  })
  .openapi('CreateApiKey');

export const UpdateApiKey = z
  .strictObject({
    name: name.optional(),
    description: description.optional(),
    permissions: z.array(Permission).optional(),
    expires_at: instantField.nullable().optional(),
    active: z.boolean().optional(),
    auto_renew: autoRenew.optional(),
  })
  .openapi('UpdateApiKey');

const window = z.strictObject({ limit: z.int(), remaining: z.int(), reset: z.int(), reset_at: timestamp });

export const RateLimitStatus = z
  .strictObject({
    limit: z.int(),
    remaining: z.int(),
    reset: z.int().openapi({ description: 'End of the hourly window, epoch seconds.' }),
    reset_at: timestamp,
    plan: planField,
    minute: window.openapi('RateLimitWindow'),
  })
  .openapi('RateLimitStatus');

export const Deleted = z.strictObject({ id: z.string(), deleted: z.literal(true) }).openapi('Deleted');

const fieldError = z.strictObject({ field: z.string(), message: z.string() });

export const Problem = z
  .strictObject({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    message: z.string().openapi({ description: 'Same as detail, for clients that read error.message.' }),
    code: z.string().openapi({ description: 'Stable machine-readable cause, such as expired_api_key.' }),
    instance: z.string(),
    required: z.array(Permission).optional(),
    granted: z.array(Permission).optional(),
    errors: z.array(fieldError).optional(),
    key_id: z.string().optional(),
    key_environment: environment.optional(),
    server_environment: environment.optional(),
    allowed: z.array(z.string()).optional(),
    host: z.string().optional().openapi({ description: 'On a 421: the host name the request named.' }),
    origin: z.string().nullable().optional().openapi({ description: 'On a cross-origin 403: the Origin the request came from.' }),
    fault_id: z.string().optional().openapi({ description: "On an injected fault (keyguard's extension, test-only): the fault that answered." }),
    retry_after: z.int().optional().openapi({ description: 'On an injected 503 or 429: the seconds Retry-After asks for.' }),
    window: z.enum(['hour', 'minute']).optional().openapi({ description: 'On a 429: the rate-limit window that refused the request.' }),
  })
  .openapi('Problem');

const taskStatus = z.enum(['todo', 'in_progress', 'done']);

export const Task = z
  .strictObject({
    id: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    status: taskStatus,
    project_id: z.string().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi('Task');

export const CreateTask = z
  .strictObject({ title: name, description: description.optional(), status: taskStatus.optional(), project_id: z.string().nullable().optional() })
  .openapi('CreateTask');

export const UpdateTask = CreateTask.partial().openapi('UpdateTask');

export const Project = z
  .strictObject({ id: z.string(), name: z.string(), description: z.string().nullable(), created_at: timestamp, updated_at: timestamp })
  .openapi('Project');

export const CreateProject = z.strictObject({ name, description: description.optional() }).openapi('CreateProject');

export const UpdateProject = CreateProject.partial().openapi('UpdateProject');

const role = z.enum(['member', 'admin']);

export const User = z
  .strictObject({ id: z.string(), name: z.string(), email: z.string(), role, created_at: timestamp, updated_at: timestamp })
  .openapi('User');

export const CreateUser = z.strictObject({ name, email: z.email(), role: role.optional() }).openapi('CreateUser');

export const UpdateUser = CreateUser.partial().openapi('UpdateUser');

export const ClockState = z.strictObject({ now: timestamp }).openapi('ClockState');

export const AdvanceClock = z
  .strictObject({ advance: z.union([z.string(), z.int().min(0)]).openapi({ description: 'A duration such as "1h", "90s", "1h30m", or milliseconds.', example: '1h' }) })
  .openapi('AdvanceClock');

export const ResetDone = z.strictObject({ reset: z.literal(true), now: timestamp }).openapi('ResetDone');

export const JournalEntry = z
  .strictObject({
    seq: z.int(),
    at: timestamp,
    method: z.string(),
    path: z.string(),
    key_id: z.string().nullable(),
    key_prefix: z.string().nullable(),
    permission: z.string().nullable(),
    status: z.int(),
    outcome: z.string(),
    remaining: z.strictObject({ hour: z.int(), minute: z.int() }).nullable(),
    fault: z.string().optional().openapi({ description: "keyguard's extension: the id of the injected fault (/__keyguard/faults) that applied to this request.", 'x-keyguard-extension': true }),
  })
  .openapi('JournalEntry');

export const Journal = z.strictObject({ data: z.array(JournalEntry) }).openapi('Journal');

export const JournalQuery = z.object({
  after: z.coerce.number().int().min(0).optional().openapi({ param: { name: 'after', in: 'query' }, description: 'Only entries with a greater seq.' }),
});
