import { OptionError } from '../errors.js';
import type { PingSummary } from '../pinger/ping-event.js';
import { unreachedSummary } from '../runtime/run-targets.js';
import { pingEach } from './ping-each.js';
import type { PingOptions } from './ping-options.js';

/**
 * Pings many targets over the shared sockets at once and resolves with one summary per
 * target, in the order given (a target given twice is pinged twice). Names that do not
 * resolve get a summary with `end: 'unresolved'` and the reason in `error`, instead of
 * rejecting the whole call; a target the run never reached before its deadline gets one with
 * `end: 'deadline'` and nothing sent. The total send rate is capped at `rate` probes per second
 * (default 1000).
 *
 * @throws OptionError (bad or unknown option), PermissionError (no socket), AbortError
 */
export async function pingMany(targets: readonly string[], options: PingOptions = {}): Promise<PingSummary[]> {
  if (!Array.isArray(targets)) throw new OptionError('targets', 'targets must be an array of host names or addresses');
  const out = new Array<PingSummary | undefined>(targets.length);
  for await (const { index, ...summary } of pingEach(targets, options)) out[index] = summary;
  return out.map((s, i) => s ?? unreachedSummary(String(targets[i] as unknown), 'deadline'));
}
