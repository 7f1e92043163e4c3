import { AbortError, OptionError } from '../errors.js';
import type { ValidatedOptions } from '../options/validate-options.js';
import type { PingSummary } from '../pinger/ping-event.js';
import type { ResolvedTarget } from '../pinger/resolved-target.js';
import { resolveLiteralOne, resolveOne, unresolvedSummary } from '../runtime/run-targets.js';
import { InputOrder } from './input-order.js';

// Names resolve concurrently, but not all at once: getaddrinfo runs on libuv's small pool.
const RESOLVE_CONCURRENCY = 32;
// Targets are handed over in input order (as fping starts them): those read after a name still
// being looked up wait for it, up to this many, then reading waits too.
const MAX_WAITING_FOR_NAMES = 1024;

import type { TargetSource } from './target-source.js';

/** Where the feed puts what it read, and when it must wait. */
export interface FeedSink {
  /** Target `index` of the input, resolved. */
  resolved(index: number, target: ResolvedTarget): void;
  /** Target `index` did not resolve: its summary (end 'unresolved'). */
  unresolved(index: number, summary: PingSummary): void;
  /** Target `index` was read but waits for a name before it (it gets resolved() or unresolved() later). */
  looking(index: number, target: string): void;
  /** Hands what came so far on (the feed calls it after each stretch of reading). */
  flush(): void;
  /** True while the sink takes more targets now. */
  hasRoom(): boolean;
  /** Resolves when the sink may have room again, or the run ended. */
  room(): Promise<void>;
  /** True once the run ended (stopped, deadline, failure): read no more. */
  readonly closed: boolean;
}

/** What the feed reports of its progress. */
export interface FeedProgress {
  /** Targets read so far. */
  read: number;
  /** Targets resolved (or not) so far. */
  resolved: number;
}

function isAsyncSource(source: TargetSource): source is AsyncIterable<string> {
  return typeof (source as Partial<AsyncIterable<string>>)[Symbol.asyncIterator] === 'function';
}

/** True for what pingEach takes as targets (an iterable or async iterable; not a bare string). */
export function isTargetSource(value: unknown): value is TargetSource {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<Iterable<unknown> & AsyncIterable<unknown>>;
  return typeof v[Symbol.iterator] === 'function' || typeof v[Symbol.asyncIterator] === 'function';
}

/**
 * Reads `source` into `sink` in input order, as fast as the sink has room: literals resolve at
 * once, names through the resolver, RESOLVE_CONCURRENCY at a time (their results may come out
 * of order: the index says where each was). Resolves once every target read has been handed
 * over, when the source is exhausted or the sink closed; then the source's iterator is closed.
 *
 * @throws AbortError, or an OptionError about the size (a problem of the run, not of a target);
 *   whatever the source throws
 */
export async function feedTargets(
  source: TargetSource,
  options: ValidatedOptions,
  sink: FeedSink,
  onProgress?: (progress: FeedProgress) => void,
): Promise<void> {
  const progress: FeedProgress = { read: 0, resolved: 0 };
  const fatal = (error: unknown): boolean => error instanceof AbortError || (error instanceof OptionError && error.option === 'size');
  const lookups = new Set<Promise<void>>();
  let failure: unknown = null;
  // Results in input order: one waits only for names before it. A summary is a target that
  // did not resolve (it has `transmitted`); anything else is the resolved target.
  const handOver = new InputOrder<ResolvedTarget | PingSummary>((item, index) => {
    if (sink.closed) return;
    if ('transmitted' in item) sink.unresolved(index, item);
    else sink.resolved(index, item);
  });
  const done = (index: number, result: ResolvedTarget | PingSummary): void => {
    progress.resolved++;
    handOver.put(index, result);
  };

  const take = (index: number, item: unknown): void => {
    const target = String(item);
    try {
      const literal = resolveLiteralOne(target, options);
      if (literal !== null) {
        if (handOver.next < index) sink.looking(index, target);
        done(index, literal);
        return;
      }
    } catch (error) {
      if (fatal(error)) throw error;
      if (handOver.next < index) sink.looking(index, target);
      done(index, unresolvedSummary(target, error));
      return;
    }
    sink.looking(index, target);
    const lookup = resolveOne(target, options).then(
      (resolved) => {
        done(index, resolved);
        if (!sink.closed) sink.flush();
      },
      (error: unknown) => {
        if (fatal(error)) failure ??= error;
        done(index, unresolvedSummary(target, error));
      },
    );
    const tracked: Promise<void> = lookup.finally(() => {
      lookups.delete(tracked);
      onProgress?.(progress);
    });
    lookups.add(tracked);
  };

  // Waits until the sink has room and a lookup slot is free.
  const ready = async (): Promise<void> => {
    while (!sink.closed && failure === null) {
      if (lookups.size >= RESOLVE_CONCURRENCY || (lookups.size > 0 && handOver.held >= MAX_WAITING_FOR_NAMES)) await Promise.race(lookups);
      else if (!sink.hasRoom()) await sink.room();
      else return;
    }
  };

  const iterator = isAsyncSource(source) ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  let exhausted = false;
  try {
    for (;;) {
      await ready();
      if (sink.closed || failure !== null) break;
      // A sync source is read in one go while there is room; an async one an item per await.
      const next = await iterator.next();
      if (next.done === true) {
        exhausted = true;
        break;
      }
      take(progress.read++, next.value);
      if (!isAsyncSource(source)) {
        while (!sink.closed && sink.hasRoom() && lookups.size < RESOLVE_CONCURRENCY && handOver.held < MAX_WAITING_FOR_NAMES) {
          const more = (iterator as Iterator<string>).next();
          if (more.done === true) {
            exhausted = true;
            break;
          }
          take(progress.read++, more.value);
        }
      }
      sink.flush();
      onProgress?.(progress);
      if (exhausted) break;
    }
    // Once the sink closed, names still being looked up are the sink's to report.
    while (lookups.size > 0 && !sink.closed) await Promise.race(lookups);
  } finally {
    if (!exhausted) await iterator.return?.();
  }
  if (failure !== null) throw failure as Error;
}
