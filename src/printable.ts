/**
 * Text from outside (file contents, file names, git's and a config's words) made safe to
 * print on a terminal: control characters become U+FFFD, so none can break a line or drive
 * the terminal with an escape sequence. Tabs stay.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, '\ufffd');
}
