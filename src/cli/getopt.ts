// The command line read as ping's getopt reads it, from the option table: values written onto
// the flag (-c3, -Ilo, -i.5, -pff), grouped flags (-qn, -qc3), a value in the next argument
// whatever it looks like (-c -1 is a count of "-1", refused with its range), options anywhere
// among the targets (GNU getopt permutes), `--` ending the options, long options as --name
// value or --name=value. The last value of a repeated option wins.
import type { OptionRow } from '../options/option-table.js';
import { UsageError } from './usage-error.js';

/** What getopt found: each option once (its last value), and the operands in order. */
export interface GetoptResult {
  /** Option key -> its value (text), or true for a flag. */
  values: Map<string, string | true>;
  /** The flag each option was last written with (for messages: '-c' or '--count'). */
  spelled: Map<string, string>;
  /** The arguments that are not options, in order. */
  operands: string[];
}

function takesValue(row: OptionRow): boolean {
  return row.value.kind !== 'flag';
}

/**
 * Reads `argv` against the options in `rows`. Throws UsageError for an unknown option, a
 * missing value, or a value given to a flag; the messages point to `help` (the command's -h).
 */
export function getopt(argv: readonly string[], rows: readonly OptionRow[], help = 'rawping -h'): GetoptResult {
  const byShort = new Map<string, OptionRow>();
  const byLong = new Map<string, OptionRow>();
  for (const row of rows) {
    if (row.short !== undefined) byShort.set(row.short, row);
    if (row.long !== undefined) byLong.set(row.long, row);
  }
  const result: GetoptResult = { values: new Map(), spelled: new Map(), operands: [] };
  const set = (row: OptionRow, value: string | true, spelled: string): void => {
    // Map order follows the last write, so a repeated option counts where it was last given.
    result.values.delete(row.key);
    result.values.set(row.key, value);
    result.spelled.set(row.key, spelled);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      result.operands.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const row = byLong.get(name);
      if (row === undefined) throw new UsageError(`unknown option --${name.slice(0, 40)} (see ${help})`);
      if (!takesValue(row)) {
        if (eq >= 0) throw new UsageError(`option --${name} takes no value (see ${help})`);
        set(row, true, `--${name}`);
        continue;
      }
      if (eq >= 0) set(row, arg.slice(eq + 1), `--${name}`);
      else if (i + 1 < argv.length) set(row, argv[++i] as string, `--${name}`);
      else throw new UsageError(`option --${name} needs a value (see ${help})`);
      continue;
    }
    if (arg.length < 2 || !arg.startsWith('-')) {
      result.operands.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j] as string;
      const row = byShort.get(letter);
      if (row === undefined) throw new UsageError(`unknown option -${letter} (see ${help})`);
      if (!takesValue(row)) {
        set(row, true, `-${letter}`);
        continue;
      }
      const rest = arg.slice(j + 1);
      if (rest.length > 0) set(row, rest, `-${letter}`);
      else if (i + 1 < argv.length) set(row, argv[++i] as string, `-${letter}`);
      else throw new UsageError(`option -${letter} needs a value (see ${help})`);
      break;
    }
  }
  return result;
}
