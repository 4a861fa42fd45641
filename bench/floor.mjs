#!/usr/bin/env node
// The floor baseline for bench/scan.mjs: list the same files as keyguard (git's view of the
// working tree), read each one whole, look for `sk_`. No detection, no reports: the least
// any scanner written in Node has to do.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { maxBuffer: 1 << 30 });
let files = 0;
let bytes = 0;
let hits = 0;
for (const path of listed.toString('utf8').split('\0')) {
  if (!path) continue;
  let content;
  try {
    content = readFileSync(path);
  } catch {
    continue; // deleted, a directory (submodule), a dangling link
  }
  files++;
  bytes += content.length;
  if (content.indexOf('sk_') !== -1) hits++;
}
console.log(JSON.stringify({ files, bytes, hits }));
