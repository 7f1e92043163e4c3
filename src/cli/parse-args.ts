// argv -> CliOptions, driven by the option table: getopt reads the flags as ping does, yargs
// (the CLI's framework: commands, completion) takes the normalised result strictly, and every
// value is read by the table's rules, so "-c 10xyz" or "-i NaN" fail with the flag's name and
// range instead of turning into NaN. Options that do not apply to the run's mode are refused.
import yargs from 'yargs';
import { OptionError } from '../errors.js';
import { flagOf, OPTION_TABLE, optionRow, type CliMode, type OptionKey, type OptionRow, type ValueSpec } from '../options/option-table.js';
import { numericOption, parseNumberOption, parsePattern, parseTos } from '../options/parse-value.js';
import { validateOptions } from '../options/validate-options.js';
import { ipVersion } from '../packet/address.js';
import type { SocketMode } from '../os/socket-like.js';
import { commonPingOptions } from './common-options.js';
import { getopt } from './getopt.js';
import { UsageError } from './usage-error.js';

type Table = (typeof OPTION_TABLE)[number];
type CliRow = Extract<Table, { modes: readonly [CliMode, ...CliMode[]] }>;
type FlagRow = Extract<CliRow, { value: { kind: 'flag' } }>;
type ValueRow = Exclude<CliRow, FlagRow>;
type ValueOf<V extends ValueSpec> = V extends { kind: 'number' | 'tos' }
  ? number
  : V extends { kind: 'pattern' }
    ? Uint8Array
    : V extends { kind: 'choice'; choices: readonly (infer C)[] }
      ? C
      : string;
// A millisecond value carries its unit in its name: interval -> intervalMs.
type CliName<R extends CliRow> = R['value'] extends { unit: 'ms' } ? `${R['key']}Ms` : R['key'];

/** Every command-line option of the table: flags as booleans, values (when given) in library units. */
export type CliValues = { -readonly [R in FlagRow as R['key']]: boolean } & { -readonly [R in ValueRow as CliName<R>]?: ValueOf<R['value']> };

/** The command line, validated. Times are milliseconds (converted from ping's seconds). */
export type CliOptions = Omit<CliValues, 'mode' | 'interface'> & {
  /** The operands: targets (with -g, the range's bounds are in `range` instead). */
  targets: string[];
  /** -g's operands: a CIDR prefix, or a start and an end address. */
  range?: string[];
  /** The run's mode: one target as ping, or many as fping. */
  runMode: CliMode;
  family: 0 | 4 | 6;
  mode: SocketMode;
  /** -I given as an address. */
  source?: string;
  /** -I given as an interface name, or the %interface of a scoped IPv6 target. */
  interface?: string;
  /** The interface came from the target's %scope, not from -I (the header does not show it). */
  interfaceFromScope?: boolean;
};

const CLI_ROWS: readonly OptionRow[] = (OPTION_TABLE as readonly OptionRow[]).filter((row) => row.modes.length > 0);

/** The flag an option key is spelled with on the command line (for messages). */
export function flagName(key: string): string {
  // -I stands for both: an address is the library's `source`, a name its `interface`.
  if (key === 'source') return '-I';
  if (key === 'family') return '-4/-6';
  try {
    return flagOf(optionRow(key as OptionKey));
  } catch {
    return key;
  }
}

/** The key under which CliValues keeps a row's value. */
function valueName(row: OptionRow): string {
  return row.value.kind === 'number' && row.value.unit === 'ms' ? `${row.key}Ms` : row.key;
}

/** Reads one value by its row's rules, in library units. */
function readValue(row: OptionRow, text: string): number | string | Uint8Array {
  const spec = row.value;
  switch (spec.kind) {
    case 'number': {
      const scale = spec.cliSeconds === true ? 1000 : 1;
      const value = parseNumberOption(numericOption(row.key as OptionKey), text, flagName, scale);
      // ping keeps the interval in whole milliseconds, (int)(seconds * 1000): -i 0.0015 sends
      // every 1 ms, and -i 0.0002 as -i 0 does. The same double product, truncated.
      return spec.truncate === true ? Math.trunc(value) : value;
    }
    case 'tos':
      return parseTos(text, flagName);
    case 'pattern':
      return parsePattern(text, flagName);
    case 'choice':
      if (!spec.choices.includes(text)) {
        throw new OptionError(flagOf(row), `invalid ${flagOf(row)} '${text.slice(0, 40)}': expected ${spec.choices.map((c) => `'${c}'`).join(', ')}`);
      }
      return text;
    default:
      return text;
  }
}

/**
 * yargs over the table's options, strict: it takes the command line after getopt has read it
 * (every option as --long or --long=value, the operands after --).
 */
function yargsParse(normalised: string[]): Record<string, unknown> {
  let parser = yargs(normalised)
    .exitProcess(false)
    .help(false)
    .version(false)
    .strictOptions()
    .parserConfiguration({
      'camel-case-expansion': false,
      'boolean-negation': false,
      'duplicate-arguments-array': false,
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'dot-notation': false,
      'short-option-groups': false,
    })
    .fail((message, error) => {
      throw new UsageError(message ?? error?.message ?? 'invalid command line');
    });
  for (const row of CLI_ROWS) {
    const name = row.long ?? row.key;
    parser = parser.option(name, row.value.kind === 'flag' ? { type: 'boolean' } : { type: 'string', requiresArg: true });
  }
  return parser.parseSync();
}

/**
 * Parses argv (without node and the script path). Throws UsageError for unknown options,
 * missing values, options the run's mode does not take, and every bad value (each naming the
 * flag and its allowed range).
 */
export function parseArgs(argv: readonly string[]): CliOptions {
  const found = getopt(argv, CLI_ROWS);
  const normalised: string[] = [];
  for (const [key, value] of found.values) {
    const row = optionRow(key as OptionKey);
    const name = row.long ?? row.key;
    normalised.push(value === true ? `--${name}` : `--${name}=${value}`);
  }
  normalised.push('--', ...found.operands);
  const raw = yargsParse(normalised);

  try {
    const values: Record<string, unknown> = {};
    const given: OptionRow[] = [];
    for (const row of CLI_ROWS) {
      const v = raw[row.long ?? row.key];
      if (row.value.kind === 'flag') {
        values[row.key] = v === true;
        if (v === true) given.push(row);
      } else if (v !== undefined) {
        values[valueName(row)] = readValue(row, v as string); // yargs gives strings: every value option is type string
        given.push(row);
      }
    }
    const flag = (key: OptionKey): boolean => values[key] === true;
    const operands = ((raw._ as unknown[] | undefined) ?? []).map(String);
    if (flag('ipv4') && flag('ipv6')) throw new UsageError('only one -4 or -6 option may be specified');
    if (flag('alive') && flag('unreachable')) throw new UsageError('only one of --alive and --unreachable may be given');
    const sweep = operands.length > 1 || given.some((row) => row.selectsSweep === true);
    const runMode: CliMode = sweep ? 'sweep' : 'ping';
    if (!flag('help') && !flag('version')) {
      for (const row of given) {
        if (row.modes.includes(runMode)) continue;
        const spelled = found.spelled.get(row.key) ?? flagOf(row);
        throw new UsageError(
          runMode === 'sweep'
            ? `${spelled} applies to one target only, not to many (see rawping -h)`
            : `${spelled} applies to many targets only (see rawping -h)`,
        );
      }
    }
    const { interface: iface, mode, ...rest } = values as Partial<CliValues> & { interface?: string; mode?: SocketMode };
    const options = {
      ...(rest as Omit<CliValues, 'mode' | 'interface'>),
      targets: operands,
      runMode,
      family: flag('ipv4') ? 4 : flag('ipv6') ? 6 : 0,
      mode: mode ?? 'auto',
      // ping's -H asks for names; -n after or before it wins, as ping's numeric flag does.
      reverseDns: flag('reverseDns') && !flag('numeric'),
    } satisfies CliOptions as CliOptions;
    if (iface !== undefined) {
      if (ipVersion(iface) !== 0) options.source = iface;
      else options.interface = iface;
    }
    if (flag('generate')) options.range = options.targets.splice(0);
    // fe80::1%eth0 or ff02::1%eth0 names the interface to send through: the socket binds to
    // it (as ping does), which multicast needs and link-local unicast does no harm to.
    const scoped = options.targets.length === 1 ? /^([0-9a-fA-F:.]+)%([A-Za-z_][\w.-]{0,14})$/.exec(options.targets[0] as string) : null;
    if (scoped !== null && options.interface === undefined && options.source === undefined && ipVersion(scoped[1] as string) === 6) {
      options.interface = scoped[2];
      options.interfaceFromScope = true;
    }
    // The library checks what it will be given (ranges of combinations, -I), under the flags'
    // names; a bad one is a usage error here, before any socket.
    validateOptions(commonPingOptions(options), { kind: runMode, name: flagName });
    if (options.retries !== undefined && options.count !== undefined) {
      throw new UsageError('--retries applies without -c only: -c sends exactly <n> probes to each target');
    }
    return options;
  } catch (error) {
    if (error instanceof OptionError) throw new UsageError(error.message);
    throw error;
  }
}
