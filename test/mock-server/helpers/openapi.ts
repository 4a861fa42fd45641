import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

// ajv-formats is CommonJS: under ESM its plugin is the module's `default` property.
const addFormats = ajvFormats.default;

interface ResponseObject {
  $ref?: string;
  content?: Record<string, unknown>;
  headers?: Record<string, { required?: boolean }>;
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject> }>>;
  components: { responses?: Record<string, ResponseObject> };
}

/** Headers the mock may send that the document must declare for the response that carries them. */
const CHECKED_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'ratelimit-policy', 'ratelimit', 'retry-after', 'allow', 'www-authenticate'];

/**
 * Checks real responses against the OpenAPI document the mock serves: the path, method and
 * status must be documented, the body must match the schema for its content type, every
 * header the mock may send must be declared for that response, and every declared required
 * header must be there. Unknown paths and methods are checked against components.responses.
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
    // HEAD is answered as GET, without the body.
    const operation = template ? doc.paths[template]?.[lower === 'head' ? 'get' : lower] : undefined;
    const listed = operation?.responses[status];
    const [name, documented] = operation
      ? [`${method.toUpperCase()} ${template}`, resolve(doc, listed)]
      : template
        ? ['a method the path lacks', doc.components.responses?.MethodNotAllowed]
        : ['an unknown path', doc.components.responses?.RouteNotFound];
    const pointer = responsePointer(name, status, documented, response, operation && !listed?.$ref ? `#/paths/${escape(template as string)}/${lower}/responses/${status}` : undefined);
    checkHeaders(name, status, documented as ResponseObject, response);
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

function resolve(doc: OpenApiDocument, response: ResponseObject | undefined): ResponseObject | undefined {
  const name = response?.$ref?.replace('#/components/responses/', '');
  return name === undefined ? response : doc.components.responses?.[name];
}

function responsePointer(name: string, status: string, documented: ResponseObject | undefined, response: Response, at: string | undefined): string {
  if (!documented) throw new Error(`${name} answered ${status}, which the OpenAPI document does not list`);
  const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  const content = documented.content?.[type] as { schema?: { $ref?: string } } | undefined;
  if (!content) throw new Error(`${name} ${status} answered ${type}, which the OpenAPI document does not list`);
  // A shared response (components.responses) points at its schema by $ref.
  return at ? `${at}/content/${escape(type)}/schema` : (content.schema?.$ref as string);
}

function checkHeaders(name: string, status: string, documented: ResponseObject, response: Response): void {
  const declared = new Map(Object.entries(documented.headers ?? {}).map(([header, spec]) => [header.toLowerCase(), spec]));
  for (const header of CHECKED_HEADERS) {
    if (response.headers.has(header) && !declared.has(header)) throw new Error(`${name} ${status} sent ${header}, which the OpenAPI document does not declare`);
  }
  for (const [header, spec] of declared) {
    if (spec.required && !response.headers.has(header)) throw new Error(`${name} ${status} lacks ${header}, which the OpenAPI document requires`);
  }
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
