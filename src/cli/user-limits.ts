import { optionRow } from '../options/option-table.js';
import type { CliOptions } from './parse-args.js';

/** ping's floor on the interval for users without privilege, ms (from the option table). */
export const USER_MIN_INTERVAL_MS = optionRow('interval').user?.min ?? 0;
/** ping's cap on preload for users without privilege (from the option table). */
export const USER_MAX_PRELOAD = optionRow('preload').user?.max ?? Infinity;

/**
 * The limits ping puts on users without privilege (not root, no CAP_NET_RAW): no flood,
 * an interval of at least 2 ms, a preload of at most 3. Returns ping's message for the first
 * one broken, or null. Privileged runs have no such limits.
 */
export function checkUserLimits(options: CliOptions, privileged: boolean): string | null {
  if (privileged) return null;
  if (options.preload !== undefined && options.preload > USER_MAX_PRELOAD) {
    return `cannot set preload to value greater than ${USER_MAX_PRELOAD}: ${options.preload}`;
  }
  const interval = options.intervalMs ?? (options.flood ? 0 : undefined);
  if (interval !== undefined && interval < USER_MIN_INTERVAL_MS) {
    return `cannot flood, minimal interval for user must be >= ${USER_MIN_INTERVAL_MS} ms, use -i ${USER_MIN_INTERVAL_MS / 1000} (or higher)`;
  }
  return null;
}
