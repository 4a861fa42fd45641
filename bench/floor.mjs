#!/usr/bin/env node
// The floor baseline for bench/scan.mjs: list the same files as keyguard (git's view of the
// working tree), read each one through one reused buffer (open, read until a short read, close),
// look for `sk_`. No detection, no reports, no start-up beyond Node's own: the least any scanner
// written in Node has to do. (An earlier floor read each file with readFileSync, which allocates a
// buffer per file and fstats it: measured on the node_modules copy in git, 0.39 s of CPU against
// 0.27 s for this one, whose CPU time matches ripgrep's.)
//
//   node bench/floor.mjs [--threads 2]
//
// With --threads 2, a worker thread started before the listing reads every other run of 64 files
// while the main thread reads the rest: what a second core can give Node's reading at best (no
// messages per batch, no start-up decision), beside ripgrep, which reads on every core.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';

const RUN = 64;

if (isMainThread) {
  const at = process.argv.indexOf('--threads');
  const threads = at === -1 ? 1 : Number(process.argv[at + 1]);
  const worker = threads > 1 ? new Worker(new URL(import.meta.url)) : undefined;
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { maxBuffer: 1 << 30 })
    .toString('utf8')
    .split('\0')
    .filter(Boolean);
  let total = { files: 0, bytes: 0, hits: 0 };
  if (worker) {
    const mine = [];
    const theirs = [];
    for (let i = 0; i < listed.length; i++) (Math.floor(i / RUN) % 2 === 0 ? mine : theirs).push(listed[i]);
    const answered = new Promise((resolve) => worker.once('message', resolve));
    worker.postMessage(theirs);
    const own = readAll(mine);
    const other = await answered;
    total = { files: own.files + other.files, bytes: own.bytes + other.bytes, hits: own.hits + other.hits };
    await worker.terminate();
  } else {
    total = readAll(listed);
  }
  console.log(JSON.stringify(total));
} else {
  parentPort.once('message', (paths) => parentPort.postMessage(readAll(paths)));
}

function readAll(paths) {
  const buffer = Buffer.allocUnsafe(1 << 20);
  let files = 0;
  let bytes = 0;
  let hits = 0;
  for (const path of paths) {
    let fd;
    try {
      fd = openSync(path, 'r');
    } catch {
      continue; // deleted, a dangling link
    }
    try {
      let read;
      do {
        read = readSync(fd, buffer, 0, buffer.length, null);
        bytes += read;
        if (buffer.subarray(0, read).indexOf('sk_') !== -1) hits++;
      } while (read === buffer.length);
      files++;
    } catch {
      // a directory (a submodule)
    } finally {
      closeSync(fd);
    }
  }
  return { files, bytes, hits };
}
