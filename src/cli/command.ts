import type { CliIO, CliResult } from './io.js';

/**
 * One option of a command, as data: the parser (parse-argv.ts) reads values with it and the help
 * (help.ts) prints it. Options are named as typed, kebab-case; handlers get them in camelCase.
 */
export interface OptionSpec {
  /** `string` and `number` take a value (`--port 80`, `--port=80`); `boolean` takes none. */
  type: 'string' | 'boolean' | 'number';
  describe: string;
  /** The only values it takes. */
  choices?: readonly string[];
  /** Given as often as wanted, every value kept in order. Any other option given twice is a usage error. */
  repeatable?: boolean;
  /** A boolean that `--no-NAME` turns off (Node 20's parseArgs has no negation of its own). */
  negatable?: boolean;
  required?: boolean;
  default?: string | number | boolean | readonly string[];
}

export type Options = Readonly<Record<string, OptionSpec>>;

/** The words after the command: one required value (`<key-id>`), or a list that may be empty (`[paths..]`). */
export interface PositionalSpec {
  name: string;
  describe: string;
  list?: boolean;
}

/**
 * One CLI command: its options and positional, the rules between them, and what it runs. `handler`
 * returns what to print and the exit code; it never touches `process`. Modules heavier than the
 * option tables load inside `handler`, so the hook and `--help` start without any other command's code.
 */
export interface Command<A = Record<string, unknown>> {
  name: string;
  describe: string;
  positional?: PositionalSpec;
  options: Options;
  /** Pairs of options that cannot be given together. */
  conflicts?: ReadonlyArray<readonly [string, string]>;
  /** A usage error in values the parser accepted (a number out of range), or undefined. */
  check?: (args: A) => string | undefined;
  /** Command lines (`$0` stands for keyguard) and what they do, for --help. */
  examples?: ReadonlyArray<readonly [string, string]>;
  handler: (args: A, io: CliIO) => Promise<CliResult>;
}

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
type ValueOf<O extends OptionSpec> = O extends { choices: ReadonlyArray<infer C> }
  ? C
  : O['type'] extends 'number'
    ? number
    : O['type'] extends 'boolean'
      ? boolean
      : string;
type Listed<O extends OptionSpec> = O extends { repeatable: true } ? Array<ValueOf<O>> : ValueOf<O>;
type AlwaysSet<O extends OptionSpec> = O extends { default: unknown } ? true : O extends { required: true } ? true : false;
type PositionalArgs<P> = P extends { name: infer N extends string } ? { [K in CamelCase<N>]: P extends { list: true } ? string[] : string } : unknown;

/** What a handler gets for an option table and positional: camelCase names; optional unless defaulted or required. */
export type ArgsOf<O extends Options, P = undefined> = {
  -readonly [K in keyof O as AlwaysSet<O[K]> extends true ? CamelCase<K & string> : never]: Listed<O[K]>;
} & {
  -readonly [K in keyof O as AlwaysSet<O[K]> extends true ? never : CamelCase<K & string>]?: Listed<O[K]>;
} & PositionalArgs<P>;

/** A command whose handler's arguments are typed from its own option table, so the two cannot drift apart. */
export function defineCommand<const O extends Options, const P extends PositionalSpec | undefined = undefined>(
  command: Omit<Command<ArgsOf<O, P>>, 'options' | 'positional'> & { options: O; positional?: P },
): Command {
  return command as unknown as Command;
}
