import type { PingOptions } from '../options/validate-options.js';
import { pingEach } from './ping-each.js';
import type { PingSummary } from '../pinger/ping-event.js';
import type { RunContext } from '../runtime/run-targets.js';

/**
 * Pings many targets at once over the shared sockets (one per family) and resolves with one
 * summary per target, in input order. A name that does not resolve gets a summary with
 * `end: 'unresolved'` and its `error`; the others are pinged anyway. The total send rate is
 * capped at `rate` probes per second (default 1000).
 *
 * @throws OptionError (bad option), PermissionError (no socket), AbortError
 */
export async function pingMany(targets: readonly string[], options: PingOptions = {}, context: RunContext = {}): Promise<PingSummary[]> {
  const byTarget = new Map<string, PingSummary>();
  for await (const summary of pingEach(targets, options, context)) byTarget.set(summary.target, summary);
  return targets.map((t) => byTarget.get(String(t)) as PingSummary);
}
