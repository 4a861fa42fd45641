// Preloaded into a keyguard process with `node --import`: when it exits, it writes its peak
// resident set size (kilobytes) to file descriptor 3, for tests that bound its memory.
import { writeSync } from 'node:fs';

process.on('exit', () => writeSync(3, String(process.resourceUsage().maxRSS)));
