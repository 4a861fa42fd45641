import { resolve } from 'node:path';

/** The action's inputs (action.yml), as runAction reads them: under KEYGUARD_* names. */
const INPUT_NAMES = { 'fail-on': 'KEYGUARD_FAIL_ON', 'sarif-file': 'KEYGUARD_SARIF_FILE', config: 'KEYGUARD_CONFIG', baseline: 'KEYGUARD_BASELINE' } as const;

export interface ActionContext {
  env: Record<string, string | undefined>;
  cwd: string;
}

/**
 * Where and with what the action scans, from what the runner gives a JavaScript action: each input
 * as `INPUT_` + its name in upper case (hyphens kept), defaults applied, and the workspace as the
 * current directory. The scan runs in the `working-directory` input, resolved from there.
 */
export function actionContext(env: Record<string, string | undefined>, cwd: string): ActionContext {
  const input = (name: string): string => (env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
  const named = Object.entries(INPUT_NAMES).map(([name, variable]) => [variable, input(name)]);
  return { env: { ...env, ...Object.fromEntries(named) }, cwd: resolve(cwd, input('working-directory') || '.') };
}
