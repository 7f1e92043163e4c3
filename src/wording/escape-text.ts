// Untrusted text (names from DNS or argv, lines of a --file) on its way to a terminal or a
// JSON line. Control characters move the cursor or change the terminal's state; format
// characters (Unicode category Cf: the bidi overrides U+202A-U+202E and isolates
// U+2066-U+2069, zero-width joiners, the BOM...) reorder or hide what is shown, so a name can
// pass for another. Both become visible escapes, and nothing of the text is lost.

/** Every character escaped in text output: C0, DEL, C1, format characters, line and paragraph separators, lone surrogates. */
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]|\p{Cs}/gu;
const UNSAFE_OR_BACKSLASH = /[\p{Cc}\p{Cf}\u2028\u2029\\]|\p{Cs}/gu;

const PRINTABLE = /^[\x20-\x7e]*$/;
const PRINTABLE_NO_BACKSLASH = /^[\x20-\x5b\x5d-\x7e]*$/;

function escapeOne(c: string): string {
  if (c === '\\') return '\\\\';
  const code = c.codePointAt(0) as number;
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
}

/**
 * Makes untrusted text safe to print on a terminal: control and format characters and
 * backslashes become escapes (`\x1b`, `\u202e`, `\\`), so no character of it can move the
 * cursor, change the terminal's state or reorder what is shown. Long text is cut to `max`
 * characters.
 *
 * @param max longest text kept, in characters (default 256)
 * @param keepBackslashes leave backslashes as they are (for whole messages, whose names
 *   were escaped already and must not have their escapes escaped again); default false
 */
export function escapeText(text: string, max = 256, keepBackslashes = false): string {
  // Nearly every text is a name or an address in printable ASCII: kept as it is without the
  // Unicode-aware replace, which a sweep would run once per line printed.
  if (text.length <= max && (keepBackslashes ? PRINTABLE : PRINTABLE_NO_BACKSLASH).test(text)) return text;
  const cut = text.length > max ? `${text.slice(0, max)}...` : text;
  return cut.replace(keepBackslashes ? UNSAFE : UNSAFE_OR_BACKSLASH, escapeOne);
}

// What JSON.stringify leaves raw but a terminal acts on: DEL, C1, format characters and the
// line separators (it escapes C0 and lone surrogates itself).
const JSON_UNSAFE = /[\x7f-\x9f\p{Cf}\u2028\u2029]/gu;

/**
 * JSON.stringify, with every character a terminal would act on written as a \u escape: the
 * line is plain ASCII where it matters, and parses back to exactly the same values.
 */
export function safeJson(value: unknown): string {
  // Per UTF-16 unit, as JSON writes a character beyond U+FFFF: a surrogate pair of escapes.
  const escape = (c: string): string => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
  return JSON.stringify(value).replace(JSON_UNSAFE, escape);
}
