// Untrusted text on a terminal (docs/hostile-inputs.md #26): C0 controls (0x00-0x1f, ECMA-48), DEL (0x7f)
// and C1 controls (0x80-0x9f, which include the 8-bit CSI 0x9b) become \xNN; a backslash
// becomes \\ so an escape in the output is never ambiguous.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { escapeText, safeJson } from '../../src/wording/escape-text.js';

test('plain text, punctuation and non-ASCII letters are left alone', () => {
  for (const s of ['example.com', 'host-1.example', '127.0.0.1', 'fe80::1%eth0', 'münchen.de', '例え.テスト', 'a b', '~!@#$%^&*()']) {
    assert.equal(escapeText(s), s);
  }
});

test('C0 control characters become \\xNN with two lower-case hex digits', () => {
  assert.equal(escapeText('\x00'), '\\x00');
  assert.equal(escapeText('a\nb'), 'a\\x0ab');
  assert.equal(escapeText('\r'), '\\x0d');
  assert.equal(escapeText('\t'), '\\x09');
  assert.equal(escapeText('\x07'), '\\x07'); // BEL
  assert.equal(escapeText('\x08'), '\\x08'); // backspace
  assert.equal(escapeText('\x1f'), '\\x1f');
});

test('terminal escape sequences are defused: ESC, 8-bit CSI, OSC title setting', () => {
  assert.equal(escapeText('\x1b[31mred\x1b[0m'), '\\x1b[31mred\\x1b[0m');
  assert.equal(escapeText('\x1b]0;pwned\x07'), '\\x1b]0;pwned\\x07');
  assert.equal(escapeText('\x9b2J'), '\\x9b2J'); // C1 CSI: clear screen on terminals that honour 8-bit controls
  assert.equal(escapeText('\x1bc'), '\\x1bc'); // RIS: full reset
});

test('DEL and the whole C1 range are escaped, the characters either side are not', () => {
  assert.equal(escapeText('\x7e'), '~');
  assert.equal(escapeText('\x7f'), '\\x7f');
  assert.equal(escapeText('\x80'), '\\x80');
  assert.equal(escapeText('\x9f'), '\\x9f');
  assert.equal(escapeText('\xa0'), '\xa0');
  assert.equal(escapeText('\x20'), ' ');
});

test('a backslash is doubled, so "\\x1b" typed literally is not confused with an escaped ESC', () => {
  assert.equal(escapeText('\\'), '\\\\');
  assert.equal(escapeText('\\x1b'), '\\\\x1b');
  assert.notEqual(escapeText('\\x1b'), escapeText('\x1b'));
});

test('long text is cut to max characters and marked with "..."', () => {
  assert.equal(escapeText('a'.repeat(256)), 'a'.repeat(256));
  assert.equal(escapeText('a'.repeat(257)), `${'a'.repeat(256)}...`);
  assert.equal(escapeText('a'.repeat(1_000_000)).length, 259);
  assert.equal(escapeText('abcdef', 3), 'abc...');
  assert.equal(escapeText('abc', 3), 'abc');
  // The cut happens on the raw text; escapes after it are whole.
  assert.equal(escapeText('ab\x1bcd', 3), 'ab\\x1b...');
});

function unescape(s: string): string {
  return s.replace(/\\(\\|x([0-9a-f]{2})|u([0-9a-f]{4})|u\{([0-9a-f]+)\})/g, (_m, what: string, x?: string, u?: string, wide?: string) => {
    if (what === '\\') return '\\';
    if (x !== undefined) return String.fromCharCode(parseInt(x, 16));
    return u !== undefined ? String.fromCharCode(parseInt(u, 16)) : String.fromCodePoint(parseInt(wide as string, 16));
  });
}

// Characters drawn mostly from the dangerous range and from what escapes are made of.
const textUnit = fc.oneof(
  fc.integer({ min: 0, max: 0xa0 }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\\', 'x', '1', 'b', '.'),
  fc.integer({ min: 0xa1, max: 0x10ffff }).map((c) => String.fromCodePoint(c)), // lone surrogates included
);

test('property: the output holds no control character and unescapes back to the (cut) input', () => {
  fc.assert(
    fc.property(fc.string({ unit: textUnit, maxLength: 300 }), fc.integer({ min: 1, max: 300 }), (s, max) => {
      const out = escapeText(s, max);
      assert.doesNotMatch(out, /[\p{Cc}\p{Cf}\u2028\u2029]|\p{Cs}/u);
      const cut = s.length > max ? s.slice(0, max) : s;
      const expected = s.length > max ? `${cut}...` : cut;
      assert.equal(unescape(out), expected);
    }),
    { numRuns: 1000 },
  );
});

// docs/hostile-inputs.md #26: names that reorder or hide what the terminal shows.
test('format characters are escaped too: bidi overrides and isolates, zero-width characters, the BOM, separators', () => {
  assert.equal(escapeText('evil\u202egnp.exe'), 'evil\\u202egnp.exe');
  assert.equal(escapeText('a\u2066b\u2069c'), 'a\\u2066b\\u2069c');
  assert.equal(escapeText('x\u200by\u200dz\ufeff'), 'x\\u200by\\u200dz\\ufeff');
  assert.equal(escapeText('line\u2028next'), 'line\\u2028next');
  assert.equal(escapeText('tag\u{e0041}'), 'tag\\u{e0041}');
  // Letters, accents and emoji stay as they are.
  assert.equal(escapeText('café ✓ 東京 👍'), 'café ✓ 東京 👍');
});

test('safeJson writes DEL, C1, format characters and separators as \\u escapes and parses back to the same value', () => {
  const value = { name: 'a\x7fb\x9bc\u202ed\u2028e\u{e0041}f\x1b' };
  const line = safeJson(value);
  assert.doesNotMatch(line, /[\p{Cc}\p{Cf}\u2028\u2029]/u);
  assert.deepEqual(JSON.parse(line), value);
  assert.equal(safeJson({ a: 'plain' }), JSON.stringify({ a: 'plain' }));
});
