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

// Records are recycled: a long flood replaces tens of thousands of them a second, and fresh
// objects that live for the whole timeout would reach V8's old generation and make the heap
// grow with the length of the run. A record is reused as soon as it leaves the table (its
// sequence came round again, or it expired), so after warm-up adding a probe allocates
// nothing: a flood of 1M probes then peaks at the memory of one of 100k.
interface Slot {
  targetIndex: number;
  sequence: number;
  sentNs: number;
  expiresAtMs: number;
  state: ProbeState;
  /** Index of its entry in the ring (the FIFO), so leaving early can empty that entry. */
  ringIndex: number;
}

/** Told when a sequence enters and leaves the table (the engine's SequenceLedger, for cookieless probes). */
export interface SequenceHolder {
  claim(sequence: number): void;
  release(sequence: number): void;
}

/**
 * The in-flight table of a session: probes by (target, sequence), and in send order for
 * expiry. Every probe of a session has the same timeout, so send order is expiry order and a
 * FIFO replaces a timer per probe. Memory is bounded by what can be live at once: a record
 * leaves at its expiry, or earlier when its sequence number comes round again after an answer,
 * and its object is reused for a later probe.
 */
export class ProbeTable {
  readonly #byKey = new Map<number, Slot>();
  // The FIFO is a ring that doubles when full and never shrinks: after warm-up a long run
  // allocates nothing here (reallocating a big array is old-generation garbage). A record
  // that leaves early leaves an empty entry behind, skipped when its turn comes.
  // Small at first: a check of one probe (isReachable, a sweep's target) never needs more, and a
  // program may run ten thousand of them at once.
  #ring: (Slot | undefined)[] = new Array<Slot | undefined>(4);
  #head = 0;
  #count = 0;
  readonly #free: Slot[] = [];
  readonly #holder: SequenceHolder | null;

  /** @param holder hears each record's sequence as it enters and leaves (default: nobody) */
  constructor(holder: SequenceHolder | null = null) {
    this.#holder = holder;
  }

  static key(targetIndex: number, sequence: number): number {
    return targetIndex * 65536 + sequence;
  }

  /** The record of a probe; valid until the next change to the table. */
  get(targetIndex: number, sequence: number): Probe | undefined {
    return this.#byKey.get(ProbeTable.key(targetIndex, sequence));
  }

  /** True when `sequence` of this target is still awaiting an answer and must not be reused. */
  isBusy(targetIndex: number, sequence: number): boolean {
    const slot = this.#byKey.get(ProbeTable.key(targetIndex, sequence));
    return slot !== undefined && (slot.state === ProbeState.Outstanding || slot.state === ProbeState.Errored);
  }

  /** Records a sent probe, replacing a settled record that had the same sequence. */
  add(targetIndex: number, sequence: number, sentNs: number, expiresAtMs: number): void {
    const key = ProbeTable.key(targetIndex, sequence);
    const previous = this.#byKey.get(key);
    if (previous !== undefined) this.#leave(previous);
    const slot = this.#free.pop() ?? { targetIndex: 0, sequence: 0, sentNs: 0, expiresAtMs: 0, state: ProbeState.Outstanding, ringIndex: 0 };
    slot.targetIndex = targetIndex;
    slot.sequence = sequence;
    slot.sentNs = sentNs;
    slot.expiresAtMs = expiresAtMs;
    slot.state = ProbeState.Outstanding;
    this.#byKey.set(key, slot);
    this.#holder?.claim(sequence);
    if (this.#count === this.#ring.length) this.#grow();
    slot.ringIndex = (this.#head + this.#count) % this.#ring.length;
    this.#ring[slot.ringIndex] = slot;
    this.#count++;
  }

  // Empties its ring entry and reuses the object; the caller updates #byKey.
  #leave(slot: Slot): void {
    this.#ring[slot.ringIndex] = undefined;
    this.#holder?.release(slot.sequence);
    this.#recycle(slot);
  }

  // Full: drop the empty entries, and double the ring only if that did not free half of it.
  #grow(): void {
    const old = this.#ring;
    const kept: Slot[] = [];
    for (let i = 0; i < this.#count; i++) {
      const slot = old[(this.#head + i) % old.length];
      if (slot !== undefined) kept.push(slot);
    }
    const capacity = kept.length * 2 > old.length ? old.length * 2 : old.length;
    this.#ring = capacity === old.length ? old.fill(undefined) : new Array<Slot | undefined>(capacity);
    kept.forEach((slot, i) => {
      this.#ring[i] = slot;
      slot.ringIndex = i;
    });
    this.#head = 0;
    this.#count = kept.length;
  }

  /** Forgets one record. */
  delete(targetIndex: number, sequence: number): void {
    const key = ProbeTable.key(targetIndex, sequence);
    const slot = this.#byKey.get(key);
    if (slot === undefined) return;
    this.#byKey.delete(key);
    this.#leave(slot);
  }

  /** Time (ms) of the next expiry, or null when the table is empty. */
  nextExpiryMs(): number | null {
    while (this.#count > 0) {
      const slot = this.#ring[this.#head];
      if (slot !== undefined) return slot.expiresAtMs;
      this.#advance();
    }
    return null;
  }

  // Moves past the oldest entry.
  #advance(): void {
    this.#ring[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#ring.length;
    this.#count--;
  }

  #recycle(slot: Slot): void {
    if (this.#free.length < 65536) this.#free.push(slot);
  }

  /**
   * Removes every record whose expiry is at or before `nowMs`; `onTimeout` hears each one
   * still outstanding (its state is set to TimedOut first). A probe settled by an ICMP error
   * has had its result already: it leaves quietly.
   */
  expire(nowMs: number, onTimeout: (probe: Probe) => void): void {
    while (this.#count > 0) {
      const slot = this.#ring[this.#head];
      if (slot === undefined) {
        this.#advance();
        continue;
      }
      if (slot.expiresAtMs > nowMs) break;
      this.#byKey.delete(ProbeTable.key(slot.targetIndex, slot.sequence));
      this.#advance();
      this.#holder?.release(slot.sequence);
      if (slot.state === ProbeState.Outstanding) {
        slot.state = ProbeState.TimedOut;
        onTimeout(slot);
      }
      this.#recycle(slot);
    }
  }

  clear(): void {
    if (this.#holder !== null) for (const slot of this.#byKey.values()) this.#holder.release(slot.sequence);
    this.#byKey.clear();
    this.#ring = new Array<Slot | undefined>(4);
    this.#head = 0;
    this.#count = 0;
    this.#free.length = 0;
  }
}
