import type { PingOptions } from '../api/ping-options.js';
import type { CliOptions } from './parse-args.js';

/**
 * The library options every kind of run takes straight from the command line: what goes
 * into each probe and which socket sends it. The socket settings among them are those the CLI
 * opens its socket set with before dropping privileges; a run given that set must ask for the
 * same, or the sealed set refuses it.
 */
export function commonPingOptions(options: CliOptions): PingOptions {
  return {
    ...(options.deadlineMs !== undefined && options.deadlineMs > 0 ? { deadline: options.deadlineMs } : {}),
    ...(options.size !== undefined ? { size: options.size } : {}),
    ...(options.ttl !== undefined ? { ttl: options.ttl } : {}),
    ...(options.tos !== undefined ? { tos: options.tos } : {}),
    ...(options.pattern !== undefined ? { pattern: options.pattern } : {}),
    ...(options.source !== undefined ? { source: options.source } : {}),
    ...(options.interface !== undefined ? { interface: options.interface } : {}),
    ...(options.identifier !== undefined ? { identifier: options.identifier } : {}),
    ...(options.pmtu !== undefined ? { pmtu: options.pmtu } : {}),
    ...(options.mark !== undefined ? { mark: options.mark } : {}),
    ...(options.sendBuffer !== undefined ? { sendBuffer: options.sendBuffer } : {}),
    ...(options.flowLabel !== undefined ? { flowLabel: options.flowLabel } : {}),
    ...(options.ipTimestamp !== undefined ? { ipTimestamp: options.ipTimestamp } : {}),
    ...(options.timestampHops !== undefined ? { timestampHops: options.timestampHops } : {}),
    // Flags only when set: a sweep's options object has none of them.
    ...(options.debug ? { debug: true } : {}),
    ...(options.dontRoute ? { dontRoute: true } : {}),
    ...(options.noLoopback ? { noLoopback: true } : {}),
    ...(options.recordRoute ? { recordRoute: true } : {}),
    ...(options.connect ? { connect: true } : {}),
    ...(options.strictSource ? { strictSource: true } : {}),
    ...(options.userLatency ? { userLatency: true } : {}),
    family: options.family,
    mode: options.mode,
    broadcast: options.broadcast,
  };
}
