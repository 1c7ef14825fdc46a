/**
 * Text that came from the build, the layer or the repository (a file name, a module name, a line a
 * container printed), made one log line. The runner reads a line break (\n, \r, …) in the log as the
 * start of a new line, and a line that starts with `::` or `##[` as a workflow command: so every control
 * character is shown as an escape, never written.
 */
export function oneLine(text: string): string {
  return text.replace(
    /[\p{Cc}\u0085\u2028\u2029]/gu,
    (char) => `\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
}
