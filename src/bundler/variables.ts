/** Named values a build inlines: `define` maps, Vite's env, the process environment. */
export type NamedValues = Readonly<Record<string, unknown>>;

/**
 * Finds the variable a key was inlined from: the first name, in the order given, whose
 * value holds the key. Defines may nest (`{'process.env': {API_KEY: '"…"'}}`) and hold
 * JSON text; both are read as text. Called only for keys found in the output.
 */
export function variableFinder(sources: ReadonlyArray<{ prefix: string; values: NamedValues | undefined }>): (key: string) => string | undefined {
  return (key) => {
    for (const { prefix, values } of sources) {
      const name = nameHolding(values, key, prefix);
      if (name) return name;
    }
    return undefined;
  };
}

function nameHolding(values: NamedValues | undefined, key: string, prefix: string): string | undefined {
  for (const [name, value] of Object.entries(values ?? {})) {
    const full = prefix + name;
    if (typeof value === 'string' && value.includes(key)) return full;
    if (value && typeof value === 'object') {
      const inner = nameHolding(value as NamedValues, key, `${full}.`);
      if (inner) return inner;
    }
  }
  return undefined;
}
