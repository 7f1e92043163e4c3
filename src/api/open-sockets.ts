import { OptionError } from '../errors.js';
import { checkKnownKeys, validateOptions } from '../options/validate-options.js';
import { openSocketSet, type SocketSet } from '../runtime/socket-set.js';
import type { PingOptions } from './ping-options.js';

/** Options of openSockets: the socket settings of PingOptions, and the families to open. */
export type OpenSocketsOptions = Pick<PingOptions, SocketKey> & {
  /** Families to open (default both, [4, 6]). */
  families?: (4 | 6)[];
};

/** The options that are settings of the socket itself: a run finds a set's sockets only when it asks for the same. */
type SocketKey =
  | 'mode'
  | 'ttl'
  | 'tos'
  | 'source'
  | 'interface'
  | 'broadcast'
  | 'identifier'
  | 'pmtu'
  | 'mark'
  | 'sendBuffer'
  | 'debug'
  | 'dontRoute'
  | 'noLoopback'
  | 'recordRoute'
  | 'ipTimestamp'
  | 'timestampHops'
  | 'flowLabel'
  | 'connect'
  | 'strictSource'
  | 'userLatency';

const SOCKET_KEYS: ReadonlySet<string> = new Set([
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
  'families',
] satisfies (keyof OpenSocketsOptions)[]);

/**
 * Opens ICMP sockets now, with the socket settings of `options` (mode, ttl, tos, source,
 * interface, broadcast, and those of ping's other options: identifier, pmtu, mark, ...), one for each family in `families` (default both), and returns them
 * as a set to pass as the `sockets` option of later runs. This lets a program open its sockets
 * while privileged and give up the privilege before it reads anything from the network, as
 * rawping's CLI does. Never throws for a family that fails: see the set's `failed`.
 *
 * @throws OptionError for a bad or unknown option
 */
export function openSockets(options: OpenSocketsOptions = {}): SocketSet {
  if (options === null || typeof options !== 'object') throw new OptionError('options', 'options must be an object');
  checkKnownKeys(options, SOCKET_KEYS);
  const { families = [4, 6], ...rest } = options;
  if (!Array.isArray(families) || families.length === 0 || families.some((f) => f !== 4 && f !== 6)) {
    throw new OptionError('families', 'invalid families: expected a list of 4 and/or 6');
  }
  const validated = validateOptions(rest, { kind: 'library' });
  return openSocketSet(validated.socket, [...new Set(families)].sort());
}
