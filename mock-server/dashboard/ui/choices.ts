import { ApiError } from './api-client.js';
import type { Environment } from './wire.js';

/** What the create form offers. */
export interface Choices {
  /** The server's own environment, selected by default. */
  environment: Environment;
  environments: Environment[];
  plans: string[];
  permissions: string[];
}

type Schema = Record<string, unknown>;

/**
 * The create form's options come from the API's own OpenAPI document (the request schema of
 * `POST /v1/api-keys`), so the form offers exactly what the server accepts and never drifts from it.
 */
export async function loadChoices(): Promise<Omit<Choices, 'environment'>> {
  const response = await fetch('/openapi.json', { cache: 'no-store', credentials: 'omit' });
  if (!response.ok) throw new ApiError(response.status, 'The server did not serve /openapi.json.', undefined);
  const document = (await response.json()) as Schema;
  const body = at(document, ['paths', '/v1/api-keys', 'post', 'requestBody', 'content', 'application/json', 'schema']);
  return {
    environments: enumOf(document, body, ['environment']) as Environment[],
    permissions: enumOf(document, body, ['permissions', '[]']),
    plans: enumOf(document, body, ['plan']),
  };
}

/** The enum at a property path (`'[]'` steps into array items), following `$ref`s and nullable unions. */
function enumOf(document: Schema, schema: unknown, path: string[]): string[] {
  let current = resolve(document, schema);
  for (const step of path) {
    current = resolve(document, step === '[]' ? current?.items : at(current, ['properties', step]));
  }
  const values = current?.enum;
  if (!Array.isArray(values)) {
    throw new ApiError(0, `/openapi.json does not list the values of ${path.join('.')} for POST /v1/api-keys.`, undefined);
  }
  return values.map(String);
}

function resolve(document: Schema, schema: unknown): Schema | undefined {
  let current = isSchema(schema) ? schema : undefined;
  for (let depth = 0; current && depth < 10; depth++) {
    if (typeof current.$ref === 'string') {
      current = at(document, current.$ref.replace(/^#\//, '').split('/').map(decodePointer)) as Schema | undefined;
      continue;
    }
    const union = current.anyOf ?? current.oneOf;
    if (!Array.isArray(union)) return current;
    // `T | null`: the non-null member carries the enum.
    current = union.find((member) => isSchema(member) && member.type !== 'null') as Schema | undefined;
  }
  return current;
}

function at(value: unknown, path: string[]): unknown {
  let current = value;
  for (const step of path) current = isSchema(current) ? current[step] : undefined;
  return current;
}

function decodePointer(part: string): string {
  return part.replace(/~1/g, '/').replace(/~0/g, '~');
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
