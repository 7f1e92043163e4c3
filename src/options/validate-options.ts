// Every option rawping has, defined once: type, unit (in the name: intervalMs, timeoutMs),
// range, default and the check with its message. The library and the CLI both validate here;
// the CLI only converts its units (seconds) and names options by their flags.
import { OptionError } from '../errors.js';
import type { SessionConfig } from '../pinger/session.js';
import type { SocketSpec } from '../pinger/engine.js';
import type { SocketMode } from '../os/open-icmp-socket.js';

/** Options shared by isReachable, ping, pingMany and createPinger. Times are milliseconds. */
export interface PingOptions {
  /** Probes per target (default: 4 for ping/pingMany, unlimited for createPinger). With `deadline`: replies to wait for, as ping does. */
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
  /** IPv4 TOS / IPv6 traffic class, 0-255 (default 0). */
  tos?: number;
  /** Payload fill pattern: up to 16 bytes, as bytes or a hex string like "ff00" (default: iputils' counting fill). */
  pattern?: string | Uint8Array;
  /** Probes sent back to back when a target starts (default 1). */
  preload?: number;
  /** 4 or 6 to force an address family; 0 or absent: the first address the name resolves to. */
  family?: 0 | 4 | 6;
  /** Socket kind: 'raw' (root or CAP_NET_RAW), 'dgram' (ping_group_range) or 'auto' (default). */
  mode?: SocketMode;
  /** Source address to send from. */
  source?: string;
  /** Network interface to send through (SO_BINDTODEVICE; needs CAP_NET_RAW). */
  interface?: string;
  /** Allow broadcast and multicast targets (default false: they are refused). */
  broadcast?: boolean;
  /**
   * Cap on probes per second across all targets (default 0: no cap for one target; pingMany:
   * 1000). The average holds when timers fire late: a late wake-up sends what the pace owed,
   * at most 2 ms of it at once.
   */
  rate?: number;
  /** Extra probes after a timeout before a target counts as unreachable (default 0). Replaces count when > 0. */
  retries?: number;
  /** Factor by which the wait grows before each retry (default 1.5). */
  backoff?: number;
  /** Milliseconds to wait for name resolution (default 5000). */
  resolveTimeout?: number;
  /** Adaptive pacing as ping -A: a reply sends the next probe at once; otherwise the gap follows the smoothed RTT (default false). */
  adaptive?: boolean;
  /** Smallest gap between two probes of one target under flood (interval 0) or adaptive pacing, ms (default 0). */
  minInterval?: number;
  /** Aborts the run (the promise rejects with AbortError). */
  signal?: AbortSignal;
}

/** Options after validation, in the units the engine uses. */
export interface ResolvedOptions {
  session: SessionConfig;
  socket: SocketSpec;
  family: 0 | 4 | 6;
  resolveTimeoutMs: number;
  broadcast: boolean;
  signal: AbortSignal | undefined;
}

/** A numeric option's definition. */
export interface NumericOptionSpec {
  /** Key in PingOptions. */
  key: keyof PingOptions;
  /** Unit the library takes it in. */
  unit: 'ms' | 'bytes' | 'probes' | 'hops' | 'per second' | 'factor' | 'tos';
  min: number;
  max: number;
  integer: boolean;
  /** Infinity is accepted (meaning "no limit"). */
  allowInfinity?: boolean;
}

const MAX_TIMER_MS = 2147483647; // the largest delay a Node timer takes

/** Numeric options, their units and ranges. */
export const NUMERIC_OPTIONS: Readonly<Record<string, NumericOptionSpec>> = {
  count: { key: 'count', unit: 'probes', min: 1, max: Number.MAX_SAFE_INTEGER, integer: true, allowInfinity: true },
  interval: { key: 'interval', unit: 'ms', min: 0, max: MAX_TIMER_MS, integer: false },
  timeout: { key: 'timeout', unit: 'ms', min: 1, max: MAX_TIMER_MS, integer: false },
  deadline: { key: 'deadline', unit: 'ms', min: 0, max: MAX_TIMER_MS, integer: false },
  size: { key: 'size', unit: 'bytes', min: 0, max: 65527, integer: true },
  // 0 parses in ping but the kernel refuses it (IP_TTL takes 1-255), so it is refused here.
  ttl: { key: 'ttl', unit: 'hops', min: 1, max: 255, integer: true },
  tos: { key: 'tos', unit: 'tos', min: 0, max: 255, integer: true },
  preload: { key: 'preload', unit: 'probes', min: 1, max: 65536, integer: true },
  rate: { key: 'rate', unit: 'per second', min: 0, max: 10_000_000, integer: false },
  retries: { key: 'retries', unit: 'probes', min: 0, max: 100, integer: true },
  backoff: { key: 'backoff', unit: 'factor', min: 1, max: 5, integer: false },
  resolveTimeout: { key: 'resolveTimeout', unit: 'ms', min: 1, max: 600_000, integer: false },
  minInterval: { key: 'minInterval', unit: 'ms', min: 0, max: MAX_TIMER_MS, integer: false },
};

/** Echo payload bytes when none is given: ping's 56 (64 with the ICMP header). */
export const DEFAULT_SIZE = 56;

/** Largest payload per family: 65535 minus the IP header (20) or nothing (IPv6 payload length) minus ICMP's 8. */
export const MAX_SIZE: Readonly<Record<4 | 6, number>> = { 4: 65507, 6: 65527 };
/** Longest fill pattern, in bytes (ping -p takes up to 16). */
export const MAX_PATTERN_BYTES = 16;

/** Turns an option key into the name a message should use (the CLI passes its flags). */
export type OptionNamer = (key: string) => string;
const libraryName: OptionNamer = (key) => key;

function describeRange(spec: NumericOptionSpec, scale = 1): string {
  const fmt = (n: number): string => String(n / scale);
  const what = spec.integer ? 'an integer' : 'a number';
  return `${what} from ${fmt(spec.min)} to ${fmt(spec.max)}`;
}

/**
 * Checks a numeric option value; throws OptionError naming the option and its range.
 * `scale` is how many library units one user unit holds (1000 when the CLI takes seconds
 * for a millisecond option), for the message only.
 */
export function checkNumber(spec: NumericOptionSpec, value: unknown, name: OptionNamer = libraryName, scale = 1, shown?: string): number {
  const label = name(spec.key);
  const text = shown ?? String(value);
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new OptionError(label, `invalid ${label} '${text}': expected ${describeRange(spec, scale)}`);
  }
  if (value === Infinity && spec.allowInfinity === true) return value;
  if (!Number.isFinite(value) || value < spec.min || value > spec.max || (spec.integer && !Number.isInteger(value))) {
    throw new OptionError(label, `invalid ${label} '${text}': expected ${describeRange(spec, scale)}`);
  }
  return value;
}

const INTEGER_TEXT = /^[+]?[0-9]+$/;
const DECIMAL_TEXT = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/**
 * Parses an option value given as text (the CLI's argv), strictly: "10xyz", "", " 5", "0x10"
 * and "NaN" are errors. `scale` converts the user's unit to the library's (1000 for seconds
 * given to a millisecond option). Returns the value in library units.
 */
export function parseNumberOption(spec: NumericOptionSpec, text: string, name: OptionNamer = libraryName, scale = 1): number {
  const shown = text.length > 40 ? `${text.slice(0, 40)}...` : text;
  const pattern = spec.integer && scale === 1 ? INTEGER_TEXT : DECIMAL_TEXT;
  if (!pattern.test(text)) {
    throw new OptionError(name(spec.key), `invalid ${name(spec.key)} '${shown}': expected ${describeRange(spec, scale)}`);
  }
  const value = Number(text) * scale;
  // A fractional result of an integer option (e.g. -c 1.5) is out of range, not rounded.
  return checkNumber(spec, Number.isFinite(value) ? value : NaN, name, scale, shown);
}

/** Parses a fill pattern: 1 to 16 bytes of hex ("ff", "deadbeef"), two digits per byte from the left as ping reads them ("abc" is ab 0c). */
export function parsePattern(value: string | Uint8Array, name: OptionNamer = libraryName): Uint8Array {
  if (value instanceof Uint8Array) {
    if (value.length === 0 || value.length > MAX_PATTERN_BYTES) {
      throw new OptionError(name('pattern'), `invalid ${name('pattern')}: expected 1 to ${MAX_PATTERN_BYTES} bytes`);
    }
    return value;
  }
  const text = String(value);
  if (!/^[0-9a-fA-F]{1,32}$/.test(text)) {
    const shown = text.length > 40 ? `${text.slice(0, 40)}...` : text;
    throw new OptionError(name('pattern'), `invalid ${name('pattern')} '${shown}': expected 1 to ${2 * MAX_PATTERN_BYTES} hex digits`);
  }
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 2) bytes.push(parseInt(text.slice(i, i + 2), 16));
  return Uint8Array.from(bytes);
}

/** Everything the caller did not set, per entry point. */
export interface OptionDefaults {
  count: number;
  intervalMs: number;
  timeoutMs: number;
  ratePps: number;
}

/** Defaults of ping() and pingMany(); createPinger has count Infinity. */
export const LIBRARY_DEFAULTS: Readonly<OptionDefaults> = { count: 4, intervalMs: 1000, timeoutMs: 1000, ratePps: 0 };
/** pingMany's polite default cap on the total send rate, probes per second. */
export const DEFAULT_SWEEP_RATE = 1000;

function optional(spec: NumericOptionSpec, value: unknown, name: OptionNamer): number | undefined {
  return value === undefined ? undefined : checkNumber(spec, value, name);
}

/**
 * Validates library options and fills in defaults. Throws OptionError (naming the option
 * and its range) for any bad value; never lets NaN or a value out of range through.
 */
export function resolveOptions(input: PingOptions = {}, defaults: OptionDefaults = LIBRARY_DEFAULTS, name: OptionNamer = libraryName): ResolvedOptions {
  if (input === null || typeof input !== 'object') throw new OptionError('options', 'options must be an object');
  const n = NUMERIC_OPTIONS as Record<string, NumericOptionSpec>;
  const count = optional(n.count as NumericOptionSpec, input.count, name) ?? defaults.count;
  const intervalMs = optional(n.interval as NumericOptionSpec, input.interval, name) ?? defaults.intervalMs;
  const timeoutMs = optional(n.timeout as NumericOptionSpec, input.timeout, name) ?? defaults.timeoutMs;
  const deadlineMs = optional(n.deadline as NumericOptionSpec, input.deadline, name) ?? null;
  const size = optional(n.size as NumericOptionSpec, input.size, name) ?? DEFAULT_SIZE;
  const ttl = optional(n.ttl as NumericOptionSpec, input.ttl, name);
  const tos = optional(n.tos as NumericOptionSpec, input.tos, name);
  const preload = optional(n.preload as NumericOptionSpec, input.preload, name) ?? 1;
  const ratePps = optional(n.rate as NumericOptionSpec, input.rate, name) ?? defaults.ratePps;
  const retries = optional(n.retries as NumericOptionSpec, input.retries, name) ?? 0;
  const backoff = optional(n.backoff as NumericOptionSpec, input.backoff, name) ?? 1.5;
  const resolveTimeoutMs = optional(n.resolveTimeout as NumericOptionSpec, input.resolveTimeout, name) ?? 5000;
  const minIntervalMs = optional(n.minInterval as NumericOptionSpec, input.minInterval, name) ?? 0;
  const pattern = input.pattern === undefined ? null : parsePattern(input.pattern, name);
  const family = input.family ?? 0;
  if (family !== 0 && family !== 4 && family !== 6) {
    throw new OptionError(name('family'), `invalid ${name('family')} '${String(family)}': expected 4, 6 or 0`);
  }
  const mode = input.mode ?? 'auto';
  if (mode !== 'auto' && mode !== 'raw' && mode !== 'dgram') {
    throw new OptionError(name('mode'), `invalid ${name('mode')} '${String(mode).slice(0, 40)}': expected 'auto', 'raw' or 'dgram'`);
  }
  for (const key of ['source', 'interface'] as const) {
    const value = input[key];
    // Neither an address nor an interface name holds a '/', a space or a control character.
    if (value !== undefined && (typeof value !== 'string' || value.length === 0 || value.length > 255 || /[\x00-\x20\x7f/]/.test(value))) {
      throw new OptionError(name(key), `invalid ${name(key)}: expected an address or interface name`);
    }
  }
  if (input.signal !== undefined && !(input.signal instanceof AbortSignal)) {
    throw new OptionError(name('signal'), `invalid ${name('signal')}: expected an AbortSignal`);
  }
  if (family !== 0) checkSizeForFamily(size, family, name);
  const socket: SocketSpec = { mode };
  if (ttl !== undefined) socket.ttl = ttl;
  if (tos !== undefined) socket.tos = tos;
  if (input.source !== undefined) socket.source = input.source;
  if (input.interface !== undefined) socket.device = input.interface;
  if (input.broadcast === true) socket.broadcast = true;
  return {
    session: {
      count: retries > 0 ? 1 + retries : count,
      intervalMs,
      timeoutMs,
      deadlineMs,
      preload,
      size,
      pattern,
      ratePps,
      // Retries only make sense for "is it up?": a reply ends the target.
      stopOnReply: retries > 0,
      retries,
      backoff,
      adaptive: input.adaptive === true,
      minIntervalMs,
    },
    socket,
    family,
    resolveTimeoutMs,
    broadcast: input.broadcast === true,
    signal: input.signal,
  };
}

/** Throws OptionError when `size` does not fit one datagram of `family`. */
export function checkSizeForFamily(size: number, family: 4 | 6, name: OptionNamer = libraryName): void {
  if (size > MAX_SIZE[family]) {
    throw new OptionError(name('size'), `invalid ${name('size')} '${size}': expected an integer from 0 to ${MAX_SIZE[family]} for IPv${family}`);
  }
}
