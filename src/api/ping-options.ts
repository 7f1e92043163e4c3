import type { OptionInput } from '../options/validate-options.js';
import type { PmtuMode, SocketMode } from '../os/socket-like.js';
import type { TimestampKind } from '../packet/ip-options.js';
import type { SocketSet } from '../runtime/socket-set.js';
import type { LookupFunction } from '../targets/resolve-target.js';

/**
 * Options of ping, pingMany, pingEach and createPinger. Times are milliseconds. The ranges and
 * defaults are those of the option table (src/options/option-table.ts); a key that is not
 * listed here is rejected with an OptionError that names it.
 */
export interface PingOptions {
  /** Probes per target (default: 4 for ping/pingMany/pingEach, unlimited for createPinger). With `deadline`: replies to wait for, as ping does. Not with `retries`. */
  count?: number;
  /** Milliseconds between probes of one target (default 1000). 0 sends the next probe as soon as a reply comes, at least every 10 ms. */
  interval?: number;
  /** Milliseconds to wait for each reply (default 1000). */
  timeout?: number;
  /** Milliseconds the whole run may take (default: no limit). */
  deadline?: number;
  /** Echo payload size in bytes (default 56; at most 65507 for IPv4, 65527 for IPv6). */
  size?: number;
  /** TTL / hop limit, 1-255 (default: the system's). */
  ttl?: number;
  /** IPv4 TOS / IPv6 traffic class, 0-255 (default: the system's, 0). */
  tos?: number;
  /** Payload fill pattern: up to 16 bytes, as bytes or a hex string like "ff00" (default: iputils' counting fill). */
  pattern?: string | Uint8Array;
  /** Probes sent back to back when a target starts (default 1). */
  preload?: number;
  /** 4 or 6 to force an address family; 0 (the default): the first address the name resolves to. */
  family?: 0 | 4 | 6;
  /** Socket kind: 'raw' (root or CAP_NET_RAW), 'dgram' (ping_group_range) or 'auto' (the default: raw when permitted, else dgram). */
  mode?: SocketMode;
  /** Source address to send from (default: the route's). */
  source?: string;
  /** Network interface to send through (SO_BINDTODEVICE; needs CAP_NET_RAW; default: the route's). */
  interface?: string;
  /** Allow broadcast and multicast targets (default false: they are refused). */
  broadcast?: boolean;
  /**
   * Cap on probes per second across all targets (default 0, no cap, for ping and createPinger;
   * 1000 for pingMany and pingEach). The average holds when timers fire late: a late wake-up
   * sends what the pace owed, at most 2 ms of it at once.
   */
  rate?: number;
  /**
   * Reachability mode, as fping's default: one probe, and after each timeout another, up to
   * `retries` more (0: exactly one probe); a reply ends the target. Not with `count`
   * (default: not set, `count` probes are sent).
   */
  retries?: number;
  /** Factor by which the wait grows before each retry (default 1.5). */
  backoff?: number;
  /** A target is done at its first reply, whatever `count` says (default false). */
  stopOnReply?: boolean;
  /** Milliseconds to wait for name resolution (default 5000). */
  resolveTimeout?: number;
  /** Adaptive pacing as ping -A: a reply sends the next probe at once; otherwise the gap follows the smoothed RTT (default false). */
  adaptive?: boolean;
  /** Smallest gap between two probes of one target under flood (interval 0) or adaptive pacing, ms (default 0). */
  minInterval?: number;
  /** Aborts the run (the promise rejects with AbortError; default: none). */
  signal?: AbortSignal;
  /**
   * Sockets opened ahead of time by `openSockets()` (for example while the process still held
   * its privilege). The run uses these sockets and no others: one that needs a family or
   * socket settings the set lacks rejects with an OptionError saying so. Default: the
   * process's shared sockets, opened on first use.
   */
  sockets?: SocketSet;
  /**
   * The name lookup to use instead of getaddrinfo, in the shape of `dns.promises.lookup`
   * (your own resolver, or a fake one in tests; default: getaddrinfo, /etc/hosts then DNS).
   */
  lookup?: LookupFunction;
  /**
   * Echo identifier of the socket, 0-65535 (ping -e): raw sockets put it in every probe,
   * datagram sockets bind to it (0 there: the kernel picks). Default: a random one (raw), the
   * kernel's (datagram).
   */
  identifier?: number;
  /** Path MTU discovery (ping -M): 'do' (never fragment), 'want', 'probe' or 'dont' (default: the system's). */
  pmtu?: PmtuMode;
  /** SO_MARK of the socket, 0 to 2^32-1 (needs CAP_NET_ADMIN; default none). */
  mark?: number;
  /** SO_SNDBUF of the socket in bytes (default: the system's). */
  sendBuffer?: number;
  /** SO_DEBUG on the socket (default false). */
  debug?: boolean;
  /** SO_DONTROUTE: reach only hosts on a directly attached network (default false). */
  dontRoute?: boolean;
  /** No loopback of multicast probes to this host (default false). */
  noLoopback?: boolean;
  /** IPv4 record route option on every probe; replies carry `ipOptions` (raw sockets; default false). */
  recordRoute?: boolean;
  /** IPv4 timestamp option on every probe: 'tsonly', 'tsandaddr' or 'tsprespec' (with `timestampHops`); replies carry `ipOptions` (raw sockets; default none). */
  ipTimestamp?: TimestampKind;
  /** With ipTimestamp 'tsprespec': 1 to 4 IPv4 addresses whose timestamps are asked for (default none). */
  timestampHops?: string[];
  /** IPv6 flow label of every probe, 0 to 0xfffff (default none). */
  flowLabel?: number;
  /** connect() the socket to the first target it sends to: it then hears that target only (default false). */
  connect?: boolean;
  /** bind() the socket to the source address the route gives its first target (raw sockets; default false). */
  strictSource?: boolean;
  /** Time replies when the program reads them instead of by the kernel's receive stamp (ping -U; default false). */
  userLatency?: boolean;
}

// PingOptions is what validateOptions reads, documented: the two stay one list of keys.
type IsTrue<T extends true> = T;
type _SameKeys = IsTrue<[Exclude<keyof PingOptions, keyof OptionInput>, Exclude<keyof OptionInput, keyof PingOptions>] extends [never, never] ? true : false>;
