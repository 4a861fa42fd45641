import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { originalPositionFor, sourceContentFor, TraceMap } from '@jridgewell/trace-mapping';
import { LineIndex } from '../detect/index.js';
import type { EmittedFile, Origin, SourcePlace } from './emitted.js';
import type { Leak } from './leaks.js';
import { shownPath } from './paths.js';

export interface OriginContext {
  /** The project directory: places are shown relative to it. */
  root: string;
  /** The env variable or define whose value is this key, when the build set one. */
  variableOf: (key: string) => string | undefined;
}

/**
 * Where a leaked key came from: through the file's source map when there is one (the exact
 * line), else the first bundled module that holds the key or names its variable. Runs only
 * for keys found, so a clean build never parses a map or reads a source.
 */
export function originOf(leak: Leak, context: OriginContext): Origin {
  const key = leak.match.key;
  const known = context.variableOf(key);
  const mapped = throughMap(leak, context.root);
  if (mapped) {
    const variable = mapped.written ? undefined : (known ?? mapped.expression);
    return { place: mapped.place, written: mapped.written, ...(variable && { variable }) };
  }
  const found = inSourcesContent(leak.file, key, context.root) ?? inModules(leak.file, key, known, context.root);
  const variable = found?.written ? undefined : known;
  return { ...found, ...(variable && { variable }) };
}

interface Mapped {
  place: SourcePlace;
  /** The source line holds the key itself (a literal), rather than an expression the bundler replaced. */
  written: boolean;
  /** The member chain at the mapped column (`import.meta.env.VITE_KEY`), when there is one. */
  expression?: string;
}

function throughMap(leak: Leak, root: string): Mapped | undefined {
  const map = safely(() => leak.file.map?.());
  if (!map) return undefined;
  const trace = safely(() => new TraceMap(map, leak.file.path));
  if (!trace) return undefined;
  const { line, column } = leak.match;
  const position = originalPositionFor(trace, { line, column: column - 1 });
  if (position.source === null) return undefined;
  const path = sourcePath(position.source, root, root);
  const content = sourceContentFor(trace, position.source) ?? readText(path);
  const lineText = content === undefined ? '' : new LineIndex(content).lineText(position.line);
  const at = lineText.indexOf(leak.match.key);
  const place = { file: shownPath(path, root), line: position.line, column: (at >= 0 ? at : position.column) + 1 };
  const expression = /^[\w$]+(?:\.[\w$]+)+/.exec(lineText.slice(position.column))?.[0];
  return { place, written: at >= 0, ...(expression && { expression }) };
}

/** A place found without a map, and whether the key is written there. */
interface Found {
  place: SourcePlace;
  written: boolean;
}

/** A key in an emitted source map is in the `sourcesContent` of one of its sources: that source's place. */
function inSourcesContent(file: EmittedFile, key: string, root: string): Found | undefined {
  if (!file.name.endsWith('.map')) return undefined;
  const text = typeof file.content === 'string' ? file.content : Buffer.from(file.content).toString('utf8');
  const map = safely(() => JSON.parse(text) as { sources?: unknown; sourcesContent?: unknown });
  if (!map || !Array.isArray(map.sources) || !Array.isArray(map.sourcesContent)) return undefined;
  const index = map.sourcesContent.findIndex((content) => typeof content === 'string' && content.includes(key));
  const source = map.sources[index];
  if (typeof source !== 'string') return undefined;
  const content = map.sourcesContent[index] as string;
  return { place: placeAt(content, content.indexOf(key), sourcePath(source, dirname(file.path), root), root), written: true };
}

/** The first bundled module that holds the key, else the first that reads its variable. */
function inModules(file: EmittedFile, key: string, variable: string | undefined, root: string): Found | undefined {
  const names = variable ? [variable, variable.slice(variable.lastIndexOf('.') + 1)] : [];
  let named: SourcePlace | undefined;
  for (const id of safely(() => file.modules?.(key)) ?? []) {
    const path = id.split('?')[0] as string;
    if (!isAbsolute(path)) continue;
    const text = readText(path);
    if (text === undefined) continue;
    const at = text.indexOf(key);
    if (at >= 0) return { place: placeAt(text, at, path, root), written: true };
    const use = named ? -1 : names.map((name) => text.indexOf(name)).find((offset) => offset >= 0) ?? -1;
    if (use >= 0) named = placeAt(text, use, path, root);
  }
  return named && { place: named, written: false };
}

function placeAt(text: string, offset: number, path: string, root: string): SourcePlace {
  return { file: shownPath(path, root), ...new LineIndex(text).positionAt(offset) };
}

/** A map's source as a path: relative ones to `base`; webpack and Rspack's `webpack://<namespace>/./src/x.js` to the project. */
function sourcePath(source: string, base: string, root: string): string {
  const webpack = /^webpack:\/\/[^/]*\/(.*)$/.exec(source);
  if (webpack) return resolve(root, webpack[1] as string);
  return source.startsWith('file://') ? new URL(source).pathname : resolve(base, source);
}

function readText(path: string): string | undefined {
  return safely(() => readFileSync(path, 'utf8'));
}

/** A broken map or an unreadable module only costs the origin, never the report of the key. */
function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
