// argv -> TraceCliOptions for `rawping trace`: the option table's trace rows, read by the same
// getopt as the default command, then checked by the library's own validation under
// the flags' names, so a bad value is a usage error here, before any socket.
import type { TraceOptions } from '../../api/trace-options.js';
import { OptionError } from '../../errors.js';
import { validateTraceOptions } from '../../options/validate-trace-options.js';
import { ipVersion } from '../../packet/address.js';
import type { SocketMode } from '../../os/socket-like.js';
import { flagName, readCommandLine, rowsOfModes, type RowsOf, type ValuesOf } from '../read-command-line.js';
import { UsageError } from '../usage-error.js';

/** Every option of `rawping trace`: flags as booleans, values (when given) in library units. */
export type TraceCliValues = ValuesOf<RowsOf<'trace'>>;

/** The trace's command line, validated. Times are milliseconds (converted from seconds). */
export type TraceCliOptions = Omit<TraceCliValues, 'mode' | 'interface'> & {
  /** The destination, as typed; undefined when none was given (a usage error unless -h). */
  target: string | undefined;
  family: 0 | 4 | 6;
  mode: SocketMode;
  /** -I given as an address. */
  source?: string;
  /** -I given as an interface name. */
  interface?: string;
};

const TRACE_ROWS = rowsOfModes(['trace']);

/**
 * The library options a trace from this command line takes: what goes into each probe and
 * which socket sends it. The socket settings among them are those the CLI opens its sockets
 * with before dropping privileges.
 */
export function traceOptionsOf(options: TraceCliOptions): TraceOptions {
  return {
    ...(options.rounds !== undefined ? { rounds: options.rounds } : {}),
    ...(options.roundIntervalMs !== undefined ? { roundInterval: options.roundIntervalMs } : {}),
    ...(options.probeTimeoutMs !== undefined ? { probeTimeout: options.probeTimeoutMs } : {}),
    ...(options.firstHop !== undefined ? { firstHop: options.firstHop } : {}),
    ...(options.maxHops !== undefined ? { maxHops: options.maxHops } : {}),
    ...(options.size !== undefined ? { size: options.size } : {}),
    ...(options.source !== undefined ? { source: options.source } : {}),
    ...(options.interface !== undefined ? { interface: options.interface } : {}),
    family: options.family,
    mode: options.mode,
  };
}

/**
 * Parses `rawping trace` argv (after the word `trace`). Throws UsageError for unknown
 * options, missing values, more than one destination, and every bad value (each naming the
 * flag and its allowed range).
 */
export function parseTraceArgs(argv: readonly string[]): TraceCliOptions {
  const { values, operands } = readCommandLine(argv, TRACE_ROWS, 'rawping trace -h');
  const flag = (key: string): boolean => values[key] === true;
  if (flag('ipv4') && flag('ipv6')) throw new UsageError('only one -4 or -6 option may be specified');
  if (operands.length > 1 && !flag('help')) throw new UsageError(`a trace has one destination, not ${operands.length} (see rawping trace -h)`);
  const { interface: iface, mode, ...rest } = values as Partial<TraceCliValues> & { interface?: string; mode?: SocketMode };
  const options = {
    ...(rest as Omit<TraceCliValues, 'mode' | 'interface'>),
    target: operands[0],
    family: flag('ipv4') ? 4 : flag('ipv6') ? 6 : 0,
    mode: mode ?? 'auto',
    reverseDns: flag('reverseDns') && !flag('numeric'),
  } satisfies TraceCliOptions as TraceCliOptions;
  if (iface !== undefined) {
    if (ipVersion(iface) !== 0) options.source = iface;
    else options.interface = iface;
  }
  try {
    validateTraceOptions(traceOptionsOf(options), flagName);
  } catch (error) {
    if (error instanceof OptionError) throw new UsageError(error.message);
    throw error;
  }
  return options;
}
