import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { KeyguardError } from '../errors.js';
import { readFragments, skimFile } from './read.js';
import type { ScanStats } from './source.js';

/** A file for a pool to read: where it is, and how reports show it. */
export interface PoolFile {
  absolute: string;
  path: string;
}

/**
 * What a worker says of one batch: the text it read, and the files that may hold a key.
 * It sends no text back: candidates are rare, and the main thread reads them again, so a
 * batch costs a list of paths in memory however large its files are.
 */
export type BatchOutcome = { stats: ScanStats; candidates: PoolFile[] } | { error: string; known: boolean };

const WORKER_URL = new URL('./read-worker.js', import.meta.url);
/** Batches in flight per worker, so a worker rarely waits for the main thread (busy with a big file) to send the next. */
const IN_FLIGHT = 4;
/** The kernel serialises much of open/read/close: past a few threads, more only add start-up. */
const MAX_WORKERS = 3;

/**
 * The files of a batch that may hold a key, read through `window`; text files that do not are
 * counted in the outcome's stats. A candidate is read only up to its first possible key.
 */
export function prefilterBatch(files: readonly PoolFile[], window: Buffer): BatchOutcome {
  const stats: ScanStats = { files: 0, bytes: 0 };
  const candidates: PoolFile[] = [];
  try {
    for (const file of files) {
      if (skimFile(file, window, stats)) continue;
      const pieces = readFragments(file.absolute, file.path, window);
      const first = pieces.next();
      if (!first.done) {
        pieces.return({ kind: 'not-a-file' }); // closes the file
        candidates.push(file);
      } else if (first.value.kind === 'text') {
        stats.files++;
        stats.bytes += first.value.bytes;
      }
    }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error), known: error instanceof KeyguardError };
  }
  return { stats, candidates };
}

interface Helper {
  worker: Worker;
  online: boolean;
  inFlight: number;
}

/**
 * Worker threads that take batches of files off the main thread while it reads others:
 * reading is mostly system calls, and a second thread overlaps them (1.12x on 690 MB on a
 * 2-core VM whose kernel serialises much of open/read/close). A worker gets nothing until it
 * is running, so a small tree is read on the main thread before any worker has started and
 * never waits for one.
 */
export class ReadPool {
  private readonly helpers: Helper[] = [];
  private readonly candidates: PoolFile[] = [];
  private failure: Error | undefined;
  private settled: (() => void) | undefined;

  /** Counts what its workers read into `stats`. */
  private constructor(private readonly stats: ScanStats) {}

  /**
   * A pool sized to the machine, or undefined: no spare core, no compiled worker beside this
   * module (run from TypeScript sources, as the unit tests do), or no thread to be had. Workers
   * only ever help: without them the main thread reads everything, as it would anyway.
   */
  static start(stats: ScanStats): ReadPool | undefined {
    const size = Math.min(availableParallelism() - 1, MAX_WORKERS);
    if (size < 1 || !existsSync(fileURLToPath(WORKER_URL))) return undefined;
    const pool = new ReadPool(stats);
    try {
      while (pool.helpers.length < size) pool.helpers.push(pool.spawn());
    } catch {
      pool.close();
      return undefined;
    }
    return pool;
  }

  /** Hands `files` to a running worker with room for them; false when none has. */
  offer(files: readonly PoolFile[]): boolean {
    const helper = this.helpers.find((candidate) => candidate.online && candidate.inFlight < IN_FLIGHT);
    if (!helper) return false;
    helper.inFlight++;
    helper.worker.postMessage(files);
    return true;
  }

  /** The candidates reported since the last call, for the main thread to read; throws a worker's read error. */
  takeCandidates(): PoolFile[] {
    if (this.failure) throw this.failure;
    return this.candidates.splice(0);
  }

  /** Waits for every batch handed out to be answered. */
  async settle(): Promise<void> {
    while (this.helpers.some((helper) => helper.inFlight > 0) && !this.failure) {
      await new Promise<void>((resolve) => (this.settled = resolve));
    }
  }

  /**
   * Stops the workers without waiting for their threads to end (3-6 ms each, measured): a worker
   * holds nothing to finish, and an unreferenced one never keeps the process alive.
   */
  close(): void {
    for (const { worker } of this.helpers) {
      worker.unref();
      void worker.terminate();
    }
  }

  private spawn(): Helper {
    const worker = new Worker(WORKER_URL);
    const helper: Helper = { worker, online: false, inFlight: 0 };
    worker.once('online', () => (helper.online = true));
    worker.on('message', (outcome: BatchOutcome) => {
      helper.inFlight--;
      if ('error' in outcome) this.failure ??= outcome.known ? new KeyguardError(outcome.error) : new Error(outcome.error);
      else {
        this.stats.files += outcome.stats.files;
        this.stats.bytes += outcome.stats.bytes;
        this.candidates.push(...outcome.candidates);
      }
      this.wake();
    });
    worker.on('error', (error) => this.lost(helper, error));
    worker.once('exit', (code) => this.lost(helper, new Error(`a file-reading worker stopped (exit code ${code})`)));
    return helper;
  }

  /**
   * A worker that failed or stopped gets nothing more. Files it was reading would go unscanned,
   * so then the scan fails; a worker that dies with nothing in hand (it could not start) costs nothing.
   */
  private lost(helper: Helper, error: Error): void {
    helper.online = false;
    if (helper.inFlight > 0) this.failure ??= error;
    this.wake();
  }

  private wake(): void {
    this.settled?.();
    this.settled = undefined;
  }
}
