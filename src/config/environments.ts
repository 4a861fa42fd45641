import type { PlaceContext } from '../detect/index.js';
import { pathMatcher, type Where } from './patterns.js';

/** What counts as a test or development file, and as a production file: `environments` in keyguard.config.json replaces either list. */
export interface EnvironmentGlobs {
  test: readonly string[];
  production: readonly string[];
}

/**
 * The defaults, as .gitignore-style globs (no `/`: at any depth; a directory covers what is in
 * it). Test and development: the env files dev servers and test runners load, test files and
 * fixtures by the usual names and folders, Compose's local override, CI workflows that test.
 * Production: production env files and deploy manifests.
 */
export const DEFAULT_ENVIRONMENTS: EnvironmentGlobs = {
  test: [
    '.env.test',
    '.env.test.local',
    '.env.development',
    '.env.development.local',
    '.env.dev',
    '.env.local',
    'docker-compose.override.yml',
    'docker-compose.override.yaml',
    'compose.override.yml',
    'compose.override.yaml',
    'test',
    'tests',
    '__tests__',
    'spec',
    '__mocks__',
    'fixtures',
    '__fixtures__',
    'testdata',
    'e2e',
    'cypress',
    '*.test.*',
    '*.spec.*',
    '*_test.*',
    'test_*.py',
    '.github/workflows/*test*.yml',
    '.github/workflows/*test*.yaml',
  ],
  production: [
    '.env.production',
    '.env.production.local',
    '.env.prod',
    'docker-compose.prod.yml',
    'docker-compose.prod.yaml',
    'docker-compose.production.yml',
    'docker-compose.production.yaml',
    '*.prod.yml',
    '*.prod.yaml',
    '*.production.yml',
    '*.production.yaml',
    'values-prod*.yaml',
    'values-production*.yaml',
    'k8s/prod',
    'k8s/production',
    'deploy/prod',
    'deploy/production',
    '.github/workflows/deploy*.yml',
    '.github/workflows/deploy*.yaml',
  ],
};

/** A path's context (relative to `cwd`, `/`-separated): test first, so a fixture named `.env.production` in `test/` is a test file. */
export function contextMatcher(globs: EnvironmentGlobs, base: string, cwd: string, where: (context: PlaceContext) => Where): (path: string) => PlaceContext | undefined {
  const test = pathMatcher(globs.test, base, cwd, where('test'));
  const production = pathMatcher(globs.production, base, cwd, where('production'));
  return (path) => (test(path) ? 'test' : production(path) ? 'production' : undefined);
}
