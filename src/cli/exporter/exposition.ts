// The per-target metric families in Prometheus' text format (version 0.0.4), written straight
// from the targets' numbers. prom-client keeps a label object and a hash per series and
// builds every line from them on each scrape: at 10000 targets one scrape took 0.8-1.5 s and
// the process 300 MB (bench/scenarios/exporter.mjs measures it), against a budget of 0.5 s
// and 250 MB for the whole exporter. The families and label keys are smokeping_prober's, so
// its dashboards work unchanged; rawping's own are under rawping_.
import type { TargetSeries } from './target-series.js';

/**
 * A number as Go's strconv.FormatFloat(v, 'g', -1, 64) writes it, which is how
 * smokeping_prober's `le` labels read ("5e-05", "0.0001", "26.2144"): dashboards and
 * recording rules that match `le` as text find the same values.
 */
export function goFloat(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (Number.isNaN(value)) return 'NaN';
  if (value === 0) return '0';
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 21) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}

/** The default bounds of smokeping_prober's histogram: 20 buckets, 50 us doubling up to 26.2144 s. */
export const DEFAULT_BUCKETS: readonly number[] = Array.from({ length: 20 }, (_, k) => 0.00005 * 2 ** k);

/**
 * Reads `--buckets`: upper bounds in seconds, comma-separated, ascending, finite and positive;
 * at most 64. Throws Error with the reason.
 */
export function parseBuckets(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length > 64) throw new Error(`invalid --buckets: ${parts.length} bounds (at most 64)`);
  const bounds = parts.map((p) => (/^[0-9.eE+-]+$/.test(p) ? Number(p) : NaN));
  bounds.forEach((b, i) => {
    if (!Number.isFinite(b) || b <= 0) throw new Error(`invalid --buckets: '${(parts[i] ?? '').slice(0, 20)}' is not a positive number of seconds`);
    if (i > 0 && b <= (bounds[i - 1] as number)) throw new Error('invalid --buckets: the bounds must be ascending');
  });
  return bounds;
}

function family(out: string[], name: string, type: string, help: string): void {
  out.push(`# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`);
}

/** Lines of one value per target, for the targets whose value `pick` gives (null: none). */
function simple(out: string[], name: string, type: string, help: string, series: readonly TargetSeries[], pick: (s: TargetSeries) => number | null): void {
  family(out, name, type, help);
  for (const s of series) {
    const v = pick(s);
    if (v !== null) out.push(`${name}{${s.labels}} ${v}\n`);
  }
}

/** Lines of a family whose series carry one more label set per target (ICMP errors by kind, send errors by errno). */
function keyed(out: string[], name: string, help: string, series: readonly TargetSeries[], pick: (s: TargetSeries) => Map<string, number> | null): void {
  family(out, name, 'counter', help);
  for (const s of series) {
    const map = pick(s);
    if (map !== null) for (const [extra, v] of map) out.push(`${name}{${s.labels},${extra}} ${v}\n`);
  }
}

/** The per-target families of every target in `series`, with the histogram's `bounds` (seconds). */
export function writeTargetFamilies(series: readonly TargetSeries[], bounds: readonly number[]): string {
  const out: string[] = [];
  simple(
    out,
    'smokeping_requests_total',
    'counter',
    'Echo requests whose fate is known: answered, timed out, or refused with an ICMP or send error.',
    series,
    (s) => s.requests,
  );

  const hist = 'smokeping_response_duration_seconds';
  family(out, hist, 'histogram', 'Round-trip times of the echo replies, seconds, from kernel timestamps.');
  const le = [...bounds.map((b) => goFloat(b)), '+Inf'];
  for (const s of series) {
    const counts = s.bucketCounts;
    let cumulative = 0;
    let text = '';
    for (let i = 0; i < le.length; i++) {
      cumulative += counts[i] as number;
      text += `${hist}_bucket{${s.labels},le="${le[i] as string}"} ${cumulative}\n`;
    }
    out.push(`${text}${hist}_sum{${s.labels}} ${s.rttSum}\n${hist}_count{${s.labels}} ${s.replies}\n`);
  }

  simple(out, 'smokeping_response_duplicates_total', 'counter', 'Extra copies of replies already counted.', series, (s) => s.duplicates);
  simple(out, 'smokeping_response_ttl', 'gauge', 'TTL or hop limit of the latest reply.', series, (s) => s.ttl);
  simple(out, 'rawping_timeouts_total', 'counter', 'Probes that got no reply within their timeout.', series, (s) => s.timeouts);
  simple(out, 'rawping_late_replies_total', 'counter', 'Replies that came after their probe had timed out (not counted as responses).', series, (s) => s.late);
  simple(out, 'rawping_corrupted_replies_total', 'counter', 'Replies whose ICMP checksum failed (not counted as responses).', series, (s) => s.corrupted);
  keyed(out, 'rawping_icmp_errors_total', 'ICMP errors about the probes, by kind and code (unreachable, time exceeded...).', series, (s) => s.icmpErrors);
  keyed(out, 'rawping_send_errors_total', 'Probes the kernel refused to send, by errno.', series, (s) => s.sendErrors);
  simple(out, 'rawping_last_reply_timestamp_seconds', 'gauge', 'When the latest reply came, seconds since the epoch.', series, (s) =>
    s.lastReplySeconds > 0 ? s.lastReplySeconds : null,
  );
  simple(
    out,
    'rawping_dns_failures_total',
    'counter',
    "Lookups of the target's name that failed (the last address found is still probed).",
    series,
    (s) => s.dnsFailures,
  );
  return out.join('');
}
