import { invalidSummary, type DomainError, type FieldError, type Remedy } from '../core/errors.js';

/**
 * The core names a next step that lies outside it as data (a `Remedy`); over HTTP it becomes
 * the route to call, or the option a server is started with.
 */
function word(message: string, remedy: Remedy): string {
  switch (remedy.to) {
    case 'reactivate_key':
      return `${message}: reactivate it with PATCH /v1/api-keys/${remedy.key_id} {"active": true}.`;
    case 'grant_permission':
      return `${message}: add it with PATCH /v1/api-keys/${remedy.key_id}, or use a key that has it.`;
    case 'use_environment':
      return `${message}; start a server with --env ${remedy.environment} for ${remedy.environment} keys`;
  }
}

/** An error's message and details as a client reads them: each remedy worded, field errors as `{field, message}`. */
export function inHttpTerms(error: DomainError<string>): { message: string; details: Record<string, unknown> } {
  const fields = error.details.errors as FieldError[] | undefined;
  if (!fields?.some((field) => field.remedy)) {
    return { message: error.remedy ? word(error.message, error.remedy) : error.message, details: error.details };
  }
  const errors = fields.map(({ field, message, remedy }) => ({ field, message: remedy ? word(message, remedy) : message }));
  return { message: invalidSummary(errors), details: { ...error.details, errors } };
}
