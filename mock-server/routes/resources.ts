import { createRoute, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { notFound } from '../core/errors.js';
import { createResource, updateResource } from '../core/resources.js';
import { ADMIN, type Permission } from '../core/scopes.js';
import type { MockState } from '../core/state.js';
import type { Collection } from '../core/store.js';
import type { AppContext, AppEnv, KeyApiHono } from '../http/app-env.js';
import { guard } from '../http/guard.js';
import { AUTH_PROBLEMS, CHANGE_PROBLEMS, jsonBody, ok, problems, SECURITY, WRITE_PROBLEMS } from '../http/openapi.js';
import { send } from '../http/respond.js';
import * as S from '../schemas.js';

type Stamped = { id: string; created_at: string; updated_at: string };
type Fields<T> = Partial<Omit<T, keyof Stamped>>;
/** A handler's context once the route's validator has checked the JSON body. */
type ResourceContext<T> = Context<AppEnv, string, { out: { json: Fields<T> } }>;

interface ResourceSpec<T extends Stamped> {
  path: string;
  tag: string;
  idKind: string;
  noun: string;
  item: z.ZodType<T>;
  create: z.ZodType<Fields<T>>;
  update: z.ZodType<Fields<T>>;
  defaults: Omit<T, keyof Stamped>;
  collection: (state: MockState) => Collection<T>;
  read: Permission;
  write: Permission;
  remove: Permission;
}

/** Three small resources exist so that every scope can be exercised: list, create, get, update, delete. */
export function resourceRoutes(app: KeyApiHono, deps: AppContext): void {
  resource(app, deps, {
    path: '/v1/tasks',
    tag: 'Tasks',
    idKind: 'task',
    noun: 'task',
    item: S.Task,
    create: S.CreateTask,
    update: S.UpdateTask,
    defaults: { title: '', description: null, status: 'todo', project_id: null },
    collection: (state) => state.tasks,
    read: 'tasks:read',
    write: 'tasks:write',
    remove: 'tasks:delete',
  });
  resource(app, deps, {
    path: '/v1/projects',
    tag: 'Projects',
    idKind: 'proj',
    noun: 'project',
    item: S.Project,
    create: S.CreateProject,
    update: S.UpdateProject,
    defaults: { name: '', description: null },
    collection: (state) => state.projects,
    read: 'projects:read',
    write: 'projects:write',
    remove: 'projects:delete',
  });
  // The seed defines no users:delete scope: deleting a user is an admin's job.
  resource(app, deps, {
    path: '/v1/users',
    tag: 'Users',
    idKind: 'user',
    noun: 'user',
    item: S.User,
    create: S.CreateUser,
    update: S.UpdateUser,
    defaults: { name: '', email: '', role: 'member' },
    collection: (state) => state.users,
    read: 'users:read',
    write: 'users:write',
    remove: ADMIN,
  });
}

function resource<T extends Stamped>(
  app: KeyApiHono,
  deps: AppContext,
  spec: ResourceSpec<T>,
): void {
  const tags = [spec.tag];
  const one = `${spec.path}/{id}`;
  const items = () => spec.collection(deps.state());
  const find = (id: string): T => {
    const item = items().get(id);
    if (!item) throw notFound(`${spec.noun}_not_found`, `There is no ${spec.noun} ${id}: list them with GET ${spec.path}.`);
    return item;
  };
  // Hono's typed handlers cannot follow a schema chosen at run time; each handler returns the spec's own item schema.
  const route = (config: Parameters<typeof createRoute>[0], handler: (c: ResourceContext<T>) => Response) =>
    app.openapi(createRoute(config), handler as never);

  route(
    {
      method: 'get',
      path: spec.path,
      tags,
      summary: `List ${spec.noun}s (${spec.read})`,
      security: SECURITY,
      middleware: [guard(deps, spec.read)],
      responses: { 200: ok(S.listOf(spec.item), `Every ${spec.noun}`), ...problems(...AUTH_PROBLEMS) },
    },
    (c) => send(c, { data: items().list() }, 200),
  );
  route(
    {
      method: 'post',
      path: spec.path,
      tags,
      summary: `Create a ${spec.noun} (${spec.write})`,
      security: SECURITY,
      middleware: [guard(deps, spec.write)],
      request: { body: jsonBody(spec.create) },
      responses: { 201: ok(spec.item, `The new ${spec.noun}`), ...problems(...WRITE_PROBLEMS) },
    },
    (c) => {
      const fields = c.req.valid('json');
      const item = deps.write(() => createResource(items(), spec.idKind, fields, spec.defaults, deps.clock.now(), deps.random));
      return send(c, item, 201);
    },
  );
  route(
    {
      method: 'get',
      path: one,
      tags,
      summary: `Get a ${spec.noun} (${spec.read})`,
      security: SECURITY,
      middleware: [guard(deps, spec.read)],
      request: { params: S.IdParams },
      responses: { 200: ok(spec.item, `The ${spec.noun}`), ...problems(...AUTH_PROBLEMS, 404) },
    },
    (c) => send(c, find(c.req.param('id') as string), 200),
  );
  route(
    {
      method: 'patch',
      path: one,
      tags,
      summary: `Update a ${spec.noun} (${spec.write})`,
      security: SECURITY,
      middleware: [guard(deps, spec.write)],
      request: { params: S.IdParams, body: jsonBody(spec.update) },
      responses: { 200: ok(spec.item, `The updated ${spec.noun}`), ...problems(...WRITE_PROBLEMS, 404) },
    },
    (c) => {
      const item = find(c.req.param('id') as string);
      const patch = c.req.valid('json');
      const updated = deps.write(() => {
        const changed = updateResource(item, patch, deps.clock.now());
        items().set(changed);
        return changed;
      });
      return send(c, updated, 200);
    },
  );
  route(
    {
      method: 'delete',
      path: one,
      tags,
      summary: `Delete a ${spec.noun} (${spec.remove})`,
      security: SECURITY,
      middleware: [guard(deps, spec.remove)],
      request: { params: S.IdParams },
      responses: { 200: ok(S.Deleted, `The ${spec.noun} is gone`), ...problems(...CHANGE_PROBLEMS) },
    },
    (c) => {
      const item = find(c.req.param('id') as string);
      deps.write(() => items().delete(item.id));
      return send(c, { id: item.id, deleted: true }, 200);
    },
  );
}
