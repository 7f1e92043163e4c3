import { DEFAULT_SWEEP_RATE, LIBRARY_DEFAULTS, resolveOptions, type PingOptions } from './options.js';
import { OptionError } from './errors.js';
import type { PingSummary } from './pinger/ping-event.js';
import type { ResolvedTarget } from './pinger/target-state.js';
import { resolveOne, startTargets, unresolvedSummary, type RunContext } from './run-targets.js';

// Names resolve concurrently, but not all at once: getaddrinfo runs on libuv's small pool.
const RESOLVE_CONCURRENCY = 32;

/**
 * Pings many targets at once over the shared sockets (one per family) and resolves with one
 * summary per target, in input order. A name that does not resolve gets a summary with
 * `end: 'unresolved'` and its `error`; the others are pinged anyway. The total send rate is
 * capped at `rate` probes per second (default 1000).
 *
 * @throws OptionError (bad option), PermissionError (no socket), AbortError
 */
export async function pingMany(targets: readonly string[], options: PingOptions = {}, context: RunContext = {}): Promise<PingSummary[]> {
  if (!Array.isArray(targets)) throw new OptionError('targets', 'targets must be an array of host names or addresses');
  const resolved = resolveOptions(options, { ...LIBRARY_DEFAULTS, ratePps: DEFAULT_SWEEP_RATE });
  const results: (ResolvedTarget | PingSummary)[] = new Array(targets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const i = next++;
      const target = targets[i] as string;
      try {
        results[i] = await resolveOne(target, resolved, context);
      } catch (error) {
        if (error instanceof OptionError && error.option === 'size') throw error;
        if ((error as { name?: string }).name === 'AbortError') throw error;
        results[i] = unresolvedSummary(String(target), error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(RESOLVE_CONCURRENCY, targets.length) }, worker));

  // One probe stream per distinct address; repeated targets share its figures.
  const unique = new Map<string, ResolvedTarget>();
  for (const r of results) {
    if ('address' in r && !('transmitted' in r)) {
      const key = `${r.family}|${r.address}`;
      if (!unique.has(key)) unique.set(key, r);
    }
  }
  const list = [...unique.values()];
  const summaries = list.length > 0 ? await startTargets(list, resolved, context, () => {}).done : [];
  const byKey = new Map(list.map((t, i) => [`${t.family}|${t.address}`, summaries[i] as PingSummary]));
  return results.map((r) => {
    if ('transmitted' in r) return r;
    const summary = byKey.get(`${r.family}|${r.address}`) as PingSummary;
    return { ...summary, target: r.target };
  });
}
