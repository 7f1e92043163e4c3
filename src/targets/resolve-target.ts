import { networkInterfaces } from 'node:os';
import { AbortError, OptionError, ResolveError } from '../errors.js';
import { escapeText } from '../wording/escape-text.js';
import { interfaceIndex } from '../os/interface-index.js';
import { canonicalAddress, formatIpv4, ipVersion, isLinkLocal, isMulticastOrBroadcast, parseIpv4 } from '../packet/address.js';
import type { ResolvedTarget } from '../pinger/resolved-target.js';
import { monotonicMs } from '../pinger/clock.js';

/** A name lookup: the shape of dns.promises.lookup with one result. Injectable for tests. */
export type LookupFunction = (hostname: string, options: { family: 0 | 4 | 6; verbatim: boolean }) => Promise<{ address: string; family: number }>;

/** How to resolve a target. */
export interface ResolveOptions {
  /** 4 or 6 to require that family; 0 for the first address the resolver gives. */
  family: 0 | 4 | 6;
  /** Milliseconds to wait for the resolver before giving up. */
  timeoutMs: number;
  /** Allow multicast and broadcast addresses. */
  broadcast: boolean;
  /** The interface probes go out of: the scope of a link-local literal written without one. */
  interface?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Defaults to dns.promises.lookup (getaddrinfo: /etc/hosts, then DNS). */
  lookup?: LookupFunction;
}

const MAX_NAME = 253;
const HOST_NAME = /^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

// getaddrinfo's words for what went wrong, as ping prints them.
function lookupMessage(code: string | undefined): string {
  switch (code) {
    case 'EAI_AGAIN':
      return 'Temporary failure in name resolution';
    case 'EAI_FAIL':
      return 'Non-recoverable failure in name resolution';
    case 'EAI_ADDRFAMILY':
      return 'Address family for hostname not supported';
    default:
      return 'Name or service not known';
  }
}

function scopeIdOf(scope: string): number | null {
  if (/^[0-9]+$/.test(scope)) return Number(scope);
  // A %scope names an interface by its index: any interface, with or without a link-local
  // address of its own (fe80::1%lo), as getaddrinfo reads it.
  const index = interfaceIndex(scope);
  return index > 0 ? index : null;
}

// Subnet-directed broadcast addresses of this host's IPv4 interfaces. Reading the interface
// list costs a netlink dump, so it is cached for a second: a sweep checks thousands of targets.
// Even the clock is read only every CLOCK_EVERY uses (a reading costs a heap number).
const BROADCAST_CACHE_MS = 1000;
const CLOCK_EVERY = 64;
let broadcastCache: { at: number; addresses: Set<string> } | null = null;
let usesSinceClock = 0;

function localBroadcasts(): Set<string> {
  if (broadcastCache !== null && ++usesSinceClock < CLOCK_EVERY) return broadcastCache.addresses;
  usesSinceClock = 0;
  const now = monotonicMs();
  if (broadcastCache !== null && now - broadcastCache.at < BROADCAST_CACHE_MS) return broadcastCache.addresses;
  const addresses = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family !== 'IPv4') continue;
      const ip = parseIpv4(a.address);
      const mask = parseIpv4(a.netmask);
      if (ip === null || mask === null || mask.every((b) => b === 255)) continue;
      addresses.add(formatIpv4(ip.map((b, i) => (b & (mask[i] as number)) | (~(mask[i] as number) & 0xff))));
    }
  }
  broadcastCache = { at: now, addresses };
  return addresses;
}

function checkTarget(target: string): void {
  if (typeof target !== 'string' || target.length === 0) throw new OptionError('target', 'missing target: expected a host name or an IP address');
  if (target.length > MAX_NAME + 64) {
    throw new OptionError('target', `target too long (${target.length} characters; a host name has at most ${MAX_NAME})`);
  }
}

/**
 * Resolves a target (an IP literal, with %scope for IPv6 link-local, or a host name) to one
 * address. Literals never touch the resolver; names go through getaddrinfo with a bounded
 * wait. Never does reverse lookups.
 *
 * @throws OptionError for an empty or overlong target, or a refused broadcast address;
 *   ResolveError for a name that is malformed, unknown, lacks the family, or times out;
 *   AbortError when the signal fires
 */
export async function resolveTarget(target: string, options: ResolveOptions): Promise<ResolvedTarget> {
  const literal = resolveLiteral(target, options);
  if (literal !== null) return literal;
  if (!HOST_NAME.test(target)) throw new ResolveError(target, `${escapeText(target)}: Name or service not known`);
  const found = await boundedLookup(target, options);
  const family = found.family === 6 ? 6 : 4;
  return checked({ target, address: canonicalAddress(found.address) ?? found.address, family, scopeId: 0 }, options);
}

/**
 * Resolves an IP literal at once, without the resolver: the synchronous half of
 * resolveTarget (sweeps of thousands of addresses take this path). Null when `target` is
 * not a literal; throws as resolveTarget does.
 */
export function resolveLiteral(target: string, options: Pick<ResolveOptions, 'family' | 'broadcast' | 'interface'>): ResolvedTarget | null {
  checkTarget(target);
  const family = ipVersion(target);
  if (family === 0) return null;
  let scopeId = 0;
  const percent = target.indexOf('%');
  if (percent >= 0) {
    const scope = scopeIdOf(target.slice(percent + 1));
    if (scope === null) throw new ResolveError(target, `${escapeText(target)}: unknown interface in scope`);
    scopeId = scope;
  } else if (options.interface !== undefined && isLinkLocal(target)) {
    // ping -I eth0 fe80::1: the interface given is the scope the address needs.
    scopeId = scopeIdOf(options.interface) ?? 0;
  }
  if (options.family !== 0 && options.family !== family) {
    throw new ResolveError(target, `${escapeText(target)}: Address family for hostname not supported`);
  }
  // A dotted quad that parsed is already canonical (no leading zeros, four parts): keep the
  // caller's string instead of building an equal one, which a sweep would do 65534 times.
  const address = family === 4 ? target : (canonicalAddress(target) as string);
  return checked({ target, address, family, scopeId }, options);
}

function checked(resolved: ResolvedTarget, options: Pick<ResolveOptions, 'broadcast'>): ResolvedTarget {
  if (!isMulticastOrBroadcast(resolved.address) && !localBroadcasts().has(resolved.address)) return resolved;
  if (!options.broadcast) {
    throw new OptionError('broadcast', `${escapeText(resolved.target)} is a broadcast or multicast address: allow it explicitly (broadcast)`);
  }
  return { ...resolved, anySource: true };
}

/**
 * getaddrinfo as ping asks it: always for both families, then the first address of the family
 * wanted. Asked for one family alone, getaddrinfo goes on to DNS when /etc/hosts has the name
 * only in the other (ping -6 localhost would query a name server), and says "Name or service
 * not known" where ping says "Address family for hostname not supported".
 */
async function defaultLookup(): Promise<LookupFunction> {
  const dns = await import('node:dns/promises');
  return async (hostname, { family, verbatim }) => {
    if (family === 0) return dns.lookup(hostname, { family, verbatim });
    const all = await dns.lookup(hostname, { all: true, verbatim });
    const found = all.find((a) => a.family === family);
    if (found === undefined) throw Object.assign(new Error(`${hostname}: no IPv${family} address`), { code: 'EAI_ADDRFAMILY' });
    return found;
  };
}

async function boundedLookup(name: string, options: ResolveOptions): Promise<{ address: string; family: number }> {
  // node:dns is loaded the first time a name (not an address) is resolved.
  const lookup = options.lookup ?? (await defaultLookup());
  const signal = options.signal;
  if (signal?.aborted === true) throw new AbortError({ cause: signal.reason });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const guards = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ResolveError(name, `${escapeText(name)}: Temporary failure in name resolution (no answer in ${options.timeoutMs} ms)`)),
      options.timeoutMs,
    );
    if (signal !== undefined) {
      onAbort = () => reject(new AbortError({ cause: signal.reason }));
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  try {
    return await Promise.race([
      lookup(name, { family: options.family, verbatim: true }).catch((error: unknown) => {
        throw new ResolveError(name, `${escapeText(name)}: ${lookupMessage((error as NodeJS.ErrnoException | null)?.code)}`, { cause: error });
      }),
      guards,
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  }
}
