import { validateTraceOptions } from '../options/validate-trace-options.js';
import type { TraceSummary } from '../pinger/trace-event.js';
import { resolveTraceTarget, startTrace } from '../runtime/trace-target.js';
import type { TraceOptions } from './trace-options.js';

/**
 * Traces the path to `target` as mtr does and resolves with every hop's figures: `rounds`
 * rounds (default 10) one `roundInterval` apart (default 1000 ms), each sending one echo
 * request to each hop with that hop's TTL / hop limit, every answer (Time Exceeded from a
 * router, the destination's echo reply, another ICMP error) matched to the probe it quotes.
 * It ends as soon as the last round's probes are answered or have waited `probeTimeout` ms
 * (default 1000). A path that does not reach the destination is a result (`reached` false),
 * not a rejection. Works over raw sockets and, unprivileged, over ICMP datagram sockets.
 *
 * @param target host name or IP address of the destination
 * @param options see TraceOptions; times in milliseconds
 * @returns the summary: `hops` from the first to the destination, with loss (percent) and RTT figures (ms)
 * @throws OptionError (bad or unknown option, a broadcast target), ResolveError (name), PermissionError (no socket), AbortError
 */
export async function trace(target: string, options: TraceOptions = {}): Promise<TraceSummary> {
  const validated = validateTraceOptions(options);
  const resolved = await resolveTraceTarget(target, validated);
  return startTrace(resolved, validated).done;
}
