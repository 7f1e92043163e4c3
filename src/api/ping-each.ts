import { AbortError, OptionError } from '../errors.js';
import { validateOptions, type ValidatedOptions } from '../options/validate-options.js';
import type { PingEvent, PingSummary } from '../pinger/ping-event.js';
import type { ResolvedTarget } from '../pinger/resolved-target.js';
import { resolveLiteralOne, resolveOne, startTargets, unresolvedSummary } from '../runtime/run-targets.js';
import type { PingOptions } from './ping-options.js';

// Names resolve concurrently, but not all at once: getaddrinfo runs on libuv's small pool.
const RESOLVE_CONCURRENCY = 32;

/** Extra options of pingEach. */
export interface EachOptions {
  /** Hears every event of every target as it happens (replies, timeouts, errors...). */
  onEvent?: (event: PingEvent) => void;
  /** Hears each target once its name is resolved (or not), before any probe is sent. */
  onResolved?: (resolved: number, total: number) => void;
  /** Gets a handle that ends every target now (each still yields its summary, with end 'stopped'). */
  onStart?: (control: { stop: () => void }) => void;
}

/** A target as resolved, or its summary when it did not resolve. */
type Slot = ResolvedTarget | PingSummary;

function isSummary(slot: Slot): slot is PingSummary {
  return 'transmitted' in slot;
}

/**
 * Pings many targets over the shared sockets and yields each target's summary as soon as
 * that target is done (names that do not resolve first, with `end: 'unresolved'`). A target
 * given twice is pinged once; each spelling gets its own summary. The total send rate is
 * capped at `rate` probes per second (default 1000; 0 for no cap).
 *
 * @throws OptionError (bad or unknown option, or a size too big for a target's family), PermissionError, AbortError
 */
export async function* pingEach(targets: readonly string[], options: PingOptions & EachOptions = {}): AsyncGenerator<PingSummary, void, undefined> {
  if (!Array.isArray(targets)) throw new OptionError('targets', 'targets must be an array of host names or addresses');
  if (options === null || typeof options !== 'object') throw new OptionError('options', 'options must be an object');
  // What is left after EachOptions' own keys is checked as PingOptions, unknown keys included.
  const { onEvent, onResolved, onStart, ...pingOptions } = options;
  const resolved = validateOptions(pingOptions, { kind: 'many' });
  const slots = await resolveAll(targets, resolved, onResolved);

  // One probe stream per address; other spellings of it (rare) share its summary. Keyed per
  // family by the address itself, so a sweep builds no key strings.
  const first = { 4: new Map<string, ResolvedTarget>(), 6: new Map<string, ResolvedTarget>() };
  const aliases = new Map<string, string[]>();
  const list: ResolvedTarget[] = [];
  for (const slot of slots) {
    if (isSummary(slot)) {
      yield slot;
      continue;
    }
    const owner = first[slot.family].get(slot.address);
    if (owner === undefined) {
      first[slot.family].set(slot.address, slot);
      list.push(slot);
    } else if (owner.target !== slot.target) {
      const key = `${slot.family}|${slot.address}`;
      const names = aliases.get(key) ?? [];
      if (!names.includes(slot.target)) names.push(slot.target);
      aliases.set(key, names);
    }
  }
  first[4].clear();
  first[6].clear();
  if (list.length === 0) return;

  const ready: PingSummary[] = [];
  let wake: (() => void) | null = null;
  const onAny = (event: PingEvent): void => {
    onEvent?.(event);
    if (event.type !== 'summary') return;
    ready.push(event.summary);
    if (aliases.size > 0) {
      for (const name of aliases.get(`${event.summary.family}|${event.summary.address}`) ?? []) ready.push({ ...event.summary, target: name });
    }
    wake?.();
  };
  // Summaries leave through the 'summary' events, so the session need not keep finished targets.
  const running = startTargets(list, resolved, { emit: onAny, detail: onEvent !== undefined, retain: false });
  // The session keeps its own list; these would only hold every target until the end.
  list.length = 0;
  slots.length = 0;
  onStart?.({ stop: () => running.session.stop() });
  let finished = false;
  let failure: unknown = null;
  running.done.then(
    () => {
      finished = true;
      wake?.();
    },
    (error: unknown) => {
      failure = error;
      finished = true;
      wake?.();
    },
  );
  try {
    for (;;) {
      const next = ready.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
    // Only rawping's own errors (Errors all) reach here, from the session's failure.
    if (failure !== null) throw failure as Error;
  } finally {
    // A consumer that stops iterating early stops the probes too.
    if (!finished) running.session.stop();
  }
}

async function resolveAll(
  targets: readonly string[],
  resolved: ValidatedOptions,
  onResolved: ((resolved: number, total: number) => void) | undefined,
): Promise<Slot[]> {
  const slots = new Array<Slot>(targets.length);
  const fatal = (error: unknown): boolean => error instanceof AbortError || (error instanceof OptionError && error.option === 'size');
  // Literals resolve at once; only names wait for the resolver.
  const names: number[] = [];
  let done = 0;
  for (let i = 0; i < targets.length; i++) {
    const target = String(targets[i]);
    try {
      const literal = resolveLiteralOne(target, resolved);
      if (literal === null) {
        names.push(i);
        continue;
      }
      slots[i] = literal;
    } catch (error) {
      if (fatal(error)) throw error;
      slots[i] = unresolvedSummary(target, error);
    }
    onResolved?.(++done, targets.length);
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const i = names[next++] as number;
      const target = String(targets[i]);
      try {
        slots[i] = await resolveOne(target, resolved);
      } catch (error) {
        if (fatal(error)) throw error;
        slots[i] = unresolvedSummary(target, error);
      }
      onResolved?.(++done, targets.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(RESOLVE_CONCURRENCY, names.length) }, worker));
  return slots;
}
