import { validateTraceOptions } from '../options/validate-trace-options.js';
import type { TraceSession } from '../pinger/trace-session.js';
import type { TraceEvent, TraceSummary } from '../pinger/trace-event.js';
import { resolveTraceTarget, startTrace } from '../runtime/trace-target.js';
import type { TraceOptions } from './trace-options.js';

/**
 * A trace in progress, as an async iterable of its events ('hop' per probe, 'round' per
 * round, 'summary' last), which ends after the summary. One consumer: events wait in a queue
 * until read, so a trace nobody reads holds its events.
 */
export interface TraceRun extends AsyncIterable<TraceEvent> {
  /** Ends the trace now: its events end with the summary of what was measured (end 'stopped'). */
  stop(): void;
  /** Resolves with the summary (the last event's); rejects as trace() does. */
  readonly done: Promise<TraceSummary>;
}

type Step = { event: TraceEvent } | { error: unknown };

/**
 * Starts tracing `target` and returns at once: iterate the events with `for await`. Leaving the
 * loop early (break, return, a throw) stops the trace. Bad options, a name that does not
 * resolve, a missing socket or an abort make the iteration throw (and `done` reject).
 *
 * @param target host name or IP address of the destination
 * @param options see TraceOptions (the same as trace())
 */
export function traceEvents(target: string, options: TraceOptions = {}): TraceRun {
  const queue: Step[] = [];
  let wake: (() => void) | null = null;
  let session: TraceSession | null = null;
  let stopRequested = false;
  const push = (step: Step): void => {
    queue.push(step);
    wake?.();
  };
  const done = (async (): Promise<TraceSummary> => {
    const validated = validateTraceOptions(options);
    const resolved = await resolveTraceTarget(target, validated);
    // An aborted trace ends by throwing AbortError, not with a summary.
    const running = startTrace(resolved, validated, (event) => {
      if (event.type !== 'summary' || validated.signal?.aborted !== true) push({ event });
    });
    session = running.session;
    if (stopRequested) session.stop();
    return running.done;
  })();
  done.catch((error: unknown) => push({ error }));

  const stop = (): void => {
    stopRequested = true;
    session?.stop();
  };
  return {
    stop,
    done,
    async *[Symbol.asyncIterator](): AsyncGenerator<TraceEvent, void, undefined> {
      let finished = false;
      try {
        for (;;) {
          const step = queue.shift();
          if (step === undefined) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = null;
            continue;
          }
          if ('error' in step) {
            finished = true;
            throw step.error;
          }
          yield step.event;
          if (step.event.type === 'summary') {
            finished = true;
            return;
          }
        }
      } finally {
        if (!finished) stop();
      }
    },
  };
}
