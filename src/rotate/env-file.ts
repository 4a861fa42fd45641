import { KeyguardError } from '../errors.js';

/**
 * Where a variable's value sits in an env file's text, as offsets. The text is the file's
 * bytes read as latin1 (one character per byte), so putting a new value between the same
 * offsets keeps every other byte as it was: comments, CRLF line ends, quotes, other variables,
 * even bytes that are not UTF-8.
 */
export interface Assignment {
  /** 1-based, for messages. */
  line: number;
  start: number;
  end: number;
  value: string;
}

/** `NAME=value`, `export NAME = "value"`, `NAME='value' # comment`: the dotenv forms. */
const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/;

/** Every assignment of `name` in `text`; quotes are not part of the value's range. */
export function findAssignments(text: string, name: string): Assignment[] {
  const found: Assignment[] = [];
  let offset = 0;
  let line = 0;
  for (const raw of text.split(/(?<=\n)/)) {
    line++;
    const content = raw.replace(/\r?\n$/, '');
    const match = ASSIGNMENT.exec(content);
    if (match?.[1] === name) {
      const at = match[0].length;
      const quote = content[at];
      let start = at;
      let end: number;
      if (quote === '"' || quote === "'" || quote === '`') {
        start = at + 1;
        const close = content.indexOf(quote, start);
        end = close === -1 ? content.length : close;
      } else {
        const comment = content.slice(at).search(/[ \t]#/);
        end = comment === -1 ? content.length : at + comment;
        while (end > start && /[ \t]/.test(content[end - 1] as string)) end--;
      }
      found.push({ line, start: offset + start, end: offset + end, value: content.slice(start, end) });
    }
    offset += raw.length;
  }
  return found;
}

/** The one assignment of `name`, or a one-line error naming the file and what to do. */
export function theAssignment(text: string, name: string, file: string): Assignment {
  const found = findAssignments(text, name);
  if (found.length === 0) throw new KeyguardError(`${file} has no ${name}= line: name the variable that holds the key with --var, or add it first`);
  if (found.length > 1) {
    throw new KeyguardError(`${file} sets ${name} ${found.length} times (lines ${found.map((a) => a.line).join(', ')}): keep one, then rotate`);
  }
  return found[0] as Assignment;
}

/** `text` with the assignment's value replaced and nothing else changed. */
export function replaceValue(text: string, assignment: Assignment, value: string): string {
  return text.slice(0, assignment.start) + value + text.slice(assignment.end);
}
