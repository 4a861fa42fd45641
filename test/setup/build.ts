import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * vitest globalSetup: every run tests the current sources. Many tests run the built CLI as users do
 * (bin/keyguard.js loads dist/), so dist/ is brought up to date first. The build is incremental
 * (`tsc -b`): nothing changed costs well under a second, an edited file a few.
 */
export default function buildCurrentSources(): void {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8' });
  if (build.error) throw build.error;
  if (build.status !== 0) throw new Error(`npm run build failed, so the tests would run stale code:\n${build.stdout}${build.stderr}`);
}
