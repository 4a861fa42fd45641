import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

// ajv-formats is CommonJS: under ESM its plugin is the module's `default` property.
const addFormats = ajvFormats.default;

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
}

/**
 * Checks real responses against the OpenAPI document the mock serves: the path, method and
 * status must be documented, and the body must match the schema for its content type.
 * `pathOf` turns a request URL into the API path (msw bases may carry their own path).
 */
export function openApiChecker(document: unknown, pathOf: (url: string) => string = (url) => new URL(url).pathname) {
  const doc = document as OpenApiDocument;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc as object, 'openapi');
  const templates = Object.keys(doc.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  const compiled = new Map<string, ValidateFunction>();

  return async function check(method: string, url: string, response: Response): Promise<void> {
    const path = pathOf(url);
    const status = String(response.status);
    const lower = method.toLowerCase();
    const template = templates.find((t) => t.pattern.test(path))?.template;
    const operation = template ? doc.paths[template]?.[lower] : undefined;
    // Unknown routes (404) and methods (405) are answered by the app itself: a documented problem.
    const pointer = operation
      ? responsePointer(template as string, lower, status, operation.responses[status], response)
      : '#/components/schemas/Problem';
    if (lower === 'head') return;
    let validate = compiled.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `openapi${pointer}` });
      compiled.set(pointer, validate);
    }
    const body: unknown = await response.clone().json();
    if (!validate(body)) {
      throw new Error(`${method} ${path} → ${status} does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
    }
  };
}

function responsePointer(
  template: string,
  method: string,
  status: string,
  documented: { content?: Record<string, unknown> } | undefined,
  response: Response,
): string {
  if (!documented) throw new Error(`${method.toUpperCase()} ${template} answered ${status}, which the OpenAPI document does not list`);
  const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  if (!documented.content?.[type]) {
    throw new Error(`${method.toUpperCase()} ${template} ${status} answered ${type}, which the OpenAPI document does not list`);
  }
  return `#/paths/${escape(template)}/${method}/responses/${status}/content/${escape(type)}/schema`;
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
