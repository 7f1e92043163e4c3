import { validateOptions } from '../options/validate-options.js';
import type { PingSummary } from '../pinger/ping-event.js';
import { resolveOne, startTargets } from '../runtime/run-targets.js';
import type { PingOptions } from './ping-options.js';

/**
 * Pings one target and resolves with its summary: `count` probes (default 4) one `interval`
 * apart (default 1000 ms), each waiting up to `timeout` ms (default 1000) for its reply.
 * A silent or unreachable host is a result (received 0, loss 100), not a rejection.
 *
 * @param target host name or IP address (IPv6 link-local with %scope)
 * @param options see PingOptions; times in milliseconds
 * @returns the summary; `rtt` figures in milliseconds, null when nothing came back
 * @throws OptionError (bad or unknown option), ResolveError (name), PermissionError (no socket), AbortError
 */
export async function ping(target: string, options: PingOptions = {}): Promise<PingSummary> {
  const validated = validateOptions(options, { kind: 'library' });
  const one = await resolveOne(target, validated);
  const [summary] = await startTargets([one], validated).done;
  return summary as PingSummary;
}
