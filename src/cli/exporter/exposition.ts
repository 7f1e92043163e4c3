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

/** Targets written between two turns of the event loop: replies are read meanwhile. */
export const TARGETS_PER_SLICE = 250;

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

/** The buffers of one scrape's text. */
interface WriterSet {
  simple: TextWriter[];
  hist: TextWriter;
  keyed: TextWriter[];
}

/** A scrape's per-target families: chunks of bytes to send in order, then `release()`. */
export interface ExpositionText {
  chunks: Buffer[];
  /** Gives the buffers back for the next scrape: call once the chunks are sent (or dropped). */
  release(): void;
}

/**
 * Writes the exposition's per-target families. Its buffers are reused from one scrape to the
 * next and the families are sent as they are, not joined: a fresh 30 MB buffer per scrape,
 * and a copy of it, cost more than writing the text (page faults and memory bandwidth). A
 * scrape that comes while another is still being sent gets buffers of its own.
 */
export class TargetExposition {
  readonly #bounds: readonly number[];
  readonly #le: Buffer[];
  readonly #free: WriterSet[] = [];

  /** @param bounds the histogram's upper bounds, seconds */
  constructor(bounds: readonly number[]) {
    this.#bounds = bounds;
    this.#le = [...bounds.map((b) => goFloat(b)), '+Inf'].map((text) => Buffer.from(`,le="${text}"} `, 'utf8'));
  }

  /**
   * The per-target families of every target in `series`, as exposition bytes (a fresh buffer).
   * Each target's figures are read at one moment for all families (no scrape shows more
   * replies than requests), and the event loop turns between slices of TARGETS_PER_SLICE
   * targets, so replies keep being read while a large exposition is built.
   */
  async write(series: readonly TargetSeries[]): Promise<ExpositionText> {
    // Sized for these targets at once (a writer that doubles its way up to 30 MB holds the old
    // and the new buffer at each step): a line is the labels and some 60 bytes.
    const line = (series[0]?.labels.length ?? 40) + 64;
    const set = this.#free.pop() ?? {
      simple: SIMPLE.map(() => new TextWriter(series.length * line)),
      hist: new TextWriter(series.length * line * (this.#le.length + 2)),
      keyed: KEYED.map(() => new TextWriter()),
    };
    const { simple, hist, keyed } = set;
    SIMPLE.forEach((f, i) => {
      (simple[i] as TextWriter).reset();
      header(simple[i] as TextWriter, f.name, f.type, f.help);
    });
    hist.reset();
    header(hist, HIST, 'histogram', 'Round-trip times of the echo replies, seconds, from kernel timestamps.');
    KEYED.forEach((f, i) => {
      (keyed[i] as TextWriter).reset();
      header(keyed[i] as TextWriter, f.name, 'counter', f.help);
    });
    const le = this.#le;
    const list = series.slice();
    const n = list.length;
    for (let from = 0; from < n; from += TARGETS_PER_SLICE) {
      if (from > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const to = Math.min(n, from + TARGETS_PER_SLICE);
      for (let i = from; i < to; i++) {
        const s = list[i] as TargetSeries;
        const labels = s.labelBytes;
        for (let k = 0; k < SIMPLE.length; k++) {
          const v = (SIMPLE[k] as SimpleFamily).pick(s);
          if (v === null) continue;
          const out = simple[k] as TextWriter;
          out.raw(SIMPLE_OPEN[k] as Buffer);
          out.raw(labels);
          out.raw(CLOSE);
          out.number(v);
          out.byte(0x0a);
        }
        const counts = s.bucketCounts;
        let cumulative = 0;
        for (let b = 0; b < le.length; b++) {
          cumulative += counts[b] as number;
          hist.raw(BUCKET_OPEN);
          hist.raw(labels);
          hist.raw(le[b] as Buffer);
          hist.number(cumulative);
          hist.byte(0x0a);
        }
        hist.raw(SUM_OPEN);
        hist.raw(labels);
        hist.raw(CLOSE);
        hist.number(s.rttSum);
        hist.byte(0x0a);
        hist.raw(COUNT_OPEN);
        hist.raw(labels);
        hist.raw(CLOSE);
        hist.number(s.replies);
        hist.byte(0x0a);
        for (let k = 0; k < KEYED.length; k++) {
          const map = (KEYED[k] as (typeof KEYED)[number]).pick(s);
          if (map === null) continue;
          const out = keyed[k] as TextWriter;
          for (const [extra, v] of map) {
            out.text(`${(KEYED[k] as (typeof KEYED)[number]).name}{${s.labels},${extra}} `);
            out.number(v);
            out.byte(0x0a);
          }
        }
      }
    }
    // The histogram second, as smokeping_prober lists it: requests, then the replies.
    const [requests, ...rest] = simple;
    let released = false;
    return {
      chunks: [(requests as TextWriter).bytes(), hist.bytes(), ...rest.map((w) => w.bytes()), ...keyed.map((w) => w.bytes())],
      release: () => {
        if (released) return;
        released = true;
        this.#free.push(set);
      },
    };
  }

  /** The bounds it writes the histogram with, seconds. */
  get bounds(): readonly number[] {
    return this.#bounds;
  }
}
