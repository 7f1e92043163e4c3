/**
 * Makes untrusted text (names from DNS or argv) safe to print on a terminal: control
 * characters, DEL, C1 controls and backslashes become escapes, so no byte of it can move the
 * cursor or change the terminal's state. Long text is cut to `max` characters.
 *
 * @param keepBackslashes leave backslashes as they are (for whole messages, whose names
 *   were escaped already and must not have their escapes escaped again); default false
 */
export function escapeText(text: string, max = 256, keepBackslashes = false): string {
  const cut = text.length > max ? `${text.slice(0, max)}...` : text;
  return cut.replace(keepBackslashes ? /[\x00-\x1f\x7f-\x9f]/g : /[\x00-\x1f\x7f-\x9f\\]/g, (c) => {
    if (c === '\\') return '\\\\';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
