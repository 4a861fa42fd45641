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
  for (const match of matches) {
    if (fragment.addedLines && !fragment.addedLines.has(match.line)) continue;
    findings.push(toFinding(fragment, match, lines));
  }
  return findings;
}

function toFinding(fragment: Fragment, match: KeyMatch, lines: LineIndex): Finding {
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
    ...codeFrame(lines.lineText(match.line), match),
    fingerprint: fingerprint('hardcoded-key', fragment.path, match.key),
  };
  if (fragment.commit) {
    finding.commit = fragment.commit.sha;
    finding.author = fragment.commit.author;
    finding.date = fragment.commit.date;
  }
  return attachSecret(finding, match.key);
}

/**
 * The finding's line with every key on it masked, cut around the key when long, and
 * where the finding's own (redacted) key starts in it. Built piece by piece from the
 * detector's offsets, so two keys on one line each keep their own position.
 */
function codeFrame(lineText: string, match: KeyMatch): { snippet: string; snippetColumn: number } {
  const ownStart = match.column - 1;
  let text = '';
  let snippetColumn = 0;
  let copied = 0;
  for (const key of detect(lineText, { includeSuppressed: true })) {
    text += lineText.slice(copied, key.start);
    if (key.start === ownStart) snippetColumn = text.length;
    text += redact(key.key);
    copied = key.end;
  }
  text += lineText.slice(copied);
  if (text.length <= MAX_SNIPPET) return { snippet: text, snippetColumn };
  const from = Math.max(0, snippetColumn - MAX_SNIPPET / 2);
  return { snippet: `…${text.slice(from, from + MAX_SNIPPET)}…`, snippetColumn: snippetColumn - from + 1 };
}
