// The audit's rules, the same compiled file `keyguard audit` runs: the build copies
// dist/src/audit/rules.js here as audit-rules.js (see copy-public.mjs). Its types come from
// that build's declarations, so the dashboard is checked against the one source.
export * from '../../../dist/src/audit/rules.js';
