import { detect, LineIndex, type KeyMatch } from './detect/index.js';
import { attachSecret, fingerprint, redact, type Finding } from './findings.js';
import type { Fragment } from './sources/fragment.js';

/** Longest code-frame line kept, so a minified file does not print megabytes. */
const MAX_SNIPPET = 240;

/** The `hardcoded-key` findings of one fragment: detector matches turned into flat findings. */
export function keyFindings(fragment: Fragment): Finding[] {
  const matches = detect(fragment.text);
  if (matches.length === 0) return [];
  const lines = new LineIndex(fragment.text);
  const findings: Finding[] = [];
  for (const onLine of byLine(matches)) {
    const line = (onLine[0] as KeyMatch).line;
    if (fragment.addedLines && !fragment.addedLines.has(line)) continue;
    // One pass per line, however many keys it holds: a minified line of thousands of keys stays linear.
    const frames = codeFrames(lines.lineText(line), onLine);
    onLine.forEach((match, index) => findings.push(toFinding(fragment, match, frames[index] as CodeFrame)));
  }
  return findings;
}

/** Matches come in text order; keys never span lines, and suppression is per line, so a line's matches are all its keys. */
function byLine(matches: KeyMatch[]): KeyMatch[][] {
  const groups: KeyMatch[][] = [];
  for (const match of matches) {
    const last = groups.at(-1);
    if (last && (last[0] as KeyMatch).line === match.line) last.push(match);
    else groups.push([match]);
  }
  return groups;
}

function toFinding(fragment: Fragment, match: KeyMatch, frame: CodeFrame): Finding {
  const finding: Finding = {
    ruleId: 'hardcoded-key',
    severity: 'error',
    file: fragment.path,
    line: match.line,
    column: match.column,
    endLine: match.endLine,
    endColumn: match.endColumn,
    keyType: match.keyType,
    redacted: redact(match.key),
    ...frame,
    fingerprint: fingerprint('hardcoded-key', fragment.path, match.key),
  };
  if (fragment.commit) {
    finding.commit = fragment.commit.sha;
    finding.author = fragment.commit.author;
    finding.date = fragment.commit.date;
  }
  return attachSecret(finding, match.key);
}

/** A finding's line with every key on it masked, and where its own redacted key starts in it. */
interface CodeFrame {
  snippet: string;
  snippetColumn: number;
}

/**
 * The code frame of each key on one line: the line is masked once, piece by piece from the
 * detector's offsets (so two keys on one line each keep their own position), then cut
 * around each key when long.
 */
function codeFrames(lineText: string, onLine: KeyMatch[]): CodeFrame[] {
  let text = '';
  let copied = 0;
  const starts: number[] = [];
  for (const match of onLine) {
    text += lineText.slice(copied, match.column - 1);
    starts.push(text.length);
    text += redact(match.key);
    copied = match.endColumn - 1;
  }
  text += lineText.slice(copied);
  return starts.map((start) => {
    if (text.length <= MAX_SNIPPET) return { snippet: text, snippetColumn: start };
    const from = Math.max(0, start - MAX_SNIPPET / 2);
    return { snippet: `…${text.slice(from, from + MAX_SNIPPET)}…`, snippetColumn: start - from + 1 };
  });
}
