/**
 * SHA-256 of a text, in hex. node:crypto loads on the first call, not with the module: a scan
 * that finds nothing (the pre-commit hook on most commits) never pays its few milliseconds.
 */
export function sha256Hex(text: string): string {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(text).digest('hex');
}
