// The figures of one target, as the metrics show them: plain numbers updated per probe, and
// the target's label set written once as exposition text, so a scrape of 10000 targets
// builds no label objects and hashes nothing.

/** Prometheus' escaping of a label value: backslash, double quote and newline. */
export function labelValue(text: string): string {
  return text.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** `name="value",...` in the order given. */
export function labelText(labels: readonly (readonly [string, string])[]): string {
  return labels.map(([name, value]) => `${name}="${labelValue(value)}"`).join(',');
}

/** One target's counters, gauges and RTT histogram. */
export class TargetSeries {
  #labels = '';
  #labelBytes: Buffer = Buffer.alloc(0);
  /** Probes whose fate is known: answered, timed out, or failed with an ICMP or send error. */
  requests = 0;
  /** Replies per histogram bucket (not cumulative; the last slot is above every bound). */
  readonly bucketCounts: Float64Array;
  /** Sum of the RTTs of the replies counted, seconds. */
  rttSum = 0;
  /** Replies counted in the histogram. */
  replies = 0;
  duplicates = 0;
  /** TTL / hop limit of the latest reply; 0 before any. */
  ttl = 0;
  timeouts = 0;
  late = 0;
  corrupted = 0;
  /** Wall-clock time of the latest reply, seconds since the epoch; 0 before any. */
  lastReplySeconds = 0;
  /** Lookups of the target's name that failed. */
  dnsFailures = 0;
  /** ICMP errors by `kind="...",code="..."` label text. */
  icmpErrors: Map<string, number> | null = null;
  /** Send errors by `errno="..."` label text. */
  sendErrors: Map<string, number> | null = null;
  readonly #bounds: Float64Array;

  /** @param bounds the histogram's upper bounds in seconds, ascending */
  constructor(labels: string, bounds: Float64Array) {
    this.labels = labels;
    this.#bounds = bounds;
    this.bucketCounts = new Float64Array(bounds.length + 1);
  }

  /** The label set as exposition text, without braces. */
  get labels(): string {
    return this.#labels;
  }

  set labels(text: string) {
    this.#labels = text;
    this.#labelBytes = Buffer.from(text, 'utf8');
  }

  /** The label set as UTF-8 bytes, encoded once. */
  get labelBytes(): Buffer {
    return this.#labelBytes;
  }

  /** A reply with this RTT (seconds) and TTL, at this wall-clock time (seconds); the probe is counted in `requests` by the caller. */
  reply(rttSeconds: number, ttl: number, nowSeconds: number): void {
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && rttSeconds > (bounds[i] as number)) i++;
    this.bucketCounts[i] = (this.bucketCounts[i] as number) + 1;
    this.rttSum += rttSeconds;
    this.replies++;
    if (ttl >= 0) this.ttl = ttl;
    this.lastReplySeconds = nowSeconds;
  }

  /** An ICMP error about one of the target's probes. */
  icmpError(kind: string, code: number): void {
    this.icmpErrors ??= new Map();
    const key = `kind="${labelValue(kind)}",code="${code}"`;
    this.icmpErrors.set(key, (this.icmpErrors.get(key) ?? 0) + 1);
  }

  /** A send that failed with this errno name. */
  sendError(errno: string): void {
    this.sendErrors ??= new Map();
    const key = `errno="${labelValue(errno)}"`;
    this.sendErrors.set(key, (this.sendErrors.get(key) ?? 0) + 1);
  }
}
