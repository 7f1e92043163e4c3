import type { TraceOptionInput } from '../options/validate-trace-options.js';
import type { SocketMode } from '../os/socket-like.js';
import type { SocketSet } from '../runtime/socket-set.js';
import type { LookupFunction } from '../targets/resolve-target.js';

/**
 * Options of trace() and traceEvents(). Times are milliseconds. The ranges and defaults are
 * those of the option table (src/options/option-table.ts, the rows `rawping trace` reads); a
 * key that is not listed here is rejected with an OptionError that names it.
 */
export interface TraceOptions {
  /** Rounds to send, one probe to each hop a round (default 10; Infinity: until stopped or aborted). */
  rounds?: number;
  /**
   * Milliseconds from one round to the next, which is also the gap between two probes to one
   * hop (default 1000, at least 50). At 1000 a router with Linux's default ICMP rate limit
   * answers every probe; shorter, its silences are counted apart from loss (TraceHop.limited).
   */
  roundInterval?: number;
  /** Milliseconds each probe waits for its answer (default 1000); the trace ends when its last round is answered, or this long after the last probe. */
  probeTimeout?: number;
  /** The first hop probed: TTL / hop limit of the first probe of a round, 1-255 (default 1). */
  firstHop?: number;
  /** The highest hop probed while the destination has not answered, 1-255 (default 30). */
  maxHops?: number;
  /** Echo payload size in bytes (default 56; at most 65507 for IPv4, 65527 for IPv6). */
  size?: number;
  /** 4 or 6 to force an address family; 0 (the default): the first address the name resolves to. */
  family?: 0 | 4 | 6;
  /** Socket kind: 'raw' (root or CAP_NET_RAW), 'dgram' (ping_group_range) or 'auto' (the default: raw when permitted, else dgram). */
  mode?: SocketMode;
  /** Source address to send from (default: the route's). */
  source?: string;
  /** Network interface to send through (SO_BINDTODEVICE; needs CAP_NET_RAW; default: the route's). */
  interface?: string;
  /** IPv4 TOS / IPv6 traffic class, 0-255 (default: the system's, 0). */
  tos?: number;
  /** Milliseconds to wait for name resolution (default 5000). */
  resolveTimeout?: number;
  /** Aborts the trace (trace() rejects, traceEvents() throws, with AbortError; default: none). */
  signal?: AbortSignal;
  /**
   * Sockets opened ahead of time by `openSockets()` (with the same mode, source, interface and
   * tos, and no ttl). The trace uses these sockets and no others. Default: the process's
   * shared sockets, opened on first use.
   */
  sockets?: SocketSet;
  /** The name lookup to use instead of getaddrinfo, in the shape of `dns.promises.lookup` (default: getaddrinfo). */
  lookup?: LookupFunction;
}

// TraceOptions is what validateTraceOptions reads, documented: the two stay one list of keys.
type IsTrue<T extends true> = T;
type _SameKeys = IsTrue<
  [Exclude<keyof TraceOptions, keyof TraceOptionInput>, Exclude<keyof TraceOptionInput, keyof TraceOptions>] extends [never, never] ? true : false
>;
