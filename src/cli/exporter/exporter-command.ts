// `rawping exporter`: the command line read by the option table's exporter rows. The parse
// reads argv only (the config file is read after the privilege drop, like every file); the
// daemon itself, with its metrics library and YAML parser, is loaded only when it runs, so
// `rawping -c 1` pays nothing for it.
import { helpLines } from '../../options/option-docs.js';
import type { Command, ParsedCommand } from '../command.js';
import { version } from '../default-command.js';
import { readCommandLine, rowsOfModes, type RowsOf, type ValuesOf } from '../read-command-line.js';
import { UsageError } from '../usage-error.js';
import { DEFAULT_BUCKETS, parseBuckets } from './exposition.js';
import { hostProblem } from './host-name.js';
import { parseListen } from './listen-address.js';

const ROWS = rowsOfModes(['exporter']);

/** The exporter's command line, read and checked. Times are milliseconds. */
export interface ExporterOptions {
  /** Where to serve the metrics. */
  listen: string;
  /** The config file, if any. */
  config: string | null;
  /** The user to become (root only), if any. */
  user: string | null;
  logFormat: 'logfmt' | 'json';
  /** Histogram bounds, seconds. */
  buckets: number[];
  /** Gap between two lookups of the names, ms; 0 for never (a dns_refresh in the file wins). */
  dnsRefreshMs: number;
  /** Hosts given on the command line, probed with the settings below. */
  hosts: string[];
  intervalMs: number;
  size: number;
  network: 'ip' | 'ip4' | 'ip6';
  mode: 'auto' | 'raw' | 'dgram';
  /** The version text for logs and rawping_build_info. */
  version: string;
}

/** The help of `rawping exporter -h`. */
export function exporterHelp(): string {
  return [
    '',
    'Usage',
    '  rawping exporter [options] [host...]',
    '',
    "Pings hosts for ever and serves the results as Prometheus metrics (smokeping_prober's",
    'names and labels). Hosts come from --config (re-read on SIGHUP and POST /-/reload) and',
    'from the command line.',
    '',
    'Options (times in seconds):',
    ...helpLines('exporter'),
    '',
    'Endpoints: /metrics, /-/healthy, /-/ready, POST /-/reload. Exit status: 0 after SIGTERM',
    'or SIGINT, 2 when it cannot start (bad options or config, no socket, address in use).',
    '',
  ].join('\n');
}

/** Reads the exporter's argv (after the word `exporter`). Throws UsageError. */
export function parseExporterArgs(argv: readonly string[]): ExporterOptions & { help: boolean; showVersion: boolean } {
  const { values, operands } = readCommandLine(argv, ROWS, 'rawping exporter -h');
  const v = values as ValuesOf<RowsOf<'exporter'>>;
  if (v.ipv4 && v.ipv6) throw new UsageError('only one -4 or -6 option may be specified');
  const listen = v.listen ?? ':9374';
  try {
    parseListen(listen);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let buckets = [...DEFAULT_BUCKETS];
  if (v.buckets !== undefined) {
    try {
      buckets = parseBuckets(v.buckets);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  for (const host of operands) {
    const problem = hostProblem(host);
    if (problem !== null) throw new UsageError(`invalid target: ${problem}`);
  }
  if (v.config !== undefined && v.config.length === 0) throw new UsageError('invalid --config: an empty path');
  return {
    help: v.help,
    showVersion: v.version,
    listen,
    config: v.config ?? null,
    user: v.user ?? null,
    logFormat: v.logFormat ?? 'logfmt',
    buckets,
    dnsRefreshMs: v.dnsRefreshMs ?? 60_000,
    hosts: operands,
    intervalMs: v.intervalMs ?? 1000,
    size: v.size ?? 56,
    network: v.ipv4 ? 'ip4' : v.ipv6 ? 'ip6' : 'ip',
    mode: v.mode ?? 'auto',
    version: version(),
  };
}

/** The `rawping exporter` subcommand. */
export const exporterCommand: Command = {
  name: 'exporter',
  summary: "ping hosts for ever and serve Prometheus metrics, with smokeping_prober's names and labels",
  parse(argv): ParsedCommand {
    const options = parseExporterArgs(argv);
    const idle = options.help || options.showVersion;
    if (!idle && options.hosts.length === 0 && options.config === null) {
      throw new UsageError('exporter: no targets: give hosts, or a --config file with targets (see rawping exporter -h)');
    }
    return {
      // Both families with the default settings; groups with their own tos or source get theirs after the drop (socket-pool.ts).
      sockets: idle ? null : { spec: { mode: options.mode }, families: [4, 6] },
      ...(options.user !== null ? { user: options.user } : {}),
      // The exporter's interval is the operator's choice: ping's limits for users do not apply.
      checkLimits: () => null,
      async run(sockets, out, signals) {
        if (options.help) {
          out.out(exporterHelp());
          return 0;
        }
        if (options.showVersion) {
          out.line(`rawping ${options.version}`);
          return 0;
        }
        if (sockets === null) throw new UsageError('rawping exporter: no sockets');
        const { runExporter } = await import('./run-exporter.js');
        return runExporter(options, sockets, out, signals);
      },
    };
  },
};
