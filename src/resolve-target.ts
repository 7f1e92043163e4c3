import { OptionError } from './errors.js';
import type { ResolvedTarget } from './pinger/target-state.js';
import { resolveTarget } from './resolve.js';

/** Options of resolve(). */
export interface ResolveTargetOptions {
  /** 4 or 6 to require that family (default 0: the first address the resolver gives). */
  family?: 0 | 4 | 6;
  /** Milliseconds to wait for the resolver (default 5000). */
  timeout?: number;
  /** Accept broadcast and multicast addresses (default false). */
  broadcast?: boolean;
  signal?: AbortSignal;
}

/**
 * Resolves a target the way every rawping function does: IP literals as they are (IPv6 with
 * an optional %scope), names through getaddrinfo with a bounded wait, never a reverse
 * lookup; broadcast and multicast refused unless allowed.
 *
 * @returns `{ target, address, family, scopeId }` with the address in canonical text
 * @throws OptionError, ResolveError, AbortError
 */
export async function resolve(target: string, options: ResolveTargetOptions = {}): Promise<ResolvedTarget> {
  const timeout = options.timeout ?? 5000;
  if (typeof timeout !== 'number' || !(timeout >= 1 && timeout <= 600_000)) {
    throw new OptionError('timeout', `invalid timeout '${String(timeout)}': expected a number from 1 to 600000`);
  }
  return resolveTarget(target, {
    family: options.family ?? 0,
    timeoutMs: timeout,
    broadcast: options.broadcast === true,
    signal: options.signal,
  });
}
