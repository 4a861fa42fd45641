import { AUDIT_RULE_IDS, AUDIT_RULES } from './audit/rules.js';
import type { RuleId, ScanRuleId, Severity } from './findings.js';

export interface RuleMeta {
  id: RuleId;
  name: string;
  /** How bad a finding of this rule is; SARIF's default level and `--fail-on` read it. */
  severity: Severity;
  shortDescription: string;
  fullDescription: string;
  help: string;
}

/** What each finding kind means and how to fix it: shared by the text, SARIF and hook reports. */
const SCAN_RULES: Record<ScanRuleId, RuleMeta> = {
  'hardcoded-key': {
    id: 'hardcoded-key',
    name: 'HardcodedApiKey',
    severity: 'error',
    shortDescription: 'Hardcoded API key',
    fullDescription:
      'A live, sandbox or test API key (sk_live_, sk_sandbox_, sk_test_) is written in the source. Anyone who can read the repository can use it.',
    help: 'Move the key to an environment variable (process.env.API_KEY) or an ignored .env file, then rotate it: a key that reached git history must be regenerated. For a false positive, add a `keyguard-ignore` comment on the line or record it with `keyguard baseline`.',
  },
  'public-env-key': {
    id: 'public-env-key',
    name: 'KeyInPublicEnvVariable',
    severity: 'error',
    shortDescription: 'API key in a public env variable',
    fullDescription:
      'A key is the value of an env variable with a public prefix (VITE_, NEXT_PUBLIC_, REACT_APP_, EXPO_PUBLIC_, NUXT_PUBLIC_, GATSBY_, PUBLIC_, STORYBOOK_), in any .env file (ignored ones too) or in a vite.config define or next.config env block. The bundler inlines it into the client bundle at build time, so every visitor of the site can read it, although it was never committed.',
    help: 'Keep the key server-side: drop the public prefix (API_KEY, not VITE_API_KEY), read it only in server code (an API route, a server action, a serverless function) and call the API from there; the browser calls your route. Rotate the key if a build that held it was deployed. Keep only placeholders in templates such as .env.example.',
  },
  'published-example-key': {
    id: 'published-example-key',
    name: 'PublishedExampleKey',
    severity: 'warning',
    shortDescription: 'Published example key',
    fullDescription:
      "A key a vendor prints in its documentation (such as the test keys of Stripe's API reference) is written in the source. It is no one's secret, but it belongs to a shared demo account: whatever is sent with it is visible to everyone using it.",
    help: 'Use your own test key, read from an environment variable (process.env.API_KEY) or an ignored .env file. In documentation or tutorials that quote the vendor, mark the line with `keyguard-ignore`.',
  },
  'wrong-environment': {
    id: 'wrong-environment',
    name: 'KeyInWrongEnvironment',
    severity: 'warning',
    shortDescription: 'Key in the wrong environment',
    fullDescription:
      'A live key in a test or development file (.env.test, .env.development, .env.local, test files and fixtures, docker-compose.override.yml, CI test workflows), or a test or sandbox key in a production file (.env.production, production deploy manifests). Tests then charge real accounts, or production runs on test data.',
    help: 'Use test keys for development and tests and live keys only in production. Which files count as test or production is set by "environments" in keyguard.config.json.',
  },
  'key-reuse': {
    id: 'key-reuse',
    name: 'KeyReusedAcrossEnvironments',
    severity: 'warning',
    shortDescription: 'Key reused across env files',
    fullDescription:
      'The same key (compared by fingerprint) is in the env files of two environments or of two packages. Revoking it for one breaks the others, and a leak of one exposes them all.',
    help: 'Create a separate key for each environment and each application, with only the permissions it needs, and rotate the shared one.',
  },
  'env-not-ignored': {
    id: 'env-not-ignored',
    name: 'EnvFileNotIgnored',
    severity: 'error',
    shortDescription: '.env file not ignored by git',
    fullDescription: 'A .env file holds secrets but git does not ignore it, so the next `git add .` commits it.',
    help: 'Add `.env` and `.env.*` (with `!.env.example`) to .gitignore. Commit a template such as .env.example instead.',
  },
  'env-tracked': {
    id: 'env-tracked',
    name: 'EnvFileTracked',
    severity: 'error',
    shortDescription: '.env file tracked by git',
    fullDescription: 'A .env file is in the git index even though .gitignore may list it: ignoring a file does not untrack it.',
    help: 'Untrack it with `git rm --cached <file>`, keep it ignored, and rotate any key it held.',
  },
  'env-in-package': {
    id: 'env-in-package',
    name: 'EnvFileInPackage',
    severity: 'error',
    shortDescription: '.env file in the published package',
    fullDescription:
      'npm would publish a .env file: it is in the list `npm pack` makes (the package.json "files" field, .npmignore and npm\'s own rules decide, not .gitignore), so everyone who installs the package gets its secrets.',
    help: 'Keep it out of the package: list only what ships in package.json "files" (for example ["dist"]), or add `.env` and `.env.*` to .npmignore (an .npmignore replaces .gitignore for npm). Rotate any key a published version held.',
  },
};

export const SCAN_RULE_IDS = Object.keys(SCAN_RULES) as ScanRuleId[];

export { AUDIT_RULE_IDS };

export const RULES: Record<RuleId, RuleMeta> = { ...SCAN_RULES, ...AUDIT_RULES };
