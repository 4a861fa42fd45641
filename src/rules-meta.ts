import type { RuleId } from './findings.js';

export interface RuleMeta {
  id: RuleId;
  name: string;
  shortDescription: string;
  fullDescription: string;
  help: string;
}

/** What each finding kind means and how to fix it: shared by the text, SARIF and hook reports. */
export const RULES: Record<RuleId, RuleMeta> = {
  'hardcoded-key': {
    id: 'hardcoded-key',
    name: 'HardcodedApiKey',
    shortDescription: 'Hardcoded API key',
    fullDescription:
      'A live, sandbox or test API key (sk_live_, sk_sandbox_, sk_test_) is written in the source. Anyone who can read the repository can use it.',
    help: 'Move the key to an environment variable (process.env.API_KEY) or an ignored .env file, then rotate it: a key that reached git history must be regenerated. For a false positive, add a `keyguard-ignore` comment on the line or record it with `keyguard baseline`.',
  },
  'env-not-ignored': {
    id: 'env-not-ignored',
    name: 'EnvFileNotIgnored',
    shortDescription: '.env file not ignored by git',
    fullDescription: 'A .env file holds secrets but git does not ignore it, so the next `git add .` commits it.',
    help: 'Add `.env` and `.env.*` (with `!.env.example`) to .gitignore. Commit a template such as .env.example instead.',
  },
  'env-tracked': {
    id: 'env-tracked',
    name: 'EnvFileTracked',
    shortDescription: '.env file tracked by git',
    fullDescription: 'A .env file is in the git index even though .gitignore may list it: ignoring a file does not untrack it.',
    help: 'Untrack it with `git rm --cached <file>`, keep it ignored, and rotate any key it held.',
  },
};
