// Library options, validated once: every value checked against the option table (type, range,
// unit), defaults filled in for the kind of run, unknown keys refused. The CLI reaches the
// same checks through the library, naming options by its flags.
import { OptionError } from '../errors.js';
import type { SocketSpec } from '../pinger/engine.js';
import type { SessionConfig } from '../pinger/session.js';
import { defaultsFor, OPTION_TABLE, type OptionKey, type RunKind } from './option-table.js';
import { checkNumber, checkSizeForFamily, checkTos, libraryName, numericOption, parsePattern, type OptionNamer } from './parse-value.js';
import { encodeRecordRoute, encodeTimestamp, MAX_PRESPEC_HOPS, type TimestampKind } from '../packet/ip-options.js';
import type { LookupFunction } from '../targets/resolve-target.js';

/** Options after validation, in the units the engine uses. */
export interface ValidatedOptions {
  session: SessionConfig;
  socket: SocketSpec;
  family: 0 | 4 | 6;
  resolveTimeoutMs: number;
  broadcast: boolean;
  signal: AbortSignal | undefined;
  /** The socket set to run on, as given (the runtime checks it is one); undefined: the process's sockets. */
  sockets: unknown;
  /** The name lookup to use; undefined: getaddrinfo. */
  lookup: LookupFunction | undefined;
}

/** The keys the library takes, from the option table. */
export type LibraryKey = Extract<(typeof OPTION_TABLE)[number], { library: true }>['key'];

/**
 * What validateOptions reads: the public PingOptions (src/api/ping-options.ts) is this with
 * its documentation, and with `sockets` typed as the SocketSet it must be.
 */
export interface OptionInput {
  count?: number;
  interval?: number;
  timeout?: number;
  deadline?: number;
  size?: number;
  ttl?: number;
  tos?: number;
  pattern?: string | Uint8Array;
  preload?: number;
  family?: 0 | 4 | 6;
  mode?: 'auto' | 'raw' | 'dgram';
  source?: string;
  interface?: string;
  broadcast?: boolean;
  rate?: number;
  retries?: number;
  backoff?: number;
  stopOnReply?: boolean;
  resolveTimeout?: number;
  adaptive?: boolean;
  minInterval?: number;
  signal?: AbortSignal;
  sockets?: unknown;
  lookup?: LookupFunction;
  identifier?: number;
  pmtu?: 'do' | 'want' | 'probe' | 'dont';
  mark?: number;
  sendBuffer?: number;
  debug?: boolean;
  dontRoute?: boolean;
  noLoopback?: boolean;
  recordRoute?: boolean;
  ipTimestamp?: TimestampKind;
  timestampHops?: string[];
  flowLabel?: number;
  connect?: boolean;
  strictSource?: boolean;
  userLatency?: boolean;
}
// OptionInput and the table's library rows list the same keys: a key added to one and not the
// other does not compile.
type IsTrue<T extends true> = T;
export type _OptionInputKeysMatch = IsTrue<
  [Exclude<keyof OptionInput, LibraryKey>, Exclude<LibraryKey, keyof OptionInput>] extends [never, never] ? true : false
>;

/** The keys PingOptions takes. */
export const PING_OPTION_KEYS: ReadonlySet<string> = new Set(OPTION_TABLE.filter((row) => row.library).map((row) => row.key));

/** Edits between two short strings, a swap of neighbours counting as one (for "did you mean"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => (d[i] as number[])[j] as number;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * Throws OptionError naming the first key of `input` that is not in `allowed` (with the
 * nearest allowed key when one is close: `cuont` -> `count`).
 */
export function checkKnownKeys(input: object, allowed: ReadonlySet<string>, what = 'option'): void {
  for (const key of Object.keys(input)) {
    if (allowed.has(key)) continue;
    const shown = key.length > 40 ? `${key.slice(0, 40)}...` : key;
    const near = [...allowed].map((k) => ({ k, d: editDistance(key.toLowerCase(), k.toLowerCase()) })).sort((x, y) => x.d - y.d)[0];
    const hint = near !== undefined && near.d <= Math.max(1, Math.floor(key.length / 3)) ? ` (did you mean '${near.k}'?)` : '';
    throw new OptionError(key, `unknown ${what} '${shown}'${hint}`);
  }
}

/** How validateOptions is called. */
export interface ValidateContext {
  /** Whose defaults fill in what was not set (default 'library', ping()'s). */
  kind?: RunKind;
  /** How messages name options (the CLI passes its flags). */
  name?: OptionNamer;
  /** Keys accepted besides PingOptions' (an entry point's own options, validated by it). */
  extraKeys?: readonly string[];
}

/** The socket settings beyond ttl, tos, source, interface and broadcast, checked into `socket`. */
function socketExtras(
  input: OptionInput,
  socket: SocketSpec,
  name: OptionNamer,
  num: (key: OptionKey) => number | undefined,
  flag: (key: OptionKey) => boolean,
): void {
  const identifier = num('identifier');
  if (identifier !== undefined) socket.identifier = identifier;
  const pmtu: unknown = input.pmtu;
  if (pmtu !== undefined) {
    if (pmtu !== 'do' && pmtu !== 'want' && pmtu !== 'probe' && pmtu !== 'dont') {
      throw new OptionError(
        name('pmtu'),
        `invalid ${name('pmtu')} '${typeof pmtu === 'string' ? pmtu.slice(0, 40) : typeof pmtu}': expected 'do', 'want', 'probe' or 'dont'`,
      );
    }
    socket.pmtu = pmtu;
  }
  const mark = num('mark');
  if (mark !== undefined) socket.mark = mark;
  const sendBuffer = num('sendBuffer');
  if (sendBuffer !== undefined) socket.sendBuffer = sendBuffer;
  if (input.flowLabel !== undefined) {
    socket.flowLabel = checkNumber({ key: 'flowLabel', unit: 'id', min: 0, max: 0xfffff, integer: true }, input.flowLabel, name);
  }
  for (const key of ['debug', 'dontRoute', 'connect', 'strictSource', 'userLatency'] as const) if (flag(key)) socket[key] = true;
  if (flag('noLoopback')) socket.multicastLoop = false;
  const recordRoute = flag('recordRoute');
  const hops = input.timestampHops;
  if (hops !== undefined && (!Array.isArray(hops) || input.ipTimestamp !== 'tsprespec')) {
    throw new OptionError(
      name('timestampHops'),
      `invalid ${name('timestampHops')}: a list of 1 to ${MAX_PRESPEC_HOPS} IPv4 addresses, with ipTimestamp 'tsprespec' only`,
    );
  }
  if (input.ipTimestamp !== undefined) {
    if (recordRoute) throw new OptionError(name('recordRoute'), `only one of ${name('ipTimestamp')} or ${name('recordRoute')} may be used`);
    const kind = input.ipTimestamp;
    if (kind !== 'tsonly' && kind !== 'tsandaddr' && kind !== 'tsprespec') {
      throw new OptionError(
        name('ipTimestamp'),
        `invalid ${name('ipTimestamp')} '${String(kind).slice(0, 40)}': expected 'tsonly', 'tsandaddr' or 'tsprespec'`,
      );
    }
    const bytes = encodeTimestamp(kind, hops ?? []);
    if (bytes === null) {
      throw new OptionError(
        name('timestampHops'),
        `invalid ${name('timestampHops')}: 'tsprespec' needs 1 to ${MAX_PRESPEC_HOPS} IPv4 addresses (the hosts whose timestamps are asked for)`,
      );
    }
    socket.ipOptions = bytes;
  } else if (recordRoute) {
    socket.ipOptions = encodeRecordRoute();
  }
}

/**
 * Validates library options and fills in the defaults of `kind`. Throws OptionError (naming the
 * option and its range) for any bad value or unknown key; never lets NaN or a value out of
 * range through.
 */
export function validateOptions(input: OptionInput = {}, context: ValidateContext = {}): ValidatedOptions {
  const kind = context.kind ?? 'library';
  const name = context.name ?? libraryName;
  if (input === null || typeof input !== 'object') throw new OptionError('options', 'options must be an object');
  checkKnownKeys(input, context.extraKeys === undefined ? PING_OPTION_KEYS : new Set([...PING_OPTION_KEYS, ...context.extraKeys]));
  const defaults = defaultsFor(kind);
  const num = (key: OptionKey): number | undefined => {
    const value = (input as Record<string, unknown>)[key];
    return value === undefined ? (defaults[key] as number | undefined) : checkNumber(numericOption(key), value, name);
  };
  const need = (key: OptionKey): number => {
    const value = num(key);
    if (value === undefined) throw new Error(`the option table has no default of ${key} for ${kind}`);
    return value;
  };
  const flag = (key: OptionKey): boolean => {
    const value = (input as Record<string, unknown>)[key];
    if (value === undefined) return defaults[key] === true;
    if (typeof value !== 'boolean') throw new OptionError(name(key), `invalid ${name(key)} (a ${typeof value}): expected true or false`);
    return value;
  };

  const retries = input.retries === undefined ? undefined : checkNumber(numericOption('retries'), input.retries, name);
  if (retries !== undefined && input.count !== undefined) {
    throw new OptionError(
      name('retries'),
      `${name('retries')} and ${name('count')} exclude each other: ${name('retries')} sends one probe, and another after each timeout, up to ${name('retries')} more`,
    );
  }
  const count = num('count') ?? Infinity;
  const timeoutMs = need('timeout');
  const size = need('size');
  const ttl = num('ttl');
  const tos = input.tos === undefined ? undefined : checkTos(input.tos, name);
  const pattern = input.pattern === undefined ? null : parsePattern(input.pattern, name);
  const family = input.family ?? (defaults.family === undefined ? 0 : (Number(defaults.family) as 0 | 4 | 6));
  if (family !== 0 && family !== 4 && family !== 6) {
    throw new OptionError(name('family'), `invalid ${name('family')} '${String(family).slice(0, 40)}': expected 4, 6 or 0`);
  }
  const mode = input.mode ?? defaults.mode;
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
  if (input.lookup !== undefined && typeof input.lookup !== 'function') {
    throw new OptionError(name('lookup'), `invalid ${name('lookup')}: expected a function (hostname, options) => Promise<{ address, family }>`);
  }
  if (family !== 0) checkSizeForFamily(size, family, name);
  const broadcast = flag('broadcast');
  const socket: SocketSpec = { mode };
  if (ttl !== undefined) socket.ttl = ttl;
  if (tos !== undefined) socket.tos = tos;
  if (input.source !== undefined) socket.source = input.source;
  if (input.interface !== undefined) socket.interface = input.interface;
  if (broadcast) socket.broadcast = true;
  socketExtras(input, socket, name, num, flag);
  return {
    session: {
      // Retries: one probe plus at most `retries` more, each only after a timeout.
      count: retries !== undefined ? 1 + retries : count,
      intervalMs: need('interval'),
      timeoutMs,
      deadlineMs: num('deadline') ?? null,
      preload: need('preload'),
      size,
      pattern,
      ratePps: need('rate'),
      // A retry follows only a timeout, so a reply ends a target in reachability mode.
      stopOnReply: retries !== undefined || flag('stopOnReply'),
      retries: retries ?? 0,
      backoff: need('backoff'),
      adaptive: flag('adaptive'),
      minIntervalMs: need('minInterval'),
    },
    socket,
    family,
    resolveTimeoutMs: need('resolveTimeout'),
    broadcast,
    signal: input.signal,
    sockets: input.sockets,
    lookup: input.lookup,
  };
}
