// The trace's library options, validated once against the option table: its own rows (rounds,
// roundInterval, probeTimeout, firstHop, maxHops) and the rows it shares with ping (size,
// family, mode, source, interface, tos, resolveTimeout, signal, sockets, lookup), which go
// through ping's own validation so they read the same everywhere. Unknown keys are refused.
import { OptionError } from '../errors.js';
import type { SocketSpec } from '../pinger/engine.js';
import type { TraceConfig } from '../pinger/trace-config.js';
import type { LookupFunction } from '../targets/resolve-target.js';
import { defaultsFor, type OptionKey } from './option-table.js';
import { checkNumber, libraryName, numericOption, type OptionNamer } from './parse-value.js';
import { checkKnownKeys, validateOptions, type OptionInput } from './validate-options.js';

/** What validateTraceOptions reads: the public TraceOptions (src/api/trace-options.ts) is this, documented. */
export interface TraceOptionInput {
  rounds?: number;
  roundInterval?: number;
  probeTimeout?: number;
  firstHop?: number;
  maxHops?: number;
  size?: number;
  family?: 0 | 4 | 6;
  mode?: 'auto' | 'raw' | 'dgram';
  source?: string;
  interface?: string;
  tos?: number;
  resolveTimeout?: number;
  signal?: AbortSignal;
  sockets?: unknown;
  lookup?: LookupFunction;
}

/** The trace's own keys: rows of the option table whose modes hold 'trace'. */
const OWN_KEYS = ['rounds', 'roundInterval', 'probeTimeout', 'firstHop', 'maxHops'] as const satisfies readonly (OptionKey & keyof TraceOptionInput)[];
/** The keys it shares with ping, checked by validateOptions. */
const SHARED_KEYS = [
  'size',
  'family',
  'mode',
  'source',
  'interface',
  'tos',
  'resolveTimeout',
  'signal',
  'sockets',
  'lookup',
] as const satisfies readonly (keyof OptionInput & keyof TraceOptionInput)[];

// Every key of TraceOptionInput is in one of the two lists, and nothing else is.
type IsTrue<T extends true> = T;
type Listed = (typeof OWN_KEYS)[number] | (typeof SHARED_KEYS)[number];
export type _TraceKeysListed = IsTrue<[Exclude<keyof TraceOptionInput, Listed>, Exclude<Listed, keyof TraceOptionInput>] extends [never, never] ? true : false>;

/** The keys TraceOptions takes. */
export const TRACE_OPTION_KEYS: ReadonlySet<string> = new Set<string>([...OWN_KEYS, ...SHARED_KEYS]);

/** Trace options after validation, in the units the engine uses. */
export interface ValidatedTraceOptions {
  trace: TraceConfig;
  /** Socket settings (no TTL: each probe carries its own). */
  socket: SocketSpec;
  family: 0 | 4 | 6;
  resolveTimeoutMs: number;
  signal: AbortSignal | undefined;
  /** The socket set to run on, as given (the runtime checks it is one); undefined: the process's sockets. */
  sockets: unknown;
  lookup: LookupFunction | undefined;
}

/**
 * Validates trace options and fills in the trace's defaults from the option table. Throws
 * OptionError (naming the option and its range) for any bad value or unknown key, and when
 * the first hop is beyond the last.
 */
export function validateTraceOptions(input: TraceOptionInput = {}, name: OptionNamer = libraryName): ValidatedTraceOptions {
  if (input === null || typeof input !== 'object') throw new OptionError('options', 'options must be an object');
  checkKnownKeys(input, TRACE_OPTION_KEYS);
  const shared: Record<string, unknown> = {};
  for (const key of SHARED_KEYS) if (input[key] !== undefined) shared[key] = input[key];
  // The shared rows' defaults are the same for every kind of run (everyKind in the table).
  const common = validateOptions(shared, { kind: 'library', name });
  const defaults = defaultsFor('trace');
  const num = (key: (typeof OWN_KEYS)[number]): number => {
    const value = input[key];
    if (value === undefined) return defaults[key] as number;
    return checkNumber(numericOption(key), value, name);
  };
  const firstHop = num('firstHop');
  const maxHops = num('maxHops');
  if (firstHop > maxHops) {
    throw new OptionError(name('firstHop'), `invalid ${name('firstHop')} '${firstHop}': expected at most ${name('maxHops')} (${maxHops})`);
  }
  return {
    trace: {
      rounds: num('rounds'),
      intervalMs: num('roundInterval'),
      timeoutMs: num('probeTimeout'),
      firstHop,
      maxHops,
      size: common.session.size,
    },
    socket: common.socket,
    family: common.family,
    resolveTimeoutMs: common.resolveTimeoutMs,
    signal: common.signal,
    sockets: common.sockets,
    lookup: common.lookup,
  };
}
