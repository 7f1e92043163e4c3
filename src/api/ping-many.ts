import type { PingSummary } from '../pinger/ping-event.js';
import { pingEach } from './ping-each.js';
import type { PingOptions } from './ping-options.js';

/**
 * Pings many targets over the shared sockets at once and resolves with one summary per
 * target, in the order given. Names that do not resolve get a summary with `end:
 * 'unresolved'` and the reason in `error`, instead of rejecting the whole call. The total
 * send rate is capped at `rate` probes per second (default 1000).
 *
 * @throws OptionError (bad or unknown option), PermissionError (no socket), AbortError
 */
export async function pingMany(targets: readonly string[], options: PingOptions = {}): Promise<PingSummary[]> {
  const byTarget = new Map<string, PingSummary>();
  for await (const summary of pingEach(targets, options)) byTarget.set(summary.target, summary);
  return targets.map((t) => byTarget.get(String(t as unknown)) as PingSummary);
}
