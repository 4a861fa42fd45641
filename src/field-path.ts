/** A field as messages name it: `allow[1]`, `rate_limit.per_hour`; '' for the top level. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`)).join('');
}
