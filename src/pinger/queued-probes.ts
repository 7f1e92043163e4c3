import type { TargetState } from './target-state.js';

/**
 * The probes of one target waiting in the socket to be sent one per datagram it receives
 * (reply-clocked sends, SocketLike.queueSends), in the order they go. The socket reports each
 * send in order, with the batch of the datagram that let it go; until then the session has not
 * counted it, and its sequence must not be drawn again. Compacts itself: memory stays bounded
 * however long the run.
 */
export class QueuedProbes {
  /** The target they belong to. */
  readonly target: TargetState;
  #sequences: number[] = [];
  #reported = 0;
  #closing = false;

  constructor(target: TargetState) {
    this.target = target;
  }

  /** Queued and not yet reported sent (the socket may have sent some whose report is on its way). */
  get unreported(): number {
    return this.#sequences.length - this.#reported;
  }

  /** True once the socket dropped its queue: no more go than those whose reports are to come. */
  get closing(): boolean {
    return this.#closing;
  }

  /** True when closing and every report came: nothing of this queue is left anywhere. */
  get done(): boolean {
    return this.#closing && this.unreported === 0;
  }

  /** The sequence the next probe queued should try first: after the last queued, or null when none is unreported. */
  get nextSequence(): number | null {
    return this.unreported > 0 ? ((this.#sequences[this.#sequences.length - 1] as number) + 1) & 0xffff : null;
  }

  /** Probes with these sequences were queued, in this order, after those before. */
  add(sequences: readonly number[]): void {
    if (this.#reported > 1024) {
      this.#sequences = this.#sequences.slice(this.#reported);
      this.#reported = 0;
    }
    for (const seq of sequences) this.#sequences.push(seq);
  }

  /** The sequence of the next queued probe, which the socket reports sent (or failed); undefined when none is queued. */
  takeReported(): number | undefined {
    if (this.#reported >= this.#sequences.length) return undefined;
    return this.#sequences[this.#reported++];
  }

  /** The socket dropped what it had not sent (a failed send ends its queue): only reports that came count. */
  dropUnsent(): void {
    this.#sequences.length = this.#reported;
  }

  /** The socket dropped its queue; `pending` reports of probes it sent are still to come. */
  close(pending: number): void {
    this.#closing = true;
    this.#sequences.length = Math.min(this.#sequences.length, this.#reported + pending);
  }

  /** True when `sequence` is queued and not reported: it may be on the wire, and must not be drawn again. */
  holds(sequence: number): boolean {
    for (let i = this.#reported; i < this.#sequences.length; i++) if (this.#sequences[i] === sequence) return true;
    return false;
  }
}
