import { EventEmitter } from 'node:events';
import type {
  CorruptedEvent,
  DropsEvent,
  IcmpErrorEvent,
  LateEvent,
  PingEvent,
  PingSummary,
  ReplyEvent,
  SendErrorEvent,
  SentEvent,
  SummaryEvent,
  TimeoutEvent,
} from '../pinger/ping-event.js';

/** Each event a Pinger emits, with the type its listener receives. */
export interface PingerEvents {
  sent: [event: SentEvent];
  reply: [event: ReplyEvent];
  duplicate: [event: ReplyEvent];
  corrupted: [event: CorruptedEvent];
  late: [event: LateEvent];
  timeout: [event: TimeoutEvent];
  /** An ICMP error about a probe (unreachable, time exceeded...): a result, not a crash. */
  error: [event: IcmpErrorEvent];
  'send-error': [event: SendErrorEvent];
  /**
   * The kernel discarded datagrams at the shared socket (its receive queue was full): some of
   * the loss counted since may be this machine's, not the host's. See DropsEvent.
   */
  drops: [event: DropsEvent];
  summary: [event: SummaryEvent];
  /** The run itself failed (bad target, no socket); `done` rejects with the same error. */
  failure: [error: unknown];
}

/**
 * What the code that starts a Pinger gets to drive it.
 * @internal
 */
export interface PingerControl {
  /** Hands one event to the pinger's listeners and iterators. */
  deliver(event: PingEvent): void;
  /** Connects stop() and snapshot() to the running session. */
  bind(session: { stop: () => void; snapshot: () => PingSummary }): void;
  /** True once stop() was called (before the session is bound: then it must not start). */
  stopped(): boolean;
}

type Step = { event: PingEvent } | { end: true } | { error: unknown };

let construct: (target: string, start: (control: PingerControl) => Promise<PingSummary>) => Pinger;

/**
 * A running ping of one target: an EventEmitter (events named by their `type`: 'sent',
 * 'reply', 'duplicate', 'corrupted', 'late', 'timeout', 'error', 'send-error', 'drops', 'summary'),
 * typed by PingerEvents, and an async iterable of the same events, which ends after 'summary'.
 * Leaving a `for await` loop early (break, return, a throw) stops the pinger.
 *
 * ICMP errors arrive as 'error' events carrying an IcmpErrorEvent. Unlike Node's usual
 * 'error', an unheard one is simply dropped: a host being unreachable is a result, not a
 * crash. A failure of the run itself (bad target, no socket) is emitted as 'failure',
 * rejects `done` and makes the iterator throw.
 */
export class Pinger extends EventEmitter<PingerEvents> {
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

  // Made by createPinger only.
  private constructor(target: string, start: (control: PingerControl) => Promise<PingSummary>) {
    super();
    this.target = target;
    const control: PingerControl = {
      deliver: (event) => this.#deliver(event),
      bind: (session) => {
        this.#stop = session.stop;
        this.#snapshot = session.snapshot;
        if (this.#stopRequested) session.stop();
      },
      stopped: () => this.#stopRequested,
    };
    this.done = start(control).then(
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

  static {
    construct = (target, start) => new Pinger(target, start);
  }

  /** Stops sending (before the first probe: sends none); the run ends and `done` resolves with the summary so far. */
  stop(): void {
    this.#stopRequested = true;
    this.#stop();
  }

  /** The figures so far (null until the target is resolved and the first probe is about to go). */
  snapshot(): PingSummary | null {
    return this.#snapshot();
  }

  #deliver(event: PingEvent): void {
    if (event.type !== 'error' || this.listenerCount('error') > 0) (this.emit as (type: string, event: PingEvent) => boolean)(event.type, event);
    for (const queue of this.#queues) queue.push({ event });
    for (const wake of this.#wakers) wake();
  }

  #finish(step: Step): void {
    this.#finished = step;
    for (const queue of this.#queues) queue.push(step);
    for (const wake of this.#wakers) wake();
  }

  /** Iterates events from now on; ends after the summary, throws if the run fails. Leaving early stops the pinger. */
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
      // break, return or a throw in the loop's body: the caller is done with the pinger.
      if (this.#finished === null) this.stop();
    }
  }
}

/**
 * Makes a Pinger whose run is `start`, which gets the control to feed it events.
 * @internal
 */
export function newPinger(target: string, start: (control: PingerControl) => Promise<PingSummary>): Pinger {
  return construct(target, start);
}
