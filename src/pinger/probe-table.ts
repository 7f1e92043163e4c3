/** Where a probe stands. */
export const enum ProbeState {
  /** Sent; no reply, error or timeout yet. */
  Outstanding = 0,
  /** A reply came (later copies are duplicates). */
  Answered = 1,
  /** An ICMP error came; a reply may still follow. */
  Errored = 2,
  /** Its timeout passed first. */
  TimedOut = 3,
}

/** One probe in flight (or recently answered, kept to recognise duplicates). */
export interface Probe {
  /** Index of the target within its session. */
  readonly targetIndex: number;
  /** 16-bit wire sequence. */
  readonly sequence: number;
  /** Send stamp from the addon, CLOCK_MONOTONIC ns. */
  readonly sentNs: number;
  /** Clock time (ms) after which an unanswered probe has timed out and the record goes. */
  readonly expiresAtMs: number;
  state: ProbeState;
}

/**
 * The in-flight table of a session: probes by (target, sequence), and in send order for
 * expiry. Every probe of a session has the same timeout, so send order is expiry order and a
 * FIFO replaces a timer per probe. Memory is bounded by what can be live at once: a record
 * leaves at its expiry, or earlier when its sequence number comes round again after an answer.
 */
export class ProbeTable {
  readonly #byKey = new Map<number, Probe>();
  #fifo: Probe[] = [];
  #head = 0;

  static key(targetIndex: number, sequence: number): number {
    return targetIndex * 65536 + sequence;
  }

  /** Live records. */
  get size(): number {
    return this.#byKey.size;
  }

  get(targetIndex: number, sequence: number): Probe | undefined {
    return this.#byKey.get(ProbeTable.key(targetIndex, sequence));
  }

  /** True when `sequence` of this target is still awaiting an answer and must not be reused. */
  isBusy(targetIndex: number, sequence: number): boolean {
    const probe = this.#byKey.get(ProbeTable.key(targetIndex, sequence));
    return probe !== undefined && (probe.state === ProbeState.Outstanding || probe.state === ProbeState.Errored);
  }

  /** Records a sent probe, replacing a settled record that had the same sequence. */
  add(probe: Probe): void {
    this.#byKey.set(ProbeTable.key(probe.targetIndex, probe.sequence), probe);
    this.#fifo.push(probe);
    // Replaced records stay in the FIFO until their turn; compact when they dominate.
    const queued = this.#fifo.length - this.#head;
    if (queued > 1024 && queued > 2 * this.#byKey.size) this.#compact();
  }

  /** Forgets one record (its FIFO entry goes at the next compaction or expiry pass). */
  delete(targetIndex: number, sequence: number): void {
    this.#byKey.delete(ProbeTable.key(targetIndex, sequence));
  }

  /** Time (ms) of the next expiry, or null when the table is empty. */
  nextExpiryMs(): number | null {
    while (this.#head < this.#fifo.length) {
      const probe = this.#fifo[this.#head] as Probe;
      if (this.#byKey.get(ProbeTable.key(probe.targetIndex, probe.sequence)) === probe) return probe.expiresAtMs;
      this.#head++;
    }
    return null;
  }

  /**
   * Removes every record whose expiry is at or before `nowMs`; `onTimeout` hears each one
   * that was still unanswered (its state is set to TimedOut first).
   */
  expire(nowMs: number, onTimeout: (probe: Probe) => void): void {
    while (this.#head < this.#fifo.length) {
      const probe = this.#fifo[this.#head] as Probe;
      const key = ProbeTable.key(probe.targetIndex, probe.sequence);
      if (this.#byKey.get(key) !== probe) {
        this.#head++;
        continue;
      }
      if (probe.expiresAtMs > nowMs) break;
      this.#head++;
      this.#byKey.delete(key);
      if (probe.state === ProbeState.Outstanding || probe.state === ProbeState.Errored) {
        probe.state = ProbeState.TimedOut;
        onTimeout(probe);
      }
    }
    if (this.#head > 4096 && this.#head * 2 > this.#fifo.length) this.#compact();
  }

  clear(): void {
    this.#byKey.clear();
    this.#fifo = [];
    this.#head = 0;
  }

  #compact(): void {
    const live: Probe[] = [];
    for (let i = this.#head; i < this.#fifo.length; i++) {
      const probe = this.#fifo[i] as Probe;
      if (this.#byKey.get(ProbeTable.key(probe.targetIndex, probe.sequence)) === probe) live.push(probe);
    }
    this.#fifo = live;
    this.#head = 0;
  }
}
