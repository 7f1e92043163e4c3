import { LIBRARY_DEFAULTS, resolveOptions } from '../options/validate-options.js';
import type { ResolvedTarget } from '../pinger/target-state.js';
import { resolveTarget } from '../targets/resolve-target.js';

/** Options of resolve(). */
export interface ResolveTargetOptions {
  /** 4 or 6 to require that family (default 0: the first address the resolver gives). */
  family?: 0 | 4 | 6;
  /** Milliseconds to wait for the resolver (default 5000). */
  timeout?: number;
  /** Accept broadcast and multicast addresses (default false). */
  broadcast?: boolean;
  /** Interface the target is reached through (default none): the scope of a link-local address written without one. */
  interface?: string;
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
  // options.ts checks these as it does for ping(); here the resolver's wait is called `timeout`.
  const resolved = resolveOptions(
    { family: options.family, resolveTimeout: options.timeout, broadcast: options.broadcast, interface: options.interface, signal: options.signal },
    LIBRARY_DEFAULTS,
    (key) => (key === 'resolveTimeout' ? 'timeout' : key),
  );
  return resolveTarget(target, {
    family: resolved.family,
    timeoutMs: resolved.resolveTimeoutMs,
    broadcast: resolved.broadcast,
    device: resolved.socket.device,
    signal: resolved.signal,
  });
}
