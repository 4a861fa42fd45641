#!/usr/bin/env node
// The published entry point: the CLI bundled into one file (scripts/bundle.mjs cli, part of npm run build).
import '../dist/cli/keyguard.js';
