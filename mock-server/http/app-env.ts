import type { OpenAPIHono } from '@hono/zod-openapi';
import type { RateDecision } from '../core/rate-limit.js';
import type { Permission } from '../core/scopes.js';
import type { KeyRecord } from '../core/store.js';
import type { AppDeps } from './app-deps.js';
import type { BodyBudget } from './body-budget.js';
import type { Credential } from './credential.js';

/** What the route modules share: the deps and the app's own body budget. */
export type AppContext = AppDeps & { budget: BodyBudget };

/** What the middleware learns about a request, for the handlers and the journal. */
export type AppEnv = {
  Variables: {
    credential?: Credential;
    key?: KeyRecord;
    permission?: Permission;
    decision?: RateDecision;
    /** The rate-limit headers of this request, written by `send` or `problem`. */
    rateHeaders?: Record<string, string>;
    /** Set once a response carries `rateHeaders`. */
    sent?: boolean;
    outcome?: string;
    /** The id of the injected fault that applied to this request, for the journal. */
    fault?: string;
  };
};

export type KeyApiHono = OpenAPIHono<AppEnv>;

/**
 * One route group (`routes/*.ts`): registers its routes, with their OpenAPI entries, on the app.
 * app.ts lists the groups; adding a group is one module and one line there.
 */
export type RouteGroup = (app: KeyApiHono, deps: AppContext) => void;
