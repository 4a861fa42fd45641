import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Before any test: an incremental build, so tests that run the built CLI see the current sources,
    // and Debian's Chromium for the dashboard's browser tests when the machine has none.
    globalSetup: ['test/setup/build.ts', 'test/setup/chromium.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
