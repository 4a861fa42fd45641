import { detect, judgeFile, judgeSightings, judgeText, LineIndex, type FileFacts, type KeyMatch, type KeySighting, type KeyType, type PlaceContext, type ScanRuleId, type TextHit } from './detect/index.js';
import { attachSecret, fingerprint, redact, redactText, type Finding } from './findings.js';
import { RULES } from './rules-meta.js';
import { sha256Hex } from './sha256.js';
import type { PlacedFragment } from './sources/source.js';

/*
 * The one place a Finding (and its fingerprint) is made: the rules of src/detect/ say what
 * they found; this turns each hit into a flat finding at its place, with the key redacted.
 */

/** Longest code-frame line kept, so a minified file does not print megabytes. */
const MAX_SNIPPET = 240;

export interface BuildOptions {
  /** The project's own placeholders (the config's `allow`): tested on each found key alone. */
  allowKey?: ((key: string) => boolean) | undefined;
  /** A finding's path as its fingerprint names it (relative to the project root); default: as shown. */
  fingerprintPath?: ((path: string) => string) | undefined;
}

/**
 * A key the detector found at a place, whether a rule reported it there or not (a key in an
 * ignored `.env` file read only for public-env-key is reported by no key rule): what the rules
 * over places (wrong-environment, key-reuse) read. The key stays in the process, never in output.
 */
export interface KeySeen {
  /** Its file as the source names it (relative to the current directory). */
  path: string;
  place: Place;
  keyType: KeyType;
  key: string;
}

/** What one fragment gives the scan: its findings, and every key seen in it (allowed ones left out). */
export interface TextFindings {
  findings: Finding[];
  seen: KeySeen[];
}

const NOTHING: TextFindings = { findings: [], seen: [] };

/**
 * The findings of one fragment: the detector runs once on its text, the text rules judge
 * the keys it found (less those `allowKey` calls placeholders), and each hit on an added
 * line (when the fragment has them) becomes a finding. Every such key, reported or not, is seen.
 */
export function textFindings(fragment: PlacedFragment, { allowKey, fingerprintPath }: BuildOptions = {}): TextFindings {
  const keys = detect(fragment.text);
  if (keys.length === 0) return NOTHING;
  const kept = allowKey ? keys.filter((match) => !allowKey(match.key)) : keys;
  const shown = fragment.addedLines ? kept.filter((match) => fragment.addedLines?.has(match.line)) : kept;
  if (shown.length === 0) return NOTHING;
  const onShownLine = new Set(shown);
  const hits = judgeText(fragment, kept).filter((hit) => onShownLine.has(hit.match));
  const frames = codeFrames(fragment.text, keys, shown);
  const seen = new Map(shown.map((match) => [match, keySeen(fragment, match, frames.get(match) as CodeFrame)]));
  return { findings: hits.map((hit) => keyFinding(hit, seen.get(hit.match) as KeySeen, fingerprintPath)), seen: [...seen.values()] };
}

/** The findings of one file's facts: at line 1, column 1, since they are about the whole file. */
export function fileFindings(file: FileFacts, { fingerprintPath }: BuildOptions = {}): Finding[] {
  return judgeFile(file).map((hit) => newFinding(hit.ruleId, file.path, { line: 1, column: 1 }, fingerprintPath));
}

/** A key's place in the whole text (from the fragment's coordinates), with its code frame and commit. */
function keySeen(fragment: PlacedFragment, match: KeyMatch, frame: CodeFrame): KeySeen {
  const lines = (fragment.startLine ?? 1) - 1;
  const columns = (fragment.startColumn ?? 1) - 1;
  const place: Place = {
    line: match.line + lines,
    column: match.column + (match.line === 1 ? columns : 0),
    endLine: match.endLine + lines,
    endColumn: match.endColumn + (match.endLine === 1 ? columns : 0),
    keyType: match.keyType,
    redacted: redact(match.key),
    ...frame,
  };
  if (fragment.commit) {
    place.commit = fragment.commit.sha;
    place.author = fragment.commit.author;
    place.date = fragment.commit.date;
  }
  return { path: fragment.path, place, keyType: match.keyType, key: match.key };
}

function keyFinding({ ruleId, reason }: TextHit, seen: KeySeen, fingerprintPath: BuildOptions['fingerprintPath']): Finding {
  const finding = newFinding(ruleId, seen.path, { ...seen.place, ...(reason && { reason }) }, fingerprintPath, seen.key);
  return attachSecret(finding, seen.key);
}

/**
 * The findings of the rules over where keys were found (wrong-environment, key-reuse), from
 * every key the whole scan saw: each at the place of the key it is about. `contextOf` says
 * whether a path is a test or production file.
 */
export function placeFindings(seen: readonly KeySeen[], contextOf: (path: string) => PlaceContext | undefined, { fingerprintPath }: BuildOptions = {}): Finding[] {
  const sightings: KeySighting[] = seen.map(({ path, keyType, key }) => {
    const context = contextOf(path);
    // The rules compare keys by a hash of each, never by the key.
    return { path, keyType, keyId: keyId(key), ...(context && { context }) };
  });
  return judgeSightings(sightings).map((hit) => {
    const base = seen[hit.at] as KeySeen;
    // A reuse is one finding per set of places: its fingerprint holds them all.
    const places = hit.also ? [base.path, ...hit.also.map((at) => (seen[at] as KeySeen).path)].join('\0') : '';
    const finding = newFinding(hit.ruleId, base.path, { ...base.place, reason: redactText(hit.reason) }, fingerprintPath, base.key + places);
    return attachSecret(finding, base.key);
  });
}

/**
 * One sighting per key and place, as `dedupe` keeps one finding: overlapping sources may see a key
 * twice; in commits, a key is seen once per file, in the first commit that has it.
 */
export function dedupeSeen(seen: readonly KeySeen[]): KeySeen[] {
  const kept = new Set<string>();
  return seen.filter(({ path, place, key }) => {
    const id = place.commit ? `${path}\0${keyId(key)}` : `${path}\0${place.line}\0${place.column}`;
    if (kept.has(id)) return false;
    kept.add(id);
    return true;
  });
}

function keyId(key: string): string {
  return sha256Hex(key);
}

type Place = Omit<Finding, 'ruleId' | 'severity' | 'file' | 'fingerprint'>;

/**
 * Every finding is made here, its fingerprint once: rule, path (relative to the project root)
 * and key. Its shown path is redacted: a key in a file name must not leave the process either.
 */
function newFinding(ruleId: ScanRuleId, path: string, place: Place, fingerprintPath: BuildOptions['fingerprintPath'], key?: string): Finding {
  const id = fingerprint(ruleId, fingerprintPath ? fingerprintPath(path) : path, key);
  return { ruleId, severity: RULES[ruleId].severity, file: redactText(path), ...place, fingerprint: id };
}

/** A finding's line with every key on it masked, and where its own redacted key starts in it. */
interface CodeFrame {
  snippet: string;
  snippetColumn: number;
}

/**
 * The code frame of each shown key. Each line with one is masked once, every key the
 * detector found on it included (an allowed one too), piece by piece from the detector's
 * offsets, so two keys on one line each keep their own position: a minified line of
 * thousands of keys stays linear. Long lines are cut around each key.
 */
function codeFrames(text: string, keys: readonly KeyMatch[], shown: readonly KeyMatch[]): Map<KeyMatch, CodeFrame> {
  const lines = new LineIndex(text);
  const wanted = new Set(shown.map((match) => match.line));
  const frames = new Map<KeyMatch, CodeFrame>();
  for (const onLine of byLine(keys)) {
    const line = (onLine[0] as KeyMatch).line;
    if (!wanted.has(line)) continue;
    const lineText = lines.lineText(line);
    let masked = '';
    let copied = 0;
    const starts: number[] = [];
    for (const match of onLine) {
      masked += lineText.slice(copied, match.column - 1);
      starts.push(masked.length);
      masked += redact(match.key);
      copied = match.endColumn - 1;
    }
    masked += lineText.slice(copied);
    onLine.forEach((match, index) => frames.set(match, cut(masked, starts[index] as number)));
  }
  return frames;
}

function cut(masked: string, start: number): CodeFrame {
  if (masked.length <= MAX_SNIPPET) return { snippet: masked, snippetColumn: start };
  const from = Math.max(0, start - MAX_SNIPPET / 2);
  return { snippet: `…${masked.slice(from, from + MAX_SNIPPET)}…`, snippetColumn: start - from + 1 };
}

/** Matches come in text order; keys never span lines, and suppression is per line, so a line's matches are all its keys. */
function byLine(matches: readonly KeyMatch[]): KeyMatch[][] {
  const groups: KeyMatch[][] = [];
  for (const match of matches) {
    const last = groups.at(-1);
    if (last && (last[0] as KeyMatch).line === match.line) last.push(match);
    else groups.push([match]);
  }
  return groups;
}
