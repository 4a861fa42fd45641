/** `[A-Za-z0-9_]`: a key starts only where a run of these does not. Its own module: the prefilter needs it without the detector. */
export function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}
