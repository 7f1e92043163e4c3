// Every option rawping has, defined once: its names (short flag, long flag, library key), how
// its value is read and checked, its unit, its default for each kind of run, its help line,
// and the flag ping and fping know it by. The command-line parser, the validation messages,
// `rawping -h`, the README's option tables (a test checks them) and the library's defaults
// all read this table; nothing else states these facts.

/** The modes of the command line: one target as ping, many as fping, `rawping trace` and `rawping exporter`. */
export type CliMode = 'ping' | 'sweep' | 'trace' | 'exporter';

/**
 * The kinds of run whose defaults differ: the CLI's modes, and the library's entry points
 * (`library`: ping(); `many`: pingMany() and pingEach(); `pinger`: createPinger();
 * `reachable`: isReachable(); `trace`: trace() and traceEvents(), as `rawping trace`).
 */
export type RunKind = CliMode | 'library' | 'many' | 'pinger' | 'reachable';

/** Units a value is kept in inside rawping (the library's units). */
export type Unit = 'ms' | 'bytes' | 'probes' | 'hops' | 'per second' | 'factor' | 'id' | 'targets';

/** How an option's value is written and checked. */
export type ValueSpec =
  | { readonly kind: 'flag' }
  | {
      readonly kind: 'number';
      readonly unit: Unit;
      readonly min: number;
      readonly max: number;
      readonly integer: boolean;
      /** Infinity is accepted (meaning "no limit"). */
      readonly infinity?: boolean;
      /** The command line takes seconds for this millisecond value; ping keeps it in whole ms when `truncate`. */
      readonly cliSeconds?: boolean;
      readonly truncate?: boolean;
      /** The command line takes whole seconds only, as ping's strtol reads them (-w 1, not -w 0.5). */
      readonly cliWhole?: boolean;
    }
  /** ping -F's IPv6 flow label: hexadecimal (with or without 0x), at most 20 bits. */
  | { readonly kind: 'flowlabel' }
  /** ping's -Q: 0-255, decimal or hex with 0x. */
  | { readonly kind: 'tos' }
  /** ping's -p: 1 to 16 bytes of hex. */
  | { readonly kind: 'pattern' }
  | { readonly kind: 'choice'; readonly choices: readonly string[] }
  /** Free text (a path, an address or interface name), checked where it is used. */
  | { readonly kind: 'text' }
  /** A value of the library only (an AbortSignal, a function, a socket set), checked where it is used. */
  | { readonly kind: 'object' };

/** A limit ping puts on users without privilege (not root, no CAP_NET_RAW). */
export interface UserLimit {
  /** Smallest value allowed, in library units. */
  readonly min?: number;
  /** Largest value allowed, in library units. */
  readonly max?: number;
}

/** One option. */
export interface OptionRow {
  /** The name rawping knows it by: the library's key where the library has it. */
  readonly key: string;
  /** The letter of its short flag (getopt's), e.g. 'c' for -c. */
  readonly short?: string;
  /** Its long flag without the dashes, e.g. 'count'. */
  readonly long?: string;
  /** The placeholder of its value in the help, e.g. '<n>'; absent for flags. */
  readonly arg?: string;
  readonly value: ValueSpec;
  /** The command-line modes it applies to (empty: the library only). */
  readonly modes: readonly CliMode[];
  /** It selects the many-target mode by itself, even with one target (fping's options). */
  readonly selectsSweep?: boolean;
  /** The library takes it under `key` (in PingOptions). */
  readonly library: boolean;
  /** Its default per kind of run, in library units; a kind not listed has none. */
  readonly defaults?: Readonly<Partial<Record<RunKind, number | string | boolean>>>;
  /** How the help shows a default of Infinity, when it has one. */
  readonly infinityText?: string;
  /** ping's limit for users without privilege. */
  readonly user?: UserLimit;
  /** The help line: what it does, without its default (added from `defaults`). */
  readonly help: string;
  /**
   * The flag iputils ping and fping (for trace: mtr and traceroute) know it by, where they have it;
   * what an fping user must know besides (the README's fping table).
   */
  readonly peers?: { readonly ping?: string; readonly fping?: string; readonly fpingNote?: string; readonly mtr?: string; readonly traceroute?: string };
}

const MAX_TIMER_MS = 2147483647; // the largest delay a Node timer takes

/** Echo payload bytes when none is given: ping's 56 (64 with the ICMP header). */
export const DEFAULT_SIZE = 56;

/** The same default for every kind of run. */
function everyKind<T extends number | string | boolean>(value: T): Readonly<Record<RunKind, T>> {
  return { ping: value, sweep: value, trace: value, exporter: value, library: value, many: value, pinger: value, reachable: value };
}

/**
 * The table. Order is the order of `rawping -h` and of the README's tables: the ping options,
 * then those of the many-target mode, then `rawping trace`'s own, then the library's own.
 */
export const OPTION_TABLE = [
  // ---- as iputils ping -------------------------------------------------------------------
  {
    key: 'ipv4',
    short: '4',
    long: 'ipv4',
    value: { kind: 'flag' },
    modes: ['ping', 'sweep', 'trace', 'exporter'],
    library: false,
    help: 'IPv4 only',
    peers: { ping: '-4', fping: '-4', mtr: '-4', traceroute: '-4' },
  },
  {
    key: 'ipv6',
    short: '6',
    long: 'ipv6',
    value: { kind: 'flag' },
    modes: ['ping', 'sweep', 'trace', 'exporter'],
    library: false,
    help: 'IPv6 only',
    peers: { ping: '-6', fping: '-6', mtr: '-6', traceroute: '-6' },
  },
  {
    key: 'audible',
    short: 'a',
    long: 'audible',
    value: { kind: 'flag' },
    modes: ['ping'],
    library: false,
    help: 'ring the terminal bell (BEL) with each reply',
    peers: { ping: '-a' },
  },
  {
    key: 'adaptive',
    short: 'A',
    long: 'adaptive',
    value: { kind: 'flag' },
    modes: ['ping'],
    library: true,
    help: 'adaptive interval: send each probe as soon as the last reply came',
    peers: { ping: '-A' },
  },
  {
    key: 'broadcast',
    short: 'b',
    long: 'broadcast',
    value: { kind: 'flag' },
    modes: ['ping', 'sweep'],
    library: true,
    help: 'allow broadcast and multicast targets (refused otherwise)',
    peers: { ping: '-b' },
  },
  {
    key: 'strictSource',
    short: 'B',
    long: 'strict-source',
    value: { kind: 'flag' },
    modes: ['ping'],
    library: true,
    help: 'bind to the source address the route picks, and keep it (raw sockets)',
    peers: { ping: '-B' },
  },
  {
    key: 'count',
    short: 'c',
    long: 'count',
    arg: '<n>',
    value: { kind: 'number', unit: 'probes', min: 1, max: Number.MAX_SAFE_INTEGER, integer: true, infinity: true },
    modes: ['ping', 'sweep'],
    library: true,
    defaults: { ping: Infinity, library: 4, many: 4, pinger: Infinity, reachable: 3 },
    infinityText: 'until interrupted',
    help: 'stop after <n> probes (with -w: after <n> replies); with many targets, <n> probes each instead of one with retries',
    peers: { ping: '-c', fping: '-c' },
  },
  {
    key: 'connect',
    short: 'C',
    long: 'connect',
    value: { kind: 'flag' },
    modes: ['ping'],
    library: true,
    help: 'connect() the socket to the target: it then hears only the target',
    peers: { ping: '-C' },
  },
  {
    key: 'debug',
    short: 'd',
    long: 'debug',
    value: { kind: 'flag' },
    modes: ['ping'],
    library: true,
    help: 'set SO_DEBUG on the socket',
    peers: { ping: '-d' },
  },
  {
    key: 'timestamp',
    short: 'D',
    long: 'timestamp',
    value: { kind: 'flag' },
    modes: ['ping', 'sweep'],
    library: false,
    help: 'prefix each line with [seconds.microseconds] (many targets: each per-probe line, as fping)',
    peers: { ping: '-D', fping: '-D' },
  },
  {
    key: 'identifier',
    short: 'e',
    long: 'identifier',
    arg: '<id>',
    value: { kind: 'number', unit: 'id', min: 0, max: 65535, integer: true },
    modes: ['ping'],
    library: true,
    help: "ICMP echo identifier of the socket, 0-65535 (datagram sockets bind to it; 0 needs a raw socket); default: random (raw), the kernel's (datagram)",
    peers: { ping: '-e' },
  },
  {
    key: 'flood',
    short: 'f',
    long: 'flood',
    value: { kind: 'flag' },
    modes: ['ping'],
    library: false,
    help: 'flood ping: a . per probe, a backspace per reply (privileged only)',
    peers: { ping: '-f' },
  },
  {
    key: 'flowLabel',
    short: 'F',
    long: 'flow-label',
    arg: '<hex>',
    value: { kind: 'flowlabel' },
    modes: ['ping'],
    library: true,
    help: 'IPv6 flow label of every probe, hex, at most 0xfffff (IPv6 only)',
    peers: { ping: '-F' },
  },
  {
    key: 'help',
    short: 'h',
    long: 'help',
    value: { kind: 'flag' },
    modes: ['ping', 'sweep', 'trace', 'exporter'],
    library: false,
    help: 'print this help and exit',
    peers: { ping: '-h', fping: '-h', mtr: '-h', traceroute: '--help' },
  },
  {
    key: 'reverseDns',
    short: 'H',
    long: 'reverse-dns',
    value: { kind: 'flag' },
    modes: ['ping', 'trace'],
    library: false,
    help: 'show the names of the hosts that answer (reverse DNS)',
    peers: { ping: '-H' },
  },
  {
    key: 'interval',
    short: 'i',
    long: 'interval',
    arg: '<s>',
    value: { kind: 'number', unit: 'ms', min: 0, max: MAX_TIMER_MS, integer: false, cliSeconds: true, truncate: true },
    modes: ['ping', 'sweep', 'exporter'],
    library: true,
    defaults: { ping: 1000, sweep: 1000, exporter: 1000, library: 1000, many: 1000, pinger: 1000 },
    user: { min: 2 },
    help: 'seconds between probes of a target, counted in whole milliseconds as ping counts them',
    peers: { ping: '-i', fping: '-p', fpingNote: 'fping takes milliseconds: -p 500 is -i 0.5' },
  },
  {
    key: 'interface',
    short: 'I',
    long: 'interface',
    arg: '<if|addr>',
    value: { kind: 'text' },
    modes: ['ping', 'sweep', 'trace'],
    library: true,
    help: 'send from this interface or source address',
    peers: { ping: '-I', fping: '-I', mtr: '-I', traceroute: '-i' },
  },
  {
    key: 'preload',
    short: 'l',
    long: 'preload',
    arg: '<n>',
    value: { kind: 'number', unit: 'probes', min: 1, max: 65536, integer: true },
    modes: ['ping'],
    library: true,
    defaults: everyKind(1),
    user: { max: 3 },
    help: 'send <n> probes at once at the start',
    peers: { ping: '-l' },
  },
  {
    key: 'noLoopback',
    short: 'L',
    long: 'no-loopback',
    value: { kind: 'flag' },
    modes: ['ping'],
    library: true,
    help: 'no loopback of multicast probes to this host',
    peers: { ping: '-L' },
  },
  {
    key: 'mark',
    short: 'm',
    long: 'mark',
    arg: '<mark>',
    value: { kind: 'number', unit: 'id', min: 0, max: 4294967295, integer: true },
    modes: ['ping'],
    library: true,
    help: 'SO_MARK of the probes, for policy routing and firewall rules (needs CAP_NET_ADMIN)',
    peers: { ping: '-m' },
  },
  {
    key: 'pmtu',
    short: 'M',
    long: 'pmtu',
    arg: '<do|want|probe|dont>',
    value: { kind: 'choice', choices: ['do', 'want', 'probe', 'dont'] },
    modes: ['ping'],
    library: true,
    help: "path MTU discovery: do (never fragment: -M do -s 1472 tests a 1500 MTU), want, probe (set DF, ignore the path MTU), dont (fragment); default: the system's",
    peers: { ping: '-M' },
  },
  {
    key: 'numeric',
    short: 'n',
    long: 'numeric',
    value: { kind: 'flag' },
    modes: ['ping', 'sweep', 'trace'],
    library: false,
    help: 'no names for addresses (rawping does no reverse DNS unless -H)',
    peers: { ping: '-n', mtr: '-n', traceroute: '-n' },
  },
  {
    key: 'nodeInfo',
    short: 'N',
    long: 'node-info',
    arg: '<query>',
    value: { kind: 'text' },
    modes: ['ping'],
    library: false,
    help: 'IPv6 node information queries (RFC 4620): refused, see "Where rawping differs"',
    peers: { ping: '-N' },
  },
  {
    key: 'reportOutstanding',
    short: 'O',
    long: 'report-outstanding',
    value: { kind: 'flag' },
    modes: ['ping'],
    library: false,
    help: 'say when a probe got no answer before the next was sent',
    peers: { ping: '-O' },
  },
  {
    key: 'pattern',
    short: 'p',
    long: 'pattern',
    arg: '<hex>',
    value: { kind: 'pattern' },
    modes: ['ping', 'sweep'],
    library: true,
    help: 'fill the payload with up to 16 bytes of this hex pattern',
    peers: { ping: '-p' },
  },
  {
    key: 'quiet',
    short: 'q',
    long: 'quiet',
    value: { kind: 'flag' },
    modes: ['ping', 'sweep'],
    library: false,
    help: 'only the header and the statistics (many targets: no line per target or probe, and no ICMP errors)',
    peers: { ping: '-q', fping: '-q' },
  },
  {
    key: 'tos',
    short: 'Q',
    long: 'tos',
    arg: '<tos>',
    value: { kind: 'tos' },
    modes: ['ping', 'sweep'],
    library: true,
    help: 'IPv4 TOS / IPv6 traffic class, 0-255 (decimal or 0x hex)',
    peers: { ping: '-Q', fping: '-O' },
  },
  {
    key: 'dontRoute',
    short: 'r',
    long: 'dont-route',
    value: { kind: 'flag' },
    modes: ['ping'],
    library: true,
    help: 'bypass the routing table: only hosts on a directly attached network (SO_DONTROUTE)',
    peers: { ping: '-r' },
  },
  {
    key: 'recordRoute',
    short: 'R',
    long: 'record-route',
    value: { kind: 'flag' },
    modes: ['ping'],
    library: true,
    help: 'record route: each probe carries the IPv4 RR option, the replies print the route (IPv4, raw sockets)',
    peers: { ping: '-R' },
  },
  {
    key: 'size',
    short: 's',
    long: 'size',
    arg: '<bytes>',
    value: { kind: 'number', unit: 'bytes', min: 0, max: 65527, integer: true },
    modes: ['ping', 'sweep', 'trace', 'exporter'],
    library: true,
    defaults: everyKind(DEFAULT_SIZE),
    help: 'payload bytes, at most 65507 for IPv4 and 65527 for IPv6',
    peers: { ping: '-s', fping: '-b' },
  },
  {
    key: 'sendBuffer',
    short: 'S',
    long: 'sndbuf',
    arg: '<bytes>',
    value: { kind: 'number', unit: 'bytes', min: 1, max: 2147483647, integer: true },
    modes: ['ping'],
    library: true,
    help: "socket send buffer (SO_SNDBUF); default: the system's",
    peers: { ping: '-S' },
  },
  {
    // 0 parses in ping but the kernel refuses it (IP_TTL takes 1-255), so it is refused here.
    key: 'ttl',
    short: 't',
    long: 'ttl',
    arg: '<n>',
    value: { kind: 'number', unit: 'hops', min: 1, max: 255, integer: true },
    modes: ['ping', 'sweep'],
    library: true,
    help: "IP time to live / IPv6 hop limit, 1-255 (default: the system's)",
    peers: { ping: '-t', fping: '-H' },
  },
  {
    key: 'ipTimestamp',
    short: 'T',
    long: 'ip-timestamp',
    arg: '<tsonly|tsandaddr|tsprespec>',
    value: { kind: 'choice', choices: ['tsonly', 'tsandaddr', 'tsprespec'] },
    modes: ['ping'],
    library: true,
    help: 'IPv4 timestamp option: times only, or with addresses, or from the hosts given before the target (tsprespec host... target; IPv4, raw sockets)',
    peers: { ping: '-T' },
  },
  {
    key: 'userLatency',
    short: 'U',
    long: 'user-latency',
    value: { kind: 'flag' },
    modes: ['ping'],
    library: true,
    help: 'user-to-user latency: the reply is timed when rawping reads it, not when the kernel received it',
    peers: { ping: '-U' },
  },
  {
    key: 'verbose',
    short: 'v',
    long: 'verbose',
    value: { kind: 'flag' },
    modes: ['ping', 'sweep', 'trace'],
    library: false,
    help: 'say which sockets were opened, and show the echo identifier (ident=) of each reply',
    peers: { ping: '-v' },
  },
  {
    key: 'version',
    short: 'V',
    long: 'version',
    value: { kind: 'flag' },
    modes: ['ping', 'sweep', 'exporter'],
    library: false,
    help: 'print the version and exit',
    peers: { ping: '-V', fping: '-v' },
  },
  {
    key: 'deadline',
    short: 'w',
    long: 'deadline',
    arg: '<s>',
    value: { kind: 'number', unit: 'ms', min: 0, max: MAX_TIMER_MS, integer: false, cliSeconds: true, cliWhole: true },
    modes: ['ping', 'sweep'],
    library: true,
    help: 'stop after <s> whole seconds, whatever happens',
    peers: { ping: '-w' },
  },
  {
    key: 'timeout',
    short: 'W',
    long: 'timeout',
    arg: '<s>',
    value: { kind: 'number', unit: 'ms', min: 1, max: MAX_TIMER_MS, integer: false, cliSeconds: true },
    modes: ['ping', 'sweep'],
    library: true,
    defaults: { ping: 10_000, sweep: 1000, library: 1000, many: 1000, pinger: 1000, reachable: 1000 },
    help: 'seconds to wait for each reply; one target waits this long after its last probe when no reply came',
    peers: { ping: '-W', fping: '-t', fpingNote: 'fping takes milliseconds: -t 500 is -W 0.5' },
  },
  {
    key: 'percentiles',
    long: 'percentiles',
    value: { kind: 'flag' },
    modes: ['ping'],
    library: false,
    help: 'one more statistics line: rtt jitter and the 50th, 90th and 99th percentiles (ms)',
  },
  {
    key: 'json',
    long: 'json',
    value: { kind: 'flag' },
    modes: ['ping', 'sweep'],
    library: false,
    help: 'NDJSON events instead of text (schema: docs/json.md)',
  },
  {
    key: 'mode',
    long: 'mode',
    arg: '<auto|raw|dgram>',
    value: { kind: 'choice', choices: ['auto', 'raw', 'dgram'] },
    modes: ['ping', 'sweep', 'trace', 'exporter'],
    library: true,
    defaults: everyKind('auto'),
    help: 'socket kind: raw when permitted, else datagram (auto), or only one of them',
  },
  // ---- many targets, as fping -------------------------------------------------------------
  {
    key: 'generate',
    short: 'g',
    long: 'generate',
    arg: '<cidr>',
    value: { kind: 'flag' },
    modes: ['sweep'],
    selectsSweep: true,
    library: false,
    help: 'the targets are a range: a CIDR prefix, or <start> <end> addresses (at most 131072)',
    peers: { fping: '-g', fpingNote: 'IPv6 ranges too' },
  },
  {
    key: 'file',
    long: 'file',
    arg: '<path|->',
    value: { kind: 'text' },
    modes: ['sweep'],
    selectsSweep: true,
    library: false,
    help: 'targets from a file (- for stdin), read as the sweep goes: the first word of each line, blank lines and # comments skipped; at most 64 MiB',
    peers: { fping: '-f', fpingNote: 'devices (a terminal, /dev/zero) are refused; fping reads stdin without -f' },
  },
  {
    key: 'alive',
    long: 'alive',
    value: { kind: 'flag' },
    modes: ['sweep'],
    selectsSweep: true,
    library: false,
    help: 'print only the targets that answered',
    peers: { fping: '-a', fpingNote: 'with -c too (fping ignores -a with -c)' },
  },
  {
    key: 'unreachable',
    long: 'unreachable',
    value: { kind: 'flag' },
    modes: ['sweep'],
    selectsSweep: true,
    library: false,
    help: 'print only the targets that did not answer',
    peers: { fping: '-u', fpingNote: 'with -c too (fping ignores -u with -c)' },
  },
  {
    key: 'rate',
    long: 'rate',
    arg: '<pps>',
    value: { kind: 'number', unit: 'per second', min: 0, max: 10_000_000, integer: false },
    modes: ['sweep'],
    selectsSweep: true,
    library: true,
    defaults: { ping: 0, sweep: 1000, library: 0, many: 1000, pinger: 0, reachable: 0 },
    help: 'most probes per second in all, 0 for as fast as the socket takes (your own networks only); an average: after a late timer, up to 2 ms of the probes it owed go at once',
  },
  {
    key: 'retries',
    long: 'retries',
    arg: '<n>',
    value: { kind: 'number', unit: 'probes', min: 0, max: 100, integer: true },
    modes: ['sweep'],
    selectsSweep: true,
    library: true,
    defaults: { sweep: 2 },
    help: 'without -c: probes sent after a timeout before a target counts as unreachable, 0 for one probe per target',
    peers: { fping: '-r' },
  },
  {
    key: 'backoff',
    long: 'backoff',
    arg: '<f>',
    value: { kind: 'number', unit: 'factor', min: 1, max: 5, integer: false },
    modes: ['sweep'],
    selectsSweep: true,
    library: true,
    defaults: everyKind(1.5),
    help: 'factor by which the wait grows before each retry',
    peers: { fping: '-B' },
  },
  // ---- rawping trace ----------------------------------------------------------------------
  {
    key: 'rounds',
    short: 'c',
    long: 'count',
    arg: '<n>',
    value: { kind: 'number', unit: 'probes', min: 1, max: Number.MAX_SAFE_INTEGER, integer: true, infinity: true },
    modes: ['trace'],
    library: false,
    defaults: { trace: 10 },
    help: 'rounds to send, one probe to each hop a round; without -c the live view runs until interrupted',
    peers: { mtr: '-c' },
  },
  {
    key: 'roundInterval',
    short: 'i',
    long: 'interval',
    arg: '<s>',
    value: { kind: 'number', unit: 'ms', min: 50, max: MAX_TIMER_MS, integer: false, cliSeconds: true, truncate: true },
    modes: ['trace'],
    library: false,
    defaults: { trace: 1000 },
    help: 'seconds from one round to the next, so between two probes to one hop; at least 0.05',
    peers: { mtr: '-i' },
  },
  {
    key: 'firstHop',
    short: 'f',
    long: 'first-hop',
    arg: '<n>',
    value: { kind: 'number', unit: 'hops', min: 1, max: 255, integer: true },
    modes: ['trace'],
    library: false,
    defaults: { trace: 1 },
    help: 'the first hop to probe: the TTL / hop limit of the first probe of a round',
    peers: { mtr: '-f', traceroute: '-f' },
  },
  {
    key: 'maxHops',
    short: 'm',
    long: 'max-hops',
    arg: '<n>',
    value: { kind: 'number', unit: 'hops', min: 1, max: 255, integer: true },
    modes: ['trace'],
    library: false,
    defaults: { trace: 30 },
    help: 'the last hop to probe when the destination does not answer sooner',
    peers: { mtr: '-m', traceroute: '-m' },
  },
  {
    key: 'probeTimeout',
    short: 'W',
    long: 'timeout',
    arg: '<s>',
    value: { kind: 'number', unit: 'ms', min: 1, max: MAX_TIMER_MS, integer: false, cliSeconds: true },
    modes: ['trace'],
    library: false,
    defaults: { trace: 1000 },
    help: 'seconds to wait for each probe; the trace ends when the last round is answered, or this long after its last probe',
    peers: { traceroute: '-w' },
  },
  {
    key: 'traceReport',
    short: 'r',
    long: 'report',
    value: { kind: 'flag' },
    modes: ['trace'],
    library: false,
    help: 'print the table once at the end instead of the live view (so it is when stdout is not a terminal)',
    peers: { mtr: '-r' },
  },
  {
    key: 'traceJson',
    long: 'json',
    value: { kind: 'flag' },
    modes: ['trace'],
    library: false,
    help: 'NDJSON hop, round and summary events instead of the table (schema: docs/trace-json.md)',
  },
  {
    key: 'loop',
    long: 'loop',
    value: { kind: 'flag' },
    modes: ['sweep'],
    selectsSweep: true,
    library: false,
    help: 'probe every target until interrupted (or -w), with a line per probe as -c',
    peers: { fping: '-l' },
  },
  {
    key: 'rttList',
    long: 'rtt-list',
    value: { kind: 'flag' },
    modes: ['sweep'],
    selectsSweep: true,
    library: false,
    help: "with -c or --loop: each target's last line lists the RTT of every probe (- for none) instead of its totals",
    peers: { fping: '-C', fpingNote: '-C <n> is -c <n> --rtt-list' },
  },
  {
    key: 'report',
    long: 'report',
    arg: '<s>',
    value: { kind: 'number', unit: 'ms', min: 1, max: MAX_TIMER_MS, integer: false, cliSeconds: true },
    modes: ['sweep'],
    selectsSweep: true,
    library: false,
    help: 'with -c or --loop: every <s> seconds, the figures of each target in flight since the last report, on stderr',
    peers: { fping: '-Q', fpingNote: "fping's -Q also means -q: -Q 10 is -q --report 10" },
  },
  {
    key: 'cumulative',
    long: 'cumulative',
    value: { kind: 'flag' },
    modes: ['sweep'],
    selectsSweep: true,
    library: false,
    help: "with --report: each report's figures count from the target's start",
    peers: { fping: '-Q <s>,cumulative', fpingNote: '-Q 10,cumulative is -q --report 10 --cumulative' },
  },
  {
    key: 'outage',
    long: 'outage',
    value: { kind: 'flag' },
    modes: ['sweep'],
    selectsSweep: true,
    library: false,
    help: "with -c or --loop: add each target's outage to its figures: probes unanswered times -i, in ms",
    peers: { fping: '-o' },
  },
  {
    key: 'stats',
    long: 'stats',
    value: { kind: 'flag' },
    modes: ['sweep'],
    selectsSweep: true,
    library: false,
    help: 'at the end, the totals of the run on stderr: targets alive and not, probes, replies, RTTs, time',
    peers: { fping: '-s' },
  },
  {
    key: 'reachable',
    long: 'reachable',
    arg: '<n>',
    value: { kind: 'number', unit: 'targets', min: 1, max: Number.MAX_SAFE_INTEGER, integer: true },
    modes: ['sweep'],
    selectsSweep: true,
    library: false,
    help: 'only say whether at least <n> targets answered (exit 0) or not (exit 1)',
    peers: { fping: '-x' },
  },
  {
    key: 'fastReachable',
    long: 'fast-reachable',
    arg: '<n>',
    value: { kind: 'number', unit: 'targets', min: 1, max: Number.MAX_SAFE_INTEGER, integer: true },
    modes: ['sweep'],
    selectsSweep: true,
    library: false,
    help: 'as --reachable, and stop as soon as <n> targets answered',
    peers: { fping: '-X' },
  },
  // ---- the library's own ------------------------------------------------------------------
  // ---- rawping exporter ---------------------------------------------------------------------
  {
    key: 'listen',
    long: 'listen',
    arg: '<[host]:port>',
    value: { kind: 'text' },
    modes: ['exporter'],
    library: false,
    defaults: { exporter: ':9374' },
    help: 'address and port to serve /metrics on (a bare :port listens on every address)',
  },
  {
    key: 'config',
    long: 'config',
    arg: '<path>',
    value: { kind: 'text' },
    modes: ['exporter'],
    library: false,
    help: "YAML file of target groups, in smokeping_prober's shape; re-read on SIGHUP and POST /-/reload",
  },
  {
    key: 'user',
    long: 'user',
    arg: '<name|uid:gid>',
    value: { kind: 'text' },
    modes: ['exporter'],
    library: false,
    help: 'started as root: the user to become once the sockets are open',
  },
  {
    key: 'logFormat',
    long: 'log.format',
    arg: '<logfmt|json>',
    value: { kind: 'choice', choices: ['logfmt', 'json'] },
    modes: ['exporter'],
    library: false,
    defaults: { exporter: 'logfmt' },
    help: 'format of the log lines on stderr',
  },
  {
    key: 'buckets',
    long: 'buckets',
    arg: '<s,s,...>',
    value: { kind: 'text' },
    modes: ['exporter'],
    library: false,
    help: "upper bounds of the RTT histogram's buckets in seconds (default: 20 buckets from 0.00005, each twice the last, as smokeping_prober)",
  },
  {
    key: 'dnsRefresh',
    long: 'dns-refresh',
    arg: '<s>',
    value: { kind: 'number', unit: 'ms', min: 0, max: MAX_TIMER_MS, integer: false, cliSeconds: true },
    modes: ['exporter'],
    library: false,
    defaults: { exporter: 60_000 },
    help: 'seconds between two lookups of the target names, 0 for never (a dns_refresh in the config file wins)',
  },
  {
    key: 'family',
    value: { kind: 'choice', choices: ['0', '4', '6'] },
    modes: [],
    library: true,
    defaults: everyKind(0),
    help: '4 or 6 to force an address family; 0: the first address the name resolves to',
  },
  { key: 'source', value: { kind: 'text' }, modes: [], library: true, help: 'source address to send from' },
  {
    key: 'timestampHops',
    value: { kind: 'object' },
    modes: [],
    library: true,
    help: "with ipTimestamp 'tsprespec': the IPv4 addresses (1 to 4) whose timestamps are asked for",
  },
  {
    key: 'resolveTimeout',
    value: { kind: 'number', unit: 'ms', min: 1, max: 600_000, integer: false },
    modes: [],
    library: true,
    defaults: everyKind(5000),
    help: 'milliseconds to wait for name resolution',
  },
  {
    key: 'minInterval',
    value: { kind: 'number', unit: 'ms', min: 0, max: MAX_TIMER_MS, integer: false },
    modes: [],
    library: true,
    defaults: everyKind(0),
    help: 'smallest gap between two probes of one target under flood (interval 0) or adaptive pacing, ms',
  },
  {
    key: 'stopOnReply',
    value: { kind: 'flag' },
    modes: [],
    library: true,
    defaults: { reachable: true },
    help: 'a target is done at its first reply (a reachability check)',
  },
  { key: 'signal', value: { kind: 'object' }, modes: [], library: true, help: 'an AbortSignal that ends the run (the promise rejects with AbortError)' },
  { key: 'sockets', value: { kind: 'object' }, modes: [], library: true, help: 'a socket set from openSockets(): the run uses these sockets and no others' },
  {
    key: 'lookup',
    value: { kind: 'object' },
    modes: [],
    library: true,
    help: 'the name lookup to use instead of getaddrinfo (the shape of dns.promises.lookup)',
  },
] as const satisfies readonly OptionRow[];

/** The key of every option in the table. */
export type OptionKey = (typeof OPTION_TABLE)[number]['key'];

const BY_KEY = new Map<string, OptionRow>(OPTION_TABLE.map((row) => [row.key, row]));

/** The row of `key`; throws for a key that is not in the table (a bug, not input). */
export function optionRow(key: OptionKey): OptionRow {
  const row = BY_KEY.get(key);
  if (row === undefined) throw new Error(`no option ${key}`);
  return row;
}

/** The value spec of a numeric option (the library's ranges and units). */
export function numericSpec(key: OptionKey): Extract<ValueSpec, { kind: 'number' }> {
  const value = optionRow(key).value;
  if (value.kind !== 'number') throw new Error(`option ${key} is not numeric`);
  return value;
}

/** The flag an option is written with on the command line: `-c`, `--rate`; the key for library-only options. */
export function flagOf(row: OptionRow): string {
  if (row.short !== undefined) return `-${row.short}`;
  if (row.long !== undefined) return `--${row.long}`;
  return row.key;
}

/**
 * The defaults of one kind of run, by key, in library units. Only options with a default for
 * that kind appear.
 */
export function defaultsFor(kind: RunKind): Readonly<Record<string, number | string | boolean>> {
  const out: Record<string, number | string | boolean> = {};
  for (const row of OPTION_TABLE as readonly OptionRow[]) {
    const value = row.defaults?.[kind];
    if (value !== undefined) out[row.key] = value;
  }
  return out;
}

/** The default of `key` for `kind`, or undefined. */
export function defaultOf(key: OptionKey, kind: RunKind): number | string | boolean | undefined {
  return optionRow(key).defaults?.[kind];
}
