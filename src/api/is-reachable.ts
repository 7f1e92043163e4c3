import { OptionError } from '../errors.js';
import { LIBRARY_DEFAULTS, resolveOptions } from '../options/validate-options.js';
import { resolveOne, startTargets, type RunContext } from '../runtime/run-targets.js';

/** Options of isReachable. */
export interface ReachableOptions {
  /** Milliseconds to wait for a reply in all (default 1000). */
  timeout?: number;
  /** Probes to send, spread evenly over the timeout (default 3). */
  count?: number;
  /** 4 or 6 to force an address family (default: whatever the name resolves to first). */
  family?: 0 | 4 | 6;
  /** 'auto' (default), 'raw' or 'dgram'. */
  mode?: 'auto' | 'raw' | 'dgram';
  /** Aborts the check (rejects with AbortError). */
  signal?: AbortSignal;
}

/**
 * True as soon as one echo reply arrives; false when none arrives within `timeout` ms.
 * Never rejects for a silent or unreachable host.
 *
 * @throws OptionError (bad argument), ResolveError (name), PermissionError (no socket), AbortError
 */
export async function isReachable(target: string, options: ReachableOptions = {}, context: RunContext = {}): Promise<boolean> {
  if (options === null || typeof options !== 'object') throw new OptionError('options', 'options must be an object');
  const timeout = options.timeout ?? 1000;
  const count = options.count ?? 3;
  const resolved = resolveOptions(
    {
      timeout,
      count,
      ...(options.family !== undefined ? { family: options.family } : {}),
      ...(options.mode !== undefined ? { mode: options.mode } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    },
    LIBRARY_DEFAULTS,
  );
  resolved.session.intervalMs = timeout / count;
  resolved.session.deadlineMs = timeout;
  resolved.session.stopOnReply = true;
  const one = await resolveOne(target, resolved, context);
  const [summary] = await startTargets([one], resolved, context).done;
  return (summary?.received ?? 0) > 0;
}
