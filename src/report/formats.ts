/** Every report format, by the name `--format` takes: a module of its own, so the CLI's option tables name them without loading the formatters. */
export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;

export type Format = (typeof FORMATS)[number];
