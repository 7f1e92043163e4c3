import { OptionError } from '../errors.js';
import { defaultOf } from '../options/option-table.js';
import { checkKnownKeys, validateOptions } from '../options/validate-options.js';
import type { SocketSet } from '../runtime/socket-set.js';
import { resolveOne, startTargets } from '../runtime/run-targets.js';
import type { LookupFunction } from '../targets/resolve-target.js';

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
  /** Sockets from openSockets() to use instead of the process's shared ones (see PingOptions.sockets). */
  sockets?: SocketSet;
  /** The name lookup to use instead of getaddrinfo (see PingOptions.lookup). */
  lookup?: LookupFunction;
}

const REACHABLE_KEYS: ReadonlySet<string> = new Set(['timeout', 'count', 'family', 'mode', 'signal', 'sockets', 'lookup'] satisfies (keyof ReachableOptions)[]);

/**
 * True as soon as one echo reply arrives; false when none arrives within `timeout` ms.
 * Never rejects for a silent or unreachable host.
 *
 * @throws OptionError (bad or unknown argument), ResolveError (name), PermissionError (no socket), AbortError
 */
export async function isReachable(target: string, options: ReachableOptions = {}): Promise<boolean> {
  if (options === null || typeof options !== 'object') throw new OptionError('options', 'options must be an object');
  checkKnownKeys(options, REACHABLE_KEYS);
  const timeout = options.timeout ?? (defaultOf('timeout', 'reachable') as number);
  const count = options.count ?? (defaultOf('count', 'reachable') as number);
  // The probes are spread over the timeout, which is also the whole check's deadline.
  const validated = validateOptions({ ...options, timeout, count, interval: timeout / count, deadline: timeout }, { kind: 'reachable' });
  const one = await resolveOne(target, validated);
  const [summary] = await startTargets([one], validated).done;
  return (summary?.received ?? 0) > 0;
}
