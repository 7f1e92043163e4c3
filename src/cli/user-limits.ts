import type { CliOptions } from './parse-args.js';

/** ping's floor on the interval for users without privilege, ms. */
export const USER_MIN_INTERVAL_MS = 2;
/** ping's cap on preload for users without privilege. */
export const USER_MAX_PRELOAD = 3;

/**
 * The limits ping puts on users without privilege (not root, no CAP_NET_RAW): no flood,
 * an interval of at least 2 ms, a preload of at most 3. Returns the message for the first
 * one broken, or null. Privileged runs have no such limits.
 */
export function checkUserLimits(options: CliOptions, privileged: boolean): string | null {
  if (privileged) return null;
  if (options.preload !== undefined && options.preload > USER_MAX_PRELOAD) {
    return `cannot set preload to value greater than ${USER_MAX_PRELOAD}: ${options.preload}`;
  }
  const interval = options.intervalMs ?? (options.flood ? 0 : undefined);
  if (interval !== undefined && interval < USER_MIN_INTERVAL_MS) {
    return `cannot flood, minimal interval for user must be >= ${USER_MIN_INTERVAL_MS} ms, use -i 0.002 (or higher)`;
  }
  return null;
}
