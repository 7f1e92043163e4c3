// argv -> CliOptions with yargs. Values are taken as text and checked by options.ts, so
// "-c 10xyz" or "-i NaN" fail with the option's name and range instead of turning into NaN.
import yargs from 'yargs';
import { OptionError } from '../errors.js';
import { checkNumber, LIBRARY_DEFAULTS, NUMERIC_OPTIONS, parseNumberOption, parsePattern, resolveOptions, type NumericOptionSpec } from '../options/validate-options.js';
import { ipVersion } from '../packet/address.js';
import type { SocketMode } from '../os/open-icmp-socket.js';
import { commonPingOptions } from './common-options.js';
import { UsageError } from './usage-error.js';

/** The command line, validated. Times are milliseconds (converted from ping's seconds). */
export interface CliOptions {
  targets: string[];
  count?: number;
  /** -i in whole milliseconds, truncated as ping truncates it. */
  intervalMs?: number;
  deadlineMs?: number;
  timeoutMs?: number;
  size?: number;
  ttl?: number;
  tos?: number;
  pattern?: Uint8Array;
  preload?: number;
  /** -I given as an address. */
  source?: string;
  /** -I given as an interface name, or the %interface of a scoped IPv6 target. */
  device?: string;
  /** The device came from the target's %scope, not from -I (the header does not show it). */
  deviceFromScope?: boolean;
  family: 0 | 4 | 6;
  mode: SocketMode;
  quiet: boolean;
  numeric: boolean;
  timestamps: boolean;
  reportOutstanding: boolean;
  flood: boolean;
  adaptive: boolean;
  verbose: boolean;
  reverseDns: boolean;
  broadcast: boolean;
  json: boolean;
  help: boolean;
  version: boolean;
  /** Many targets: -g ranges, --file, --alive/--unreachable, --rate, --retries, --backoff. */
  generate?: string[];
  file?: string;
  alive: boolean;
  unreachable: boolean;
  rate?: number;
  retries?: number;
  backoff?: number;
}

// The flag each option key is known by on the command line, for messages.
const FLAGS: Readonly<Record<string, string>> = {
  count: '-c',
  interval: '-i',
  deadline: '-w',
  timeout: '-W',
  size: '-s',
  ttl: '-t',
  tos: '-Q',
  pattern: '-p',
  preload: '-l',
  rate: '--rate',
  retries: '--retries',
  backoff: '--backoff',
  interface: '-I',
  source: '-I',
  mode: '--mode',
};
/** The flag an option key is spelled with on the command line (for messages). */
export const flagName = (key: string): string => FLAGS[key] ?? key;

const VALUE_OPTIONS = {
  c: { alias: 'count' },
  i: { alias: 'interval' },
  w: { alias: 'deadline' },
  W: { alias: 'timeout' },
  s: { alias: 'size' },
  t: { alias: 'ttl' },
  Q: { alias: 'tos' },
  p: { alias: 'pattern' },
  l: { alias: 'preload' },
  I: { alias: 'interface' },
  mode: {},
  file: {},
  rate: {},
  retries: {},
  backoff: {},
} as const;

const FLAG_OPTIONS = {
  q: { alias: 'quiet' },
  n: { alias: 'numeric' },
  D: { alias: 'timestamp' },
  O: { alias: 'report-outstanding' },
  f: { alias: 'flood' },
  A: { alias: 'adaptive' },
  v: { alias: 'verbose' },
  V: { alias: 'version' },
  h: { alias: 'help' },
  H: { alias: 'reverse-dns' },
  b: { alias: 'broadcast' },
  '4': { alias: 'ipv4' },
  '6': { alias: 'ipv6' },
  g: { alias: 'generate' },
  json: {},
  alive: {},
  unreachable: {},
} as const;

function spec(key: string): NumericOptionSpec {
  return NUMERIC_OPTIONS[key] as NumericOptionSpec;
}

function text(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return String(value);
}

/** Reads ping's -Q as it is written, decimal or hexadecimal with 0x; options.ts checks the range. */
function parseTos(value: string): number {
  const t = value.trim();
  const shown = value.slice(0, 40);
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return checkNumber(spec('tos'), parseInt(t.slice(2), 16), flagName, 1, shown);
  if (/^[0-9]+$/.test(t)) return checkNumber(spec('tos'), Number(t), flagName, 1, shown);
  throw new OptionError('-Q', `invalid -Q '${value.slice(0, 40)}': expected a TOS value from 0 to 255 (decimal, or hex with 0x)`);
}

/**
 * Parses argv (without node and the script path). Throws UsageError for unknown options,
 * missing values and every bad value (each naming the flag and its allowed range).
 */
export function parseArgs(argv: readonly string[]): CliOptions {
  let raw: Record<string, unknown>;
  try {
    let parser = yargs([...argv])
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
      })
      .fail((message, error) => {
        throw new UsageError(message ?? error?.message ?? 'invalid command line');
      });
    for (const [key, def] of Object.entries(VALUE_OPTIONS)) {
      parser = parser.option(key, { type: 'string', requiresArg: true, ...('alias' in def ? { alias: def.alias } : {}) });
    }
    for (const [key, def] of Object.entries(FLAG_OPTIONS)) {
      parser = parser.option(key, { type: 'boolean', ...('alias' in def ? { alias: def.alias } : {}) });
    }
    raw = parser.parseSync() as Record<string, unknown>;
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(rewordYargs(error.message));
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }

  const flag = (key: string): boolean => raw[key] === true;
  const value = (key: string): string | undefined => {
    const v = raw[key];
    // A repeated option keeps its last value, as getopt-based ping does.
    return Array.isArray(v) ? text(v[v.length - 1]) : text(v);
  };

  try {
    if (flag('4') && flag('6')) throw new UsageError('only one -4 or -6 option may be specified');
    const options: CliOptions = {
      targets: (raw._ as unknown[]).map(String),
      family: flag('4') ? 4 : flag('6') ? 6 : 0,
      mode: 'auto',
      quiet: flag('q'),
      numeric: flag('n'),
      timestamps: flag('D'),
      reportOutstanding: flag('O'),
      flood: flag('f'),
      adaptive: flag('A'),
      verbose: flag('v'),
      reverseDns: flag('H') && !flag('n'),
      broadcast: flag('b'),
      json: flag('json'),
      help: flag('h'),
      version: flag('V'),
      alive: flag('alive'),
      unreachable: flag('unreachable'),
    };
    const num = (key: string, short: string, scale = 1): number | undefined => {
      const v = value(short);
      return v === undefined ? undefined : parseNumberOption(spec(key), v, flagName, scale);
    };
    const set = <K extends keyof CliOptions>(key: K, v: CliOptions[K] | undefined): void => {
      if (v !== undefined) options[key] = v;
    };
    set('count', num('count', 'c'));
    // ping keeps the interval in whole milliseconds, (int)(seconds * 1000): -i 0.0015 sends
    // every 1 ms, and -i 0.0002 as -i 0 does (a probe per reply). The same double product
    // truncated, so the same value for every input, and the same check of a user's floor.
    const intervalMs = num('interval', 'i', 1000);
    set('intervalMs', intervalMs === undefined ? undefined : Math.trunc(intervalMs));
    set('deadlineMs', num('deadline', 'w', 1000));
    set('timeoutMs', num('timeout', 'W', 1000));
    set('size', num('size', 's'));
    set('ttl', num('ttl', 't'));
    set('preload', num('preload', 'l'));
    set('rate', num('rate', 'rate'));
    set('retries', num('retries', 'retries'));
    set('backoff', num('backoff', 'backoff'));
    const tos = value('Q');
    if (tos !== undefined) options.tos = parseTos(tos);
    const pattern = value('p');
    if (pattern !== undefined) options.pattern = parsePattern(pattern, flagName);
    const iface = value('I');
    if (iface !== undefined) {
      if (ipVersion(iface) !== 0) options.source = iface;
      else options.device = iface;
    }
    const mode = value('mode');
    if (mode !== undefined) options.mode = mode as SocketMode; // checked below
    const file = value('file');
    if (file !== undefined) options.file = file;
    if (flag('g')) options.generate = options.targets.splice(0);
    // fe80::1%eth0 or ff02::1%eth0 names the interface to send through: the socket binds to
    // it (as ping does), which multicast needs and link-local unicast does no harm to.
    const scoped = options.targets.length === 1 ? /^([0-9a-fA-F:.]+)%([A-Za-z_][\w.-]{0,14})$/.exec(options.targets[0] as string) : null;
    if (scoped !== null && options.device === undefined && options.source === undefined && ipVersion(scoped[1] as string) === 6) {
      options.device = scoped[2] as string;
      options.deviceFromScope = true;
    }
    if (options.alive && options.unreachable) throw new UsageError('only one of --alive and --unreachable may be given');
    // options.ts checks every value (ranges, -I, --mode) under the flags' names, as it will
    // again when the run resolves them; a bad one is a usage error here, before any socket.
    resolveOptions(commonPingOptions(options), LIBRARY_DEFAULTS, flagName);
    return options;
  } catch (error) {
    if (error instanceof OptionError) throw new UsageError(error.message);
    throw error;
  }
}

// yargs' own messages, in the words of a ping user.
function rewordYargs(message: string): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(message);
  if (unknown !== null) {
    const names = (unknown[1] ?? '').split(', ').map((n) => (n.length === 1 ? `-${n}` : `--${n}`));
    return `unknown option ${names.join(', ')} (see rawping -h)`;
  }
  const missing = /^Not enough arguments following: (.*)$/.exec(message);
  if (missing !== null) {
    const n = missing[1] ?? '';
    return `option ${n.length === 1 ? `-${n}` : `--${n}`} needs a value (see rawping -h)`;
  }
  return message;
}
