import { checkKnownKeys, validateOptions } from '../options/validate-options.js';
import type { ResolvedTarget } from '../pinger/resolved-target.js';
import { resolveTarget, type LookupFunction } from '../targets/resolve-target.js';

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
  /** Aborts the lookup (rejects with AbortError; default: none). */
  signal?: AbortSignal;
  /** The name lookup to use instead of getaddrinfo (see PingOptions.lookup). */
  lookup?: LookupFunction;
}

const RESOLVE_KEYS: ReadonlySet<string> = new Set(['family', 'timeout', 'broadcast', 'interface', 'signal', 'lookup'] satisfies (keyof ResolveTargetOptions)[]);

/**
 * Resolves a target the way every rawping function does: IP literals as they are (IPv6 with
 * an optional %scope), names through getaddrinfo with a bounded wait, never a reverse
 * lookup; broadcast and multicast refused unless allowed.
 *
 * @returns `{ target, address, family, scopeId }` with the address in canonical text
 * @throws OptionError (bad or unknown option), ResolveError, AbortError
 */
export async function resolve(target: string, options: ResolveTargetOptions = {}): Promise<ResolvedTarget> {
  if (options !== null && typeof options === 'object') checkKnownKeys(options, RESOLVE_KEYS);
  // Checked as for ping(); here the resolver's wait is called `timeout`.
  const { timeout, ...rest } = options ?? {};
  const validated = validateOptions({ ...rest, resolveTimeout: timeout }, { kind: 'library', name: (key) => (key === 'resolveTimeout' ? 'timeout' : key) });
  return resolveTarget(target, {
    family: validated.family,
    timeoutMs: validated.resolveTimeoutMs,
    broadcast: validated.broadcast,
    interface: validated.socket.interface,
    signal: validated.signal,
    ...(validated.lookup !== undefined ? { lookup: validated.lookup } : {}),
  });
}
