// The per-target metric families in Prometheus' text format (version 0.0.4), written straight
// from the targets' numbers. prom-client keeps a label object and a hash per series and
// builds every line from them on each scrape: at 10000 targets one scrape took 0.8-1.5 s and
// the process 300 MB (bench/scenarios/exporter.mjs measures it), against a budget of 0.5 s
// and 250 MB for the whole exporter. The families and label keys are smokeping_prober's, so
// its dashboards work unchanged; rawping's own are under rawping_.
import type { TargetSeries } from './target-series.js';
import { TextWriter } from './text-writer.js';

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

const HIST = 'smokeping_response_duration_seconds';

interface SimpleFamily {
  name: string;
  type: 'counter' | 'gauge';
  help: string;
  /** The target's value; null: no line for it. */
  pick: (s: TargetSeries) => number | null;
}

/** The families of one value per target, in the order they are written after the histogram. */
const SIMPLE: readonly SimpleFamily[] = [
  {
    name: 'smokeping_requests_total',
    type: 'counter',
    help: 'Echo requests whose fate is known: answered, timed out, or refused with an ICMP or send error.',
    pick: (s) => s.requests,
  },
  { name: 'smokeping_response_duplicates_total', type: 'counter', help: 'Extra copies of replies already counted.', pick: (s) => s.duplicates },
  { name: 'smokeping_response_ttl', type: 'gauge', help: 'TTL or hop limit of the latest reply.', pick: (s) => s.ttl },
  { name: 'rawping_timeouts_total', type: 'counter', help: 'Probes that got no reply within their timeout.', pick: (s) => s.timeouts },
  {
    name: 'rawping_late_replies_total',
    type: 'counter',
    help: 'Replies that came after their probe had timed out (not counted as responses).',
    pick: (s) => s.late,
  },
  {
    name: 'rawping_corrupted_replies_total',
    type: 'counter',
    help: 'Replies whose ICMP checksum failed (not counted as responses).',
    pick: (s) => s.corrupted,
  },
  {
    name: 'rawping_last_reply_timestamp_seconds',
    type: 'gauge',
    help: 'When the latest reply came, seconds since the epoch.',
    pick: (s) => (s.lastReplySeconds > 0 ? s.lastReplySeconds : null),
  },
  {
    name: 'rawping_dns_failures_total',
    type: 'counter',
    help: "Lookups of the target's name that failed (the last address found is still probed).",
    pick: (s) => s.dnsFailures,
  },
];

/** Families with one more label set per target. */
const KEYED = [
  {
    name: 'rawping_icmp_errors_total',
    help: 'ICMP errors about the probes, by kind and code (unreachable, time exceeded...).',
    pick: (s: TargetSeries) => s.icmpErrors,
  },
  { name: 'rawping_send_errors_total', help: 'Probes the kernel refused to send, by errno.', pick: (s: TargetSeries) => s.sendErrors },
] as const;

// A line is the family's name and a brace, the target's label bytes (encoded once per label
// set), the rest of the braces and a number: three copies. Line beginnings kept per target
// (11 small buffers each) saved one copy but cost 14 MB of heap at 10000 targets.
const enc = (text: string): Buffer => Buffer.from(text, 'utf8');
const SIMPLE_OPEN = SIMPLE.map((f) => enc(`${f.name}{`));
const CLOSE = enc('} ');
const BUCKET_OPEN = enc(`${HIST}_bucket{`);
const SUM_OPEN = enc(`${HIST}_sum{`);
const COUNT_OPEN = enc(`${HIST}_count{`);

function header(out: TextWriter, name: string, type: string, help: string): void {
  out.text(`# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`);
}

/** Where the exposition goes, a piece at a time: resolves true to go on (after any back-pressure), false when the reader is gone. */
export type ExpositionSink = (piece: Buffer) => Promise<boolean>;

/** Bytes per piece handed to the sink: the event loop turns between two, so replies keep being read. */
export const PIECE_BYTES = 1024 * 1024;

/**
 * Writes the exposition's per-target families to a sink, a piece at a time. Every target's
 * figures are first copied at one moment (a few milliseconds for 10000 targets), so all
 * families of a scrape agree (no scrape shows more replies than requests); the text itself is
 * then made family by family, in pieces of PIECE_BYTES sent as they are made, with the sink's
 * back-pressure: the 30 MB of text of 10000 targets never sit in memory at once.
 */
export class TargetExposition {
  readonly #bounds: readonly number[];
  readonly #le: Buffer[];

  /** @param bounds the histogram's upper bounds, seconds */
  constructor(bounds: readonly number[]) {
    this.#bounds = bounds;
    this.#le = [...bounds.map((b) => goFloat(b)), '+Inf'].map((text) => Buffer.from(`,le="${text}"} `, 'utf8'));
  }

  /** The bounds it writes the histogram with, seconds. */
  get bounds(): readonly number[] {
    return this.#bounds;
  }

  /** Writes the families of every target in `series` to `sink`; resolves false when the sink gave up. */
  async stream(series: readonly TargetSeries[], sink: ExpositionSink): Promise<boolean> {
    const n = series.length;
    const le = this.#le;
    const B = le.length;
    // The snapshot: per target, the simple families' values (NaN: no line), then the
    // histogram's sum, count and cumulative bucket counts.
    const width = SIMPLE.length + 2 + B;
    const values = new Float64Array(n * width);
    const labels: Buffer[] = new Array<Buffer>(n);
    const keyedLines: (string[] | null)[][] = KEYED.map(() => []);
    for (let i = 0; i < n; i++) {
      const s = series[i] as TargetSeries;
      labels[i] = s.labelBytes;
      const at = i * width;
      for (let k = 0; k < SIMPLE.length; k++) values[at + k] = (SIMPLE[k] as SimpleFamily).pick(s) ?? NaN;
      values[at + SIMPLE.length] = s.rttSum;
      values[at + SIMPLE.length + 1] = s.replies;
      let cumulative = 0;
      for (let b = 0; b < B; b++) {
        cumulative += s.bucketCounts[b] as number;
        values[at + SIMPLE.length + 2 + b] = cumulative;
      }
      KEYED.forEach((f, k) => {
        const map = f.pick(s);
        (keyedLines[k] as (string[] | null)[]).push(map === null ? null : [...map].map(([extra, v]) => `${f.name}{${s.labels},${extra}} ${v}\n`));
      });
    }

    let out = new TextWriter(PIECE_BYTES + 4096);
    const flush = async (force: boolean): Promise<boolean> => {
      if (out.length === 0 || (!force && out.length < PIECE_BYTES)) return true;
      const piece = out.bytes();
      out = new TextWriter(PIECE_BYTES + 4096);
      const more = await sink(piece);
      // A turn of the event loop between two pieces even when the sink never waits.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return more;
    };
    const line = (open: Buffer, i: number, close: Buffer, v: number): void => {
      out.raw(open);
      out.raw(labels[i] as Buffer);
      out.raw(close);
      out.number(v);
      out.byte(0x0a);
    };

    // Requests, then the histogram, then the rest: the order smokeping_prober lists them in.
    const order = [0, -1, ...SIMPLE.map((_, k) => k).slice(1)];
    for (const k of order) {
      if (k >= 0) {
        const f = SIMPLE[k] as SimpleFamily;
        header(out, f.name, f.type, f.help);
        for (let i = 0; i < n; i++) {
          const v = values[i * width + k] as number;
          if (!Number.isNaN(v)) line(SIMPLE_OPEN[k] as Buffer, i, CLOSE, v);
          if (!(await flush(false))) return false;
        }
        continue;
      }
      header(out, HIST, 'histogram', 'Round-trip times of the echo replies, seconds, from kernel timestamps.');
      for (let i = 0; i < n; i++) {
        const at = i * width + SIMPLE.length;
        for (let b = 0; b < B; b++) {
          out.raw(BUCKET_OPEN);
          out.raw(labels[i] as Buffer);
          out.raw(le[b] as Buffer);
          out.number(values[at + 2 + b] as number);
          out.byte(0x0a);
        }
        line(SUM_OPEN, i, CLOSE, values[at] as number);
        line(COUNT_OPEN, i, CLOSE, values[at + 1] as number);
        if (!(await flush(false))) return false;
      }
    }
    for (let k = 0; k < KEYED.length; k++) {
      const f = KEYED[k] as (typeof KEYED)[number];
      header(out, f.name, 'counter', f.help);
      for (const lines of keyedLines[k] as (string[] | null)[]) {
        if (lines === null) continue;
        for (const text of lines) out.text(text);
        if (!(await flush(false))) return false;
      }
    }
    return flush(true);
  }
}
