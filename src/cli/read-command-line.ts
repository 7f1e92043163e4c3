// A command line read by the option table's rules, for any mode: getopt reads the flags as
// ping does and refuses what the table does not have, and every value is read by its row, so
// "-c 10xyz" or "-i NaN" fail with the flag's name and range instead of turning into NaN. The
// same rows are declared to yargs for shell completion (completion.ts).
//
// yargs does not read the command line a second time: getopt has already refused every
// unknown option and missing value, and loading yargs (its modules, and process.stdout, which
// it reads at load) cost about 20 ms of every start (bench/README.md, start-up).
import { OptionError } from '../errors.js';
import { flagOf, OPTION_TABLE, optionRow, type CliMode, type OptionKey, type OptionRow, type ValueSpec } from '../options/option-table.js';
import { numericOption, parseNumberOption, parsePattern, parseTos } from '../options/parse-value.js';
import { getopt } from './getopt.js';
import { UsageError } from './usage-error.js';

type Table = (typeof OPTION_TABLE)[number];
/** The rows of the table that mode `M` takes. */
export type RowsOf<M extends CliMode> = Table extends infer R ? (R extends { modes: readonly (infer X)[] } ? (M extends X ? R : never) : never) : never;
type ValueOf<V extends ValueSpec> = V extends { kind: 'number' | 'tos' | 'flowlabel' }
  ? number
  : V extends { kind: 'pattern' }
    ? Uint8Array
    : V extends { kind: 'choice'; choices: readonly (infer C)[] }
      ? C
      : string;
// A millisecond value carries its unit in its name: interval -> intervalMs.
type ValueName<R extends Table> = R['value'] extends { unit: 'ms' } ? `${R['key']}Ms` : R['key'];

/** The values of rows `R`: flags as booleans, values (when given) in library units, under their names. */
export type ValuesOf<R extends Table> = { -readonly [F in Extract<R, { value: { kind: 'flag' } }> as F['key']]: boolean } & {
  -readonly [V in Exclude<R, { value: { kind: 'flag' } }> as ValueName<V>]?: ValueOf<V['value']>;
};

/** The rows of the modes given, in table order. */
export function rowsOfModes(modes: readonly CliMode[]): OptionRow[] {
  return (OPTION_TABLE as readonly OptionRow[]).filter((row) => row.modes.some((m) => modes.includes(m)));
}

/** The flag an option key is spelled with on the command line (for messages). */
export function flagName(key: string): string {
  // -I stands for both: an address is the library's `source`, a name its `interface`.
  if (key === 'source') return '-I';
  if (key === 'family') return '-4/-6';
  if (key === 'timestampHops') return '-T tsprespec';
  try {
    return flagOf(optionRow(key as OptionKey));
  } catch {
    return key;
  }
}

/** The key under which a row's value is kept: its key, with Ms for milliseconds. */
export function valueName(row: OptionRow): string {
  return row.value.kind === 'number' && row.value.unit === 'ms' ? `${row.key}Ms` : row.key;
}

/** Reads one value by its row's rules, in library units. */
function readValue(row: OptionRow, text: string): number | string | Uint8Array {
  const spec = row.value;
  switch (spec.kind) {
    case 'number': {
      const scale = spec.cliSeconds === true ? 1000 : 1;
      const range = numericOption(row.key as OptionKey);
      // ping reads -w with strtol: whole seconds.
      if (spec.cliWhole === true && !/^[+]?[0-9]+$/.test(text)) {
        throw new OptionError(flagOf(row), `invalid ${flagOf(row)} '${text.slice(0, 40)}': expected whole seconds from 0 to ${range.max / scale}`);
      }
      const value = parseNumberOption(range, text, flagName, scale);
      // ping keeps the interval in whole milliseconds, (int)(seconds * 1000): -i 0.0015 sends
      // every 1 ms, and -i 0.0002 as -i 0 does. The same double product, truncated.
      return spec.truncate === true ? Math.trunc(value) : value;
    }
    case 'tos':
      return parseTos(text, flagName);
    case 'pattern':
      return parsePattern(text, flagName);
    case 'flowlabel': {
      // ping's parseflow: hexadecimal, 0x optional, 20 bits at most.
      const digits = /^(0[xX])?([0-9a-fA-F]{1,8})$/.exec(text)?.[2];
      const value = digits === undefined ? NaN : parseInt(digits, 16);
      if (!(value <= 0xfffff)) throw new OptionError(flagOf(row), `invalid ${flagOf(row)} '${text.slice(0, 40)}': expected a hex flow label from 0 to 0xfffff`);
      return value;
    }
    case 'choice':
      if (!spec.choices.includes(text)) {
        throw new OptionError(flagOf(row), `invalid ${flagOf(row)} '${text.slice(0, 40)}': expected ${spec.choices.map((c) => `'${c}'`).join(', ')}`);
      }
      return text;
    default:
      return text;
  }
}

/** A command line as the table reads it. */
export interface CommandLine {
  /** Every row's value: flags true or false, the rest (when given) in library units, under valueName. */
  values: Record<string, unknown>;
  /** The rows given, in table order. */
  given: OptionRow[];
  /** How each given option was last written ('-c' or '--count'), for messages. */
  spelled: Map<string, string>;
  /** The operands, in order. */
  operands: string[];
}

/**
 * Reads argv against `rows`. Throws UsageError for unknown options, missing values and every
 * bad value (each naming the flag and its allowed range); `help` is the command whose -h the
 * messages point to (default `rawping -h`).
 */
export function readCommandLine(argv: readonly string[], rows: readonly OptionRow[], help = 'rawping -h'): CommandLine {
  const found = getopt(argv, rows, help);
  const values: Record<string, unknown> = {};
  const given: OptionRow[] = [];
  try {
    for (const row of rows) {
      const v = found.values.get(row.key);
      if (row.value.kind === 'flag') {
        values[row.key] = v === true;
        if (v === true) given.push(row);
      } else if (typeof v === 'string') {
        values[valueName(row)] = readValue(row, v);
        given.push(row);
      }
    }
  } catch (error) {
    if (error instanceof OptionError) throw new UsageError(error.message);
    throw error;
  }
  return { values, given, spelled: found.spelled, operands: found.operands };
}
