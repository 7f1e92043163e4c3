// Durations as smokeping_prober's config writes them (Go's time.ParseDuration): "1s", "500ms",
// "1m30s", "1.5s". A bare number is refused: Go would read it as nanoseconds, which is never
// what a person means by `interval: 1`.

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
// The micro signs are escaped: one character above U+007F anywhere in the CLI's bundle makes V8
// hold its whole source as a two-byte string, twice the memory of an ASCII one, for the
// life of the process (esbuild escapes them in strings, not in regular expressions).
const PART = /([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/y;

/**
 * Milliseconds in a Go duration text such as "1s", "250ms" or "1m30s"; null when the text is
 * not one (no unit, an unknown unit, a sign, spaces, or more than 32 characters).
 */
export function parseDuration(text: string): number | null {
  if (text.length === 0 || text.length > 32) return null;
  if (text === '0') return 0;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const at = PART.lastIndex;
    const match = PART.exec(text);
    if (match === null || match.index !== at) return null;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  return Number.isFinite(total) ? total : null;
}

/** A duration in milliseconds as Go prints it, for logs and messages: "1s", "250ms", "1m30s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}
