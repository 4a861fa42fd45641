import { KeyguardError } from '../src/errors.js';
import { DomainError } from './core/errors.js';

/**
 * createKeyApi's options are keyguard serve's flags (`now` is --now, `env` --env, `seed` --seed).
 * The core judges a value without knowing where it came from; here its error names the option
 * and what to change, as the one line the CLI prints.
 */
const WORDING: Record<string, (error: DomainError, seedSource: string) => string> = {
  invalid_clock_start: (error) => `the clock start (--now) ${error.message}`,
  invalid_seed: (error, seedSource) => `${seedSource}: ${error.message}`,
  seed_key_environment: (error, seedSource) => {
    const { field, key_environment: keyType, server_environment: environment } = error.details;
    return `${seedSource}: ${field}.key is a ${keyType} key, but the server runs --env ${environment}: use ${environment} keys or change --env`;
  },
};

/** Runs a step that judges the options; its domain errors come out worded as the options' own. `seedSource` names the seed. */
export function inOptionTerms<T>(seedSource: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    const wording = error instanceof DomainError ? WORDING[error.code] : undefined;
    throw wording ? new KeyguardError(wording(error as DomainError, seedSource)) : error;
  }
}
