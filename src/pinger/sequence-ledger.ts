/**
 * Which session has each sequence number in flight, for the sessions whose probes carry no
 * cookie (payloads under four bytes): their replies can only be told apart by identifier and
 * sequence, so such sessions never draw a sequence another of them holds. A sequence is held
 * from the send of a probe until its record leaves the session's probe table (expired, or
 * replaced); a session with many targets may hold one sequence once per target.
 */
export class SequenceLedger {
  // sequence -> [owner, how many of the owner's records hold it]
  readonly #held = new Map<number, { owner: number; count: number }>();

  /** The owner holding `sequence`, or undefined. */
  ownerOf(sequence: number): number | undefined {
    return this.#held.get(sequence)?.owner;
  }

  /** True when `sequence` is free for `owner`: nobody holds it, or `owner` itself does. */
  isFreeFor(sequence: number, owner: number): boolean {
    const entry = this.#held.get(sequence);
    return entry === undefined || entry.owner === owner;
  }

  /** `owner` holds `sequence` once more (call only when isFreeFor said so). */
  claim(sequence: number, owner: number): void {
    const entry = this.#held.get(sequence);
    if (entry === undefined) this.#held.set(sequence, { owner, count: 1 });
    else if (entry.owner === owner) entry.count++;
  }

  /** `owner` holds `sequence` once less. */
  release(sequence: number, owner: number): void {
    const entry = this.#held.get(sequence);
    if (entry === undefined || entry.owner !== owner) return;
    if (--entry.count === 0) this.#held.delete(sequence);
  }

  /** Sequences held in all (for tests and diagnostics). */
  get size(): number {
    return this.#held.size;
  }
}
