import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Command, OptionSpec } from './command.js';
import { closest } from './suggest.js';

/** What a command line asks for; `usage` is one line saying what is wrong with it. */
export type Parsed =
  | { kind: 'run'; command: Command; args: Record<string, unknown> }
  | { kind: 'help'; command?: Command }
  | { kind: 'version' }
  | { kind: 'usage'; message: string };

type Value = string | number | boolean;

/** Flags every command takes, wherever they stand. */
const GLOBAL: ParseArgsConfig['options'] = { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } };

/**
 * The CLI's one parser: the command is the first word, its options come from its table (Node's
 * parseArgs reads the words; the rules are checked here, so each mistake is one clear line).
 */
export function parseArgv(argv: readonly string[], commands: readonly Command[]): Parsed {
  const end = argv.indexOf('--');
  const at = argv.findIndex((word, index) => !word.startsWith('-') && (end === -1 || index < end));
  const name = argv[at];
  const rest = at === -1 ? [...argv] : [...argv.slice(0, at), ...argv.slice(at + 1)];
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) return withoutCommand(name, rest, commands);

  const read = readTokens(rest, command.options);
  if (read.help) return { kind: 'help', command };
  if (read.version) return { kind: 'version' };
  const problem = read.problem ?? checkValues(command, read.values, read.positionals);
  if (problem) return { kind: 'usage', message: problem };

  const args: Record<string, unknown> = {};
  for (const [option, spec] of Object.entries(command.options)) {
    const values = read.values.get(option);
    // A flag given again says what it says last (`--no-control --control`); other options are given once.
    const value = values === undefined ? spec.default : spec.repeatable ? values : values.at(-1);
    if (value !== undefined) args[camelCase(option)] = Array.isArray(value) ? [...value] : value;
  }
  const { positional } = command;
  if (positional) args[camelCase(positional.name)] = positional.list ? read.positionals : read.positionals[0];
  const checked = command.check?.(args);
  return checked ? { kind: 'usage', message: checked } : { kind: 'run', command, args };
}

/** No command, `help`, or a word that is no command (with the one it probably meant). */
function withoutCommand(name: string | undefined, rest: string[], commands: readonly Command[]): Parsed {
  const read = readTokens(rest, {});
  if (read.help || name === 'help') return { kind: 'help' };
  if (read.version) return { kind: 'version' };
  const names = commands.map((command) => command.name);
  if (name === undefined) return { kind: 'usage', message: sentences([read.problem, `Name a command: keyguard ${names.slice(0, -1).join(', ')} or ${names.at(-1)} (see keyguard --help).`]) };
  const meant = closest(name, names);
  return { kind: 'usage', message: sentences([`Unknown argument: ${name}`, meant && `Did you mean ${meant}?`]) };
}

interface Read {
  /** Each option given, by its table name, with every value given in order. */
  values: Map<string, Value[]>;
  positionals: string[];
  help: boolean;
  version: boolean;
  /** The first mistake in the words themselves. */
  problem?: string;
}

function readTokens(args: string[], options: Command['options']): Read {
  const config: NonNullable<ParseArgsConfig['options']> = { ...GLOBAL };
  for (const [name, spec] of Object.entries(options)) {
    config[name] = { type: spec.type === 'boolean' ? 'boolean' : 'string' };
    if (spec.negatable) config[`no-${name}`] = { type: 'boolean' };
  }
  // Not strict: every word becomes a token, and the checks below word the mistakes.
  const { tokens } = parseArgs({ args, options: config, strict: false, allowPositionals: true, tokens: true });
  const read: Read = { values: new Map(), positionals: [], help: false, version: false };
  const unknown: string[] = [];
  const give = (name: string, value: Value): void => {
    read.values.set(name, [...(read.values.get(name) ?? []), value]);
  };
  for (const token of tokens) {
    if (token.kind === 'positional') read.positionals.push(token.value);
    if (token.kind !== 'option') continue;
    if (token.name === 'help' || token.name === 'version') {
      read[token.name] = true;
      continue;
    }
    const negated = token.name.startsWith('no-') && options[token.name.slice(3)]?.negatable ? token.name.slice(3) : undefined;
    const spec = options[negated ?? token.name];
    if (!spec) {
      unknown.push(token.name);
      continue;
    }
    if (read.problem) continue;
    if (spec.type === 'boolean') {
      const flag = token.value === undefined ? true : token.value === 'true' ? true : token.value === 'false' ? false : undefined;
      if (flag === undefined) read.problem = `${token.rawName} is a flag: it takes no value (got '${token.value}')`;
      else give(negated ?? token.name, negated ? !flag : flag);
    } else if (token.value === undefined || (!token.inlineValue && isOptionLike(token.value))) {
      // The words of the parser keyguard had before (yargs), kept for anyone matching them.
      read.problem = `Not enough arguments following: ${token.name}`;
    } else {
      const value = valueOf(token.name, spec, token.value);
      if (typeof value === 'object') read.problem = value.problem;
      else give(token.name, value);
    }
  }
  if (unknown.length > 0) read.problem = unknownArguments(unknown);
  return read;
}

/** A word after an option that is another option (not a negative number): the option has no value. */
function isOptionLike(word: string): boolean {
  return /^-[^\d.]/.test(word);
}

function valueOf(name: string, spec: OptionSpec, text: string): Value | { problem: string } {
  if (spec.choices && !spec.choices.includes(text)) {
    return { problem: `Invalid values: Argument: ${name}, Given: ${JSON.stringify(text)}, Choices: ${spec.choices.map((choice) => JSON.stringify(choice)).join(', ')}` };
  }
  if (spec.type !== 'number') return text;
  const number = text.trim() === '' ? Number.NaN : Number(text);
  return Number.isFinite(number) ? number : { problem: `--${name} takes a number; got '${text}'` };
}

/** The rules between what was given: once only, the positional, required options, conflicts. */
function checkValues(command: Command, values: Map<string, Value[]>, positionals: string[]): string | undefined {
  for (const [name, given] of values) {
    if (given.length < 2 || command.options[name]?.repeatable || command.options[name]?.type === 'boolean') continue;
    return `--${name} was given ${given.length === 2 ? 'twice' : `${given.length} times`} (${given.join(', ')}): give it once`;
  }
  const { positional } = command;
  const extra = positional?.list ? [] : positionals.slice(positional ? 1 : 0);
  if (extra.length > 0) return unknownArguments(extra);
  const missing = [
    ...(positional && !positional.list && positionals.length === 0 ? [positional.name] : []),
    ...Object.entries(command.options)
      .filter(([name, spec]) => spec.required && !values.has(name))
      .map(([name]) => name),
  ];
  if (missing.length > 0) return `Missing required argument${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}`;
  const conflict = command.conflicts?.find(([a, b]) => values.has(a) && values.has(b));
  return conflict && `Arguments ${conflict[0]} and ${conflict[1]} are mutually exclusive`;
}

function unknownArguments(names: string[]): string {
  return `Unknown argument${names.length === 1 ? '' : 's'}: ${names.join(', ')}`;
}

/** Several messages as one line: each a sentence. */
function sentences(messages: ReadonlyArray<string | undefined>): string {
  const present = messages.filter((message): message is string => Boolean(message));
  if (present.length === 1) return present[0] as string;
  return present.map((message) => (/[.?!]$/.test(message) ? message : `${message}.`)).join(' ');
}

function camelCase(name: string): string {
  return name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
}
