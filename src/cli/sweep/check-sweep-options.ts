import type { CliOptions } from '../parse-args.js';
import { UsageError } from '../usage-error.js';

/**
 * The combinations of many-target options that mean nothing, refused with a line that says
 * why (never silently ignored): the per-probe outputs need probes counted (-c or --loop).
 */
export function checkSweepOptions(options: CliOptions): void {
  const counted = options.count !== undefined || options.loop;
  if (options.loop && options.count !== undefined) throw new UsageError('only one of -c and --loop may be given');
  if (options.loop && options.retries !== undefined) throw new UsageError('--retries applies without -c and --loop only');
  for (const [given, flag] of [
    [options.rttList, '--rtt-list'],
    [options.reportMs !== undefined, '--report'],
    [options.outage, '--outage'],
  ] as const) {
    if (given && !counted) throw new UsageError(`${flag} applies with -c or --loop only: without them each target gets one probe and its retries`);
  }
  if (options.cumulative && options.reportMs === undefined) throw new UsageError('--cumulative applies with --report only');
  if (options.reachable !== undefined && options.fastReachable !== undefined) throw new UsageError('only one of --reachable and --fast-reachable may be given');
}
