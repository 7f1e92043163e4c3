import { OptionError } from '../errors.js';
import { checkKnownKeys, validateOptions } from '../options/validate-options.js';
import type { EngineLimits } from '../pinger/receive-capacity.js';
import { openSocketSet, type SocketSet } from '../runtime/socket-set.js';
import type { PingOptions } from './ping-options.js';

/** Options of openSockets: the socket settings of PingOptions, the families to open, and the limits of the runs on them. */
export type OpenSocketsOptions = Pick<PingOptions, SocketKey> & {
  /** Families to open (default both, [4, 6]). */
  families?: (4 | 6)[];
  /**
   * Most probes awaiting their answer at once over every run on these sockets, 1-1000000.
   * Default: as many replies as the sockets' receive queues hold (three quarters of them:
   * about 23000 of 56 bytes in 32 MiB). Sends beyond wait their turn; each run's own interval, preload and rate
   * still apply first. Set it, and the receive queue no longer bounds it: replies the kernel
   * then discards are reported (the 'drops' event, `kernelDrops()`), not hidden.
   */
  maxInFlight?: number;
  /**
   * The receive queue to ask for on each socket, bytes as the kernel counts them (getsockopt
   * SO_RCVBUF), 4096-1073741824 (default 33554432, 32 MiB: about 40000 replies of 56 bytes).
   * A limit, not an allocation. Root gets it; other users at most twice net.core.rmem_max.
   */
  receiveBuffer?: number;
};

/** The options that are settings of the socket itself: a run finds a set's sockets only when it asks for the same. */
const SOCKET_SETTINGS = [
  'mode',
  'ttl',
  'tos',
  'source',
  'interface',
  'broadcast',
  'identifier',
  'pmtu',
  'mark',
  'sendBuffer',
  'debug',
  'dontRoute',
  'noLoopback',
  'recordRoute',
  'ipTimestamp',
  'timestampHops',
  'flowLabel',
  'connect',
  'strictSource',
  'userLatency',
] as const satisfies readonly (keyof PingOptions)[];
type SocketKey = (typeof SOCKET_SETTINGS)[number];

const SOCKET_KEYS: ReadonlySet<string> = new Set<string>([
  ...SOCKET_SETTINGS,
  'families',
  'maxInFlight',
  'receiveBuffer',
] satisfies (keyof OpenSocketsOptions)[]);

function integerIn(name: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new OptionError(name, `invalid ${name}: expected an integer from ${min} to ${max}, got ${typeof value === 'number' ? value : typeof value}`);
  }
  return value;
}

/**
 * Opens ICMP sockets now, with the socket settings of `options` (mode, ttl, tos, source,
 * interface, broadcast, and those of ping's other options: identifier, pmtu, mark, ...), one for each family in `families` (default both), and returns them
 * as a set to pass as the `sockets` option of later runs. This lets a program open its sockets
 * while privileged and give up the privilege before it reads anything from the network, as
 * rawping's CLI does. The runs on a set share its limits (`maxInFlight`, `receiveBuffer`).
 * Never throws for a family that fails: see the set's `failed`.
 *
 * @throws OptionError for a bad or unknown option
 */
export function openSockets(options: OpenSocketsOptions = {}): SocketSet {
  if (options === null || typeof options !== 'object') throw new OptionError('options', 'options must be an object');
  checkKnownKeys(options, SOCKET_KEYS);
  const { families = [4, 6], maxInFlight, receiveBuffer, ...rest } = options;
  if (!Array.isArray(families) || families.length === 0 || families.some((f) => f !== 4 && f !== 6)) {
    throw new OptionError('families', 'invalid families: expected a list of 4 and/or 6');
  }
  const limits: EngineLimits = {};
  const inFlight = integerIn('maxInFlight', maxInFlight, 1, 1_000_000);
  const queue = integerIn('receiveBuffer', receiveBuffer, 4096, 1_073_741_824);
  if (inFlight !== undefined) limits.maxInFlight = inFlight;
  if (queue !== undefined) limits.receiveBufferBytes = queue;
  const validated = validateOptions(rest, { kind: 'library' });
  return openSocketSet(validated.socket, [...new Set(families)].sort(), limits);
}
