import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { notFound } from '../core/errors.js';
import { deleteKey, issueKey, regenerateKey, updateKey } from '../core/key-admin.js';
import { ADMIN } from '../core/scopes.js';
import type { KeyRecord } from '../core/store.js';
import type { AppContext, AppEnv, KeyApiHono } from '../http/app-env.js';
import { guard } from '../http/guard.js';
import { AUTH_PROBLEMS, CHANGE_PROBLEMS, jsonBody, ok, problems, SECURITY, WRITE_PROBLEMS } from '../http/openapi.js';
import { send } from '../http/respond.js';
import * as S from '../schemas.js';
import { keyView, newKeyView } from '../http/views.js';

/** `/v1/api-keys`: create, list, get, update, delete and regenerate keys (`admin:*`). */
export function keyRoutes(app: KeyApiHono, deps: AppContext): void {
  const admin = guard(deps, ADMIN);
  const tags = ['API keys'];
  const now = () => deps.clock.now();
  const caller = (c: Context<AppEnv>) => c.get('key') as KeyRecord;
  const find = (id: string): KeyRecord => {
    const record = deps.state().keys.get(id);
    if (!record) throw notFound('key_not_found', `There is no API key ${id}: list keys with GET /v1/api-keys.`);
    return record;
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/api-keys',
      tags,
      summary: 'Create a key; the full key is in this response only',
      security: SECURITY,
      middleware: [admin],
      request: { body: jsonBody(S.CreateApiKey) },
      responses: { 201: ok(S.NewApiKey, 'The new key, shown once'), ...problems(...WRITE_PROBLEMS) },
    }),
    (c) => {
      const body = c.req.valid('json');
      const { record, key } = deps.write(() => issueKey(deps.state().keys, body, deps.keyContext, caller(c)));
      return send(c, newKeyView(record, key, now()), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/api-keys',
      tags,
      summary: 'List keys (prefix only, never the full key)',
      security: SECURITY,
      middleware: [admin],
      responses: { 200: ok(S.ApiKeyList, 'Every key that is not deleted'), ...problems(...AUTH_PROBLEMS) },
    }),
    (c) => send(c, { data: deps.state().keys.list().map((record) => keyView(record, now())) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/api-keys/{id}',
      tags,
      summary: 'Key details with usage',
      security: SECURITY,
      middleware: [admin],
      request: { params: S.IdParams },
      responses: { 200: ok(S.ApiKey, 'The key'), ...problems(...AUTH_PROBLEMS, 404) },
    }),
    (c) => send(c, keyView(find(c.req.valid('param').id), now()), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/api-keys/{id}',
      tags,
      summary: 'Update name, description, permissions, expiry or active status',
      security: SECURITY,
      middleware: [admin],
      request: { params: S.IdParams, body: jsonBody(S.UpdateApiKey) },
      responses: { 200: ok(S.ApiKey, 'The updated key'), ...problems(...WRITE_PROBLEMS, 404) },
    }),
    (c) => {
      const record = find(c.req.valid('param').id);
      const patch = c.req.valid('json');
      deps.write(() => {
        updateKey(record, patch, deps.keyContext, caller(c));
        deps.state().keys.touch(record);
      });
      return send(c, keyView(record, now()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/api-keys/{id}',
      tags,
      summary: 'Delete (revoke) a key; requests with it fail at once',
      security: SECURITY,
      middleware: [admin],
      request: { params: S.IdParams },
      responses: { 200: ok(S.Deleted, 'The key is gone'), ...problems(...CHANGE_PROBLEMS) },
    }),
    (c) => {
      const record = find(c.req.valid('param').id);
      deps.write(() => deleteKey(deps.state().keys, record, deps.keyContext));
      return send(c, { id: record.id, deleted: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/api-keys/{id}/regenerate',
      tags,
      summary: 'Replace the key: the old one stops working at once, the new one is shown once',
      security: SECURITY,
      middleware: [admin],
      request: { params: S.IdParams },
      responses: { 200: ok(S.NewApiKey, 'The same key id with a new key'), ...problems(...CHANGE_PROBLEMS, 413, 503) },
    }),
    (c) => {
      const record = find(c.req.valid('param').id);
      const key = deps.write(() => regenerateKey(deps.state().keys, record, deps.keyContext));
      return send(c, newKeyView(record, key, now()), 200);
    },
  );
}
