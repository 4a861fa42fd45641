import type { Finding } from '../findings.js';
import type { Format } from './formats.js';
import { githubReport } from './github.js';
import { jsonReport } from './json.js';
import type { ReportOptions } from './options.js';
import { sarifReport } from './sarif.js';
import { textReport } from './text.js';

export type { ReportOptions } from './options.js';
export { FORMATS, type Format } from './formats.js';

/** Every report format, by the name `--format` takes. Each is a pure function of the findings. */
export const REPORTERS = {
  text: textReport,
  json: jsonReport,
  sarif: sarifReport,
  github: githubReport,
} as const satisfies Record<Format, (findings: readonly Finding[], options: ReportOptions) => string>;

export function formatReport(format: Format, findings: readonly Finding[], options: ReportOptions): string {
  return REPORTERS[format](findings, options);
}
