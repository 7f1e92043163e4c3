import { EventEmitter } from 'node:events';
import type { PingEvent, PingSummary } from '../pinger/ping-event.js';

type Step = { event: PingEvent } | { end: true } | { error: unknown };

/**
 * A running ping of one target: an EventEmitter (events named by their `type`: 'sent',
 * 'reply', 'duplicate', 'corrupted', 'late', 'timeout', 'error', 'send-error', 'summary')
 * and an async iterable of the same events, which ends after 'summary'.
 *
 * ICMP errors arrive as 'error' events carrying an IcmpErrorEvent. Unlike Node's usual
 * 'error', an unheard one is simply dropped: a host being unreachable is a result, not a
 * crash. A failure of the run itself (bad target, no socket) is emitted as 'failure',
 * rejects `done` and makes the iterator throw.
 */
export class Pinger extends EventEmitter {
  /** The target as given. */
  readonly target: string;
  /** Resolves with the final summary; rejects when the run fails or is aborted. */
  readonly done: Promise<PingSummary>;
  #stop: () => void = () => {
    this.#stopRequested = true;
  };
  #snapshot: () => PingSummary | null = () => null;
  #stopRequested = false;
  #queues = new Set<Step[]>();
  #wakers = new Set<() => void>();
  #finished: Step | null = null;

  /** @internal Built by createPinger, which wires `start`. */
  constructor(target: string, start: (pinger: Pinger) => Promise<PingSummary>) {
    super();
    this.target = target;
    this.done = start(this).then(
      (summary) => {
        this.#finish({ end: true });
        return summary;
      },
      (error: unknown) => {
        this.#finish({ error });
        if (this.listenerCount('failure') > 0) this.emit('failure', error);
        throw error;
      },
    );
    // The promise is also surfaced through 'failure' and the iterator; do not let an unused
    // `done` turn a failure into an unhandled rejection.
    this.done.catch(() => {});
  }

  /** Stops sending; the run ends and `done` resolves with the summary so far. */
  stop(): void {
    this.#stop();
  }

  /** The figures so far (null until the target is resolved and the first probe is about to go). */
  snapshot(): PingSummary | null {
    return this.#snapshot();
  }

  /** @internal Connects stop() and snapshot() to the running session. */
  bindSession(control: { stop: () => void; snapshot: () => PingSummary }): void {
    this.#stop = control.stop;
    this.#snapshot = control.snapshot;
    if (this.#stopRequested) control.stop();
  }

  /** @internal Delivers one event to listeners and iterators. */
  deliver(event: PingEvent): void {
    if (event.type !== 'error' || this.listenerCount('error') > 0) this.emit(event.type, event);
    for (const queue of this.#queues) queue.push({ event });
    for (const wake of this.#wakers) wake();
  }

  #finish(step: Step): void {
    this.#finished = step;
    for (const queue of this.#queues) queue.push(step);
    for (const wake of this.#wakers) wake();
  }

  /** Iterates events from now on; ends after the summary, throws if the run fails. */
  async *[Symbol.asyncIterator](): AsyncGenerator<PingEvent, void, undefined> {
    const queue: Step[] = [];
    if (this.#finished !== null) queue.push(this.#finished);
    this.#queues.add(queue);
    try {
      for (;;) {
        const step = queue.shift();
        if (step === undefined) {
          await new Promise<void>((resolve) => {
            const wake = (): void => {
              this.#wakers.delete(wake);
              resolve();
            };
            this.#wakers.add(wake);
          });
          continue;
        }
        if ('event' in step) yield step.event;
        else if ('error' in step) throw step.error;
        else return;
      }
    } finally {
      this.#queues.delete(queue);
    }
  }
}
