import { createHash } from 'node:crypto';
import { detect, judgeFile, judgeSightings, judgeText, LineIndex, type FileFacts, type KeyMatch, type KeySighting, type PlaceContext, type ScanRuleId, type TextHit } from './detect/index.js';
import { attachSecret, fingerprint, redact, redactText, secretOf, type Finding } from './findings.js';
import { RULES } from './rules-meta.js';
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
 * The findings of one fragment: the detector runs once on its text, the text rules judge
 * the keys it found (less those `allowKey` calls placeholders), and each hit on an added
 * line (when the fragment has them) becomes a finding.
 */
export function textFindings(fragment: PlacedFragment, { allowKey, fingerprintPath }: BuildOptions = {}): Finding[] {
  const keys = detect(fragment.text);
  if (keys.length === 0) return [];
  const hits = judgeText(fragment, allowKey ? keys.filter((match) => !allowKey(match.key)) : keys);
  const shown = fragment.addedLines ? hits.filter((hit) => fragment.addedLines?.has(hit.match.line)) : hits;
  if (shown.length === 0) return [];
  const frames = codeFrames(fragment.text, keys, shown);
  return shown.map((hit) => keyFinding(fragment, hit, frames.get(hit.match) as CodeFrame, fingerprintPath));
}

/** The findings of one file's facts: at line 1, column 1, since they are about the whole file. */
export function fileFindings(file: FileFacts, { fingerprintPath }: BuildOptions = {}): Finding[] {
  return judgeFile(file).map((hit) => newFinding(hit.ruleId, file.path, { line: 1, column: 1 }, fingerprintPath));
}

function keyFinding(fragment: PlacedFragment, { ruleId, match, reason }: TextHit, frame: CodeFrame, fingerprintPath: BuildOptions['fingerprintPath']): Finding {
  // From the fragment's coordinates to the whole text's.
  const lines = (fragment.startLine ?? 1) - 1;
  const columns = (fragment.startColumn ?? 1) - 1;
  const finding = newFinding(
    ruleId,
    fragment.path,
    {
      line: match.line + lines,
      column: match.column + (match.line === 1 ? columns : 0),
      endLine: match.endLine + lines,
      endColumn: match.endColumn + (match.endLine === 1 ? columns : 0),
      keyType: match.keyType,
      redacted: redact(match.key),
      ...frame,
      ...(reason && { reason }),
    },
    fingerprintPath,
    match.key,
  );
  if (fragment.commit) {
    finding.commit = fragment.commit.sha;
    finding.author = fragment.commit.author;
    finding.date = fragment.commit.date;
  }
  return attachSecret(finding, match.key);
}

/**
 * The findings of the rules over where keys were found (wrong-environment, key-reuse), from
 * the key findings of the whole scan: each gets the place, code frame and commit of the key
 * finding it is about. `contextOf` says whether a path is a test or production file.
 */
export function placeFindings(keyFindings: readonly Finding[], contextOf: (path: string) => PlaceContext | undefined, { fingerprintPath }: BuildOptions = {}): Finding[] {
  const found = keyFindings.filter((finding) => finding.keyType !== undefined && secretOf(finding) !== undefined);
  const sightings: KeySighting[] = found.map((finding) => {
    const context = contextOf(finding.file);
    // The rules compare keys by a hash of each, never by the key.
    const keyId = createHash('sha256').update(secretOf(finding) as string).digest('hex');
    return { path: finding.file, keyType: finding.keyType as KeySighting['keyType'], keyId, ...(context && { context }) };
  });
  return judgeSightings(sightings).map((hit) => {
    const base = found[hit.at] as Finding;
    const key = secretOf(base) as string;
    // A reuse is one finding per set of places: its fingerprint holds them all.
    const places = hit.also ? [base.file, ...hit.also.map((at) => (found[at] as Finding).file)].join('\0') : '';
    const { ruleId: _rule, severity: _severity, fingerprint: _fingerprint, verified: _verified, ...place } = base;
    const finding = newFinding(hit.ruleId, base.file, { ...place, reason: redactText(hit.reason) }, fingerprintPath, key + places);
    return attachSecret(finding, key);
  });
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
 * The code frame of each hit's key. Each line with a hit is masked once, every key the
 * detector found on it included (an allowed one too), piece by piece from the detector's
 * offsets, so two keys on one line each keep their own position: a minified line of
 * thousands of keys stays linear. Long lines are cut around each key.
 */
function codeFrames(text: string, keys: readonly KeyMatch[], hits: readonly TextHit[]): Map<KeyMatch, CodeFrame> {
  const lines = new LineIndex(text);
  const wanted = new Set(hits.map((hit) => hit.match.line));
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
