import { parentPort } from 'node:worker_threads';
import { prefilterBatch, type PoolFile } from './read-pool.js';
import { WINDOW_BYTES } from './read.js';

// A ReadPool worker: answers each batch of files with what it read and which may hold a key.
const window = Buffer.allocUnsafe(WINDOW_BYTES);
parentPort?.on('message', (files: PoolFile[]) => parentPort?.postMessage(prefilterBatch(files, window)));
