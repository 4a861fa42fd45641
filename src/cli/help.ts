import type { Command, OptionSpec } from './command.js';

// Loaded only for --help: it is written from the same option tables the parser reads.

const WIDTH = 100;
const EPILOGUE = 'Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage or runtime error.';
/** A row of a list: its name, then its text, each note (`[boolean]`) a word that is never split. */
type Row = readonly [string, string, ...string[]];

const VERSION_ROW: Row = ['    --version', 'Show version number', '[boolean]'];
const HELP_ROW: Row = ['-h, --help', 'Show help', '[boolean]'];

/** `keyguard --help`, or a command's own help: usage, options with their types, choices and defaults, examples. */
export function helpText(commands: readonly Command[], command?: Command): string {
  const sections = command ? commandHelp(command) : [
    'keyguard <command> [options]',
    section('Commands:', commands.map((each): Row => [`keyguard ${usageOf(each)}`, each.describe])),
    section('Options:', [VERSION_ROW, HELP_ROW]),
    "Run 'keyguard <command> --help' for the options of a command.",
  ];
  return `${[...sections, EPILOGUE].join('\n\n')}\n`;
}

function commandHelp(command: Command): string[] {
  const { positional, examples } = command;
  const options = Object.entries(command.options).map(([name, spec]): Row => [`    --${name}`, spec.describe, ...notes(spec)]);
  return [
    `keyguard ${usageOf(command)}`,
    command.describe,
    ...(positional ? [section('Positionals:', [[positional.name, positional.describe, ...(positional.list ? ['[array]', '[default: []]'] : ['[string]', '[required]'])]])] : []),
    section('Options:', [VERSION_ROW, ...options, HELP_ROW]),
    ...(examples && examples.length > 0 ? [section('Examples:', examples.map(([line, what]): Row => [line.replace('$0', 'keyguard'), what]))] : []),
  ];
}

function usageOf(command: Command): string {
  const { positional } = command;
  if (!positional) return command.name;
  return `${command.name} ${positional.list ? `[${positional.name}..]` : `<${positional.name}>`}`;
}

/** What the value is: `[string]`, `[required]`, `[choices: "a", "b"]`, `[default: "a"]`. */
function notes(spec: OptionSpec): string[] {
  return [
    spec.choices ? `[choices: ${spec.choices.map((choice) => JSON.stringify(choice)).join(', ')}]` : `[${spec.repeatable ? 'array' : spec.type}]`,
    ...(spec.required ? ['[required]'] : []),
    ...(spec.default !== undefined ? [`[default: ${JSON.stringify(spec.default)}]`] : []),
  ];
}

/**
 * A titled two-column list, the text aligned and wrapped at WIDTH under itself (unless the first
 * column leaves it no room), two spaces before the notes.
 */
function section(title: string, rows: readonly Row[]): string {
  const left = Math.max(...rows.map(([first]) => first.length)) + 2;
  const room = WIDTH - left - 2;
  const lines = rows.map(([first, text, ...notes]) => {
    const words = [...text.split(' '), ...notes.map((note, index) => (index === 0 ? ` ${note}` : note))];
    const wrapped = room < 40 ? [words.join(' ')] : wrap(words, room);
    return `  ${first.padEnd(left)}${wrapped.join(`\n${' '.repeat(left + 2)}`)}`;
  });
  return [title, ...lines].join('\n');
}

function wrap(words: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word.trimStart();
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}
