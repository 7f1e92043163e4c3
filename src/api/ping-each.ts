import { AbortError, OptionError } from '../errors.js';
import { validateOptions } from '../options/validate-options.js';
import type { DropsEvent, PingEvent, PingSummary, TargetEvent } from '../pinger/ping-event.js';
import { engineFor, idleSummary, unreachedSummary } from '../runtime/run-targets.js';
import { InputOrder } from './input-order.js';
import type { IntervalEvent } from './interval-event.js';
import { IntervalReports } from './interval-reports.js';
import type { PingOptions } from './ping-options.js';
import { LOW_WATER, SweepLanes, type LaneEntry } from './sweep-lanes.js';
import { feedTargets, isTargetSource, type FeedSink } from './target-feed.js';
import type { TargetSource } from './target-source.js';

// Targets read ahead of the sends: enough that the sessions never wait for the input (they
// send at most 128 a turn, and the feed tops them up between turns), and no more (see LOW_WATER).
const HIGH_WATER = 2 * LOW_WATER;

/** A target's summary from pingEach: its PingSummary, and where it was in the input. */
export interface EachSummary extends PingSummary {
  /** Position of the target in the input, from 0 (every item counts, names that did not resolve too). */
  index: number;
}

/** Extra options of pingEach. */
export interface EachOptions {
  /**
   * Hears every event of every target as it happens (replies, timeouts, errors...), with the
   * target's position in the input (two targets may have the same name or address); and the
   * 'drops' events of the shared sockets, which are about no one target: their index is -1.
   */
  onEvent?: (event: PingEvent, index: number) => void;
  /** Hears progress as names resolve: how many targets resolved (or did not), of how many read so far (the input's length, for an array). */
  onResolved?: (resolved: number, total: number) => void;
  /** Gets a handle that ends the run now: every target read so far still yields its summary (end 'stopped'); no more are read. */
  onStart?: (control: { stop: () => void }) => void;
  /**
   * The order summaries come in: 'completion' (the default), each as soon as its target is
   * done; or 'input', the order of the input, a finished target waiting only for those before
   * it (what waits is bounded by the targets in flight, not by the input).
   */
  order?: 'completion' | 'input';
  /**
   * Milliseconds between interval reports (fping -Q): every `reportEvery` ms from the start,
   * `onInterval` hears one IntervalEvent per target then in flight, in input order. Default:
   * no reports.
   */
  reportEvery?: number;
  /** Reports count from each target's start instead of from the previous report (default false). */
  cumulative?: boolean;
  /** Hears the interval reports (see `reportEvery`). */
  onInterval?: (event: IntervalEvent) => void;
}

// The callback and order options, checked here: the rest are PingOptions, checked by the table.
function checkEachOptions(options: EachOptions): void {
  for (const key of ['onEvent', 'onResolved', 'onStart', 'onInterval'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') throw new OptionError(key, `invalid ${key}: expected a function`);
  }
  if (options.order !== undefined && options.order !== 'completion' && options.order !== 'input') {
    throw new OptionError('order', `invalid order '${String(options.order).slice(0, 40)}': expected 'completion' or 'input'`);
  }
  const every = options.reportEvery;
  if (every !== undefined && (typeof every !== 'number' || !Number.isFinite(every) || every < 1 || every > 2147483647)) {
    throw new OptionError('reportEvery', `invalid reportEvery ${String(every).slice(0, 40)}: expected milliseconds, 1 to 2147483647`);
  }
  if (options.cumulative !== undefined && typeof options.cumulative !== 'boolean')
    throw new OptionError('cumulative', 'invalid cumulative: expected true or false');
}

/**
 * Pings many targets over the shared sockets and yields each target's summary as it is done
 * (or in input order with `order: 'input'`). `targets` is any iterable or async iterable of
 * names and addresses: an array, `addressRange('10.0.0.0/16')`, a generator, the lines of a
 * stream. It is read as the sends need it, and only the targets in flight are held, so a
 * sweep of a million addresses takes the memory of a few thousand.
 *
 * Every target is pinged on its own, also one given twice or two names of one address. Names
 * that do not resolve are yielded with `end: 'unresolved'` (the reason in `error`). The total
 * send rate is capped at `rate` probes per second (default 1000; 0 for no cap). Ending early
 * (`break`, stop(), the deadline, the signal) ends the targets in flight, each still yields
 * its summary, and the rest of the input is not read.
 *
 * @throws OptionError (bad or unknown option, or a size too big for a target's family; a
 *   socket set without a target's family), PermissionError, AbortError, what the input throws
 */
export function pingEach(targets: TargetSource, options: PingOptions & EachOptions = {}): AsyncGenerator<EachSummary, void, undefined> {
  // As an async generator would: nothing happens (not even the checks) before the first next().
  let run: EachRun | null = null;
  let over = false;
  const iterator: AsyncGenerator<EachSummary, void, undefined> = {
    next() {
      if (over) return Promise.resolve({ value: undefined, done: true });
      try {
        run ??= startEach(targets, options);
      } catch (error) {
        over = true;
        return Promise.reject(asError(error));
      }
      return run.next();
    },
    return() {
      over = true;
      run?.end();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error: unknown) {
      over = true;
      run?.end();
      return Promise.reject(asError(error));
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** A run of pingEach once started: its summaries one by one, and a way to end it early. */
interface EachRun {
  next(): Promise<IteratorResult<EachSummary, void>>;
  end(): void;
}

// Summaries are handed out through a plain iterator rather than an async generator: a yield
// costs an async generator several promises and objects, and a sweep yields a million times.
function startEach(targets: TargetSource, options: PingOptions & EachOptions): EachRun {
  if (!isTargetSource(targets)) throw new OptionError('targets', 'targets must be an iterable (an array, a range, a generator) of host names or addresses');
  if (options === null || typeof options !== 'object') throw new OptionError('options', 'options must be an object');
  // What is left after EachOptions' own keys is checked as PingOptions, unknown keys included.
  const { onEvent, onResolved, onStart, order, reportEvery, cumulative = false, onInterval, ...pingOptions } = options;
  checkEachOptions(options);
  const validated = validateOptions(pingOptions, { kind: 'many' });
  const signal = validated.signal;
  if (signal?.aborted === true) throw new AbortError({ cause: signal.reason });
  const clock = engineFor(validated).clock;
  const startMs = clock.now();
  const deadlineMs = validated.session.deadlineMs;

  // Summaries leave through `ready`, in completion order or put back into input order.
  const ready: EachSummary[] = [];
  // next() calls waiting for a summary (a consumer may ask again before the first is answered).
  const waiters: { resolve: (result: IteratorResult<EachSummary, void>) => void; reject: (error: Error) => void }[] = [];
  let failure: unknown = null;
  let finished = false;
  let cleaned = false;
  const cleanUp = (): void => {
    if (cleaned) return;
    cleaned = true;
    reports?.cancel();
    signal?.removeEventListener('abort', onAbort);
  };
  // Answers the waiting next() calls with what is ready; once the run is over, with its end.
  const poke = (): void => {
    while (waiters.length > 0) {
      const value = ready.shift();
      if (value !== undefined) {
        waiters.shift()?.resolve({ value, done: false });
        continue;
      }
      if (!finished) break;
      const end = endOfRun();
      for (const w of waiters.splice(0)) {
        if (end === null) w.resolve({ value: undefined, done: true });
        else w.reject(end);
      }
    }
    if (finished) cleanUp();
  };
  // The run's failure, given once; then null (done).
  const endOfRun = (): Error | null => {
    const error = failure as Error | null;
    failure = null;
    return error;
  };
  const inOrder = order === 'input' ? new InputOrder<EachSummary>((s) => ready.push(s)) : null;
  const deliver = (index: number, summary: PingSummary): void => {
    const each = summary as EachSummary;
    each.index = index;
    if (inOrder !== null) inOrder.put(index, each);
    else ready.push(each);
    poke();
  };

  let roomWaiter: (() => void) | null = null;
  const room = (): void => {
    const w = roomWaiter;
    roomWaiter = null;
    w?.();
  };
  // Names being looked up: if the run ends first, they still get a summary.
  const looking = new Map<number, string>();
  let closed = false;
  // No more reading; every target read gets its summary (those in a session from it).
  const close = (): void => {
    if (closed) return;
    closed = true;
    room();
    const end = deadlineMs !== null && clock.now() - startMs >= deadlineMs ? 'deadline' : 'stopped';
    for (const held of lanes.dropHeld()) deliver(held.index, idleSummary(held.resolved, end));
    for (const [index, target] of looking) deliver(index, unreachedSummary(target, end));
    looking.clear();
    lanes.endInput();
  };
  const reporting = reportEvery !== undefined && onInterval !== undefined;
  const lanes: SweepLanes = new SweepLanes({
    options: validated,
    detail: onEvent !== undefined || reporting,
    counts: reporting,
    onEvent: (event: TargetEvent, entry: LaneEntry) => {
      if (event.type === 'summary') deliver(entry.index, event.summary);
      onEvent?.(event, entry.index);
    },
    onDrops: (event: DropsEvent) => onEvent?.(event, -1),
    onRoom: room,
    onClose: close,
  });
  const stop = (): void => {
    close();
    lanes.stop();
  };

  const sink: FeedSink = {
    resolved: (index, resolved) => {
      looking.delete(index);
      lanes.add({ index, resolved });
    },
    unresolved: (index, summary) => {
      looking.delete(index);
      deliver(index, summary);
    },
    looking: (index, target) => looking.set(index, target),
    flush: () => lanes.flush(),
    hasRoom: () => lanes.waiting < HIGH_WATER,
    room: () => new Promise<void>((resolve) => (roomWaiter = resolve)),
    get closed(): boolean {
      return closed;
    },
  };

  const fail = (error: unknown): void => {
    failure ??= error;
    stop();
    poke();
  };
  lanes.done.then(
    () => {
      finished = true;
      poke();
    },
    (error: unknown) => {
      fail(error);
      finished = true;
      poke();
    },
  );
  // An abort with no session yet (a slow input) is noticed here; the sessions hear it themselves.
  const onAbort = (): void => fail(new AbortError({ cause: signal?.reason }));
  signal?.addEventListener('abort', onAbort, { once: true });

  onStart?.({ stop });
  let reports: IntervalReports | null = null;
  if (reporting) reports = new IntervalReports(clock, startMs, reportEvery, () => lanes.entries(), cumulative, validated.session.intervalMs, onInterval);
  const total = Array.isArray(targets) ? targets.length : null;
  void feedTargets(targets, validated, sink, onResolved === undefined ? undefined : (p) => onResolved(p.resolved, total ?? p.read)).then(
    () => {
      // Everything read is in the lanes: they end once it is done.
      if (!closed) lanes.endInput();
    },
    (error: unknown) => fail(error),
  );
  return {
    next(): Promise<IteratorResult<EachSummary, void>> {
      const value = ready.shift();
      if (value !== undefined) return Promise.resolve({ value, done: false });
      if (finished) {
        cleanUp();
        // Only rawping's own errors and the input's reach here; the run fails once.
        const error = endOfRun();
        return error === null ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(error);
      }
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    // A consumer that stops iterating early stops the probes and the reading too.
    end(): void {
      if (!finished) stop();
      finished = true;
      ready.length = 0;
      cleanUp();
      for (const w of waiters.splice(0)) w.resolve({ value: undefined, done: true });
    },
  };
}

/** The summary of a target whose name was still being looked up when the run ended. */
