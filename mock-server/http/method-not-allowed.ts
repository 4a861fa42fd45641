import type { KeyApiHono } from './app-env.js';
import { httpError } from './error-table.js';
import { displayPath } from './redact.js';

/**
 * Answers 405 with an `Allow` header on every documented path, for the methods it does not
 * have. Registered after every route group, from what they documented.
 */
export function methodNotAllowed(app: KeyApiHono): void {
  const allowed = new Map<string, string[]>();
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== 'route') continue;
    const path = definition.route.path.replace(/\{(\w+)\}/g, ':$1');
    allowed.set(path, [...(allowed.get(path) ?? []), definition.route.method.toUpperCase()]);
  }
  for (const [path, methods] of allowed) {
    const allow = methods.includes('GET') ? [...methods, 'HEAD'] : methods;
    app.all(path, (c) => {
      throw httpError('method_not_allowed', 'method_not_allowed', `${c.req.method} is not allowed on ${displayPath(c.req.path)}: use ${allow.join(', ')}.`, {
        allowed: allow,
      });
    });
  }
}
