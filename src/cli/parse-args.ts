// argv -> CliOptions for the default command: one target as ping, many as fping. The table
// reads the values (read-command-line.ts); this decides the mode and refuses the options that
// do not apply to it.
import { OptionError } from '../errors.js';
import { flagOf, type CliMode, type OptionKey } from '../options/option-table.js';
import { validateOptions } from '../options/validate-options.js';
import { ipVersion, isMulticast } from '../packet/address.js';
import type { SocketMode } from '../os/socket-like.js';
import { interfaceIndex } from '../os/interface-index.js';
import { commonPingOptions } from './common-options.js';
import { flagName, readCommandLine, rowsOfModes, type RowsOf, type ValuesOf } from './read-command-line.js';
import { UsageError } from './usage-error.js';

export { flagName } from './read-command-line.js';

/** Every option of the default command: flags as booleans, values (when given) in library units. */
export type CliValues = ValuesOf<RowsOf<'ping'> | RowsOf<'sweep'>>;

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
  /** The %scope of the target, as written (fe80::1%eth0: eth0). */
  scopeName?: string;
  /** -T tsprespec: the hosts named before the target, whose timestamps are asked for. */
  timestampHops?: string[];
};

const DEFAULT_ROWS = rowsOfModes(['ping', 'sweep']);

/**
 * Parses argv (without node and the script path). Throws UsageError for unknown options,
 * missing values, options the run's mode does not take, and every bad value (each naming the
 * flag and its allowed range).
 */
export function parseArgs(argv: readonly string[]): CliOptions {
  const { values, given, spelled: found, operands } = readCommandLine(argv, DEFAULT_ROWS);
  try {
    const flag = (key: OptionKey): boolean => values[key] === true;
    if (flag('ipv4') && flag('ipv6')) throw new UsageError('only one -4 or -6 option may be specified');
    if (flag('alive') && flag('unreachable')) throw new UsageError('only one of --alive and --unreachable may be given');
    if (values.nodeInfo !== undefined) {
      throw new UsageError(
        `${found.get('nodeInfo') ?? '-N'}: IPv6 node information queries (RFC 4620) are not supported: Linux does not answer them (see README, "Where rawping differs")`,
      );
    }
    // ping -T tsprespec host... target: the hosts before the target are the option's, not targets.
    const prespec = values.ipTimestamp === 'tsprespec' && operands.length > 1 ? operands.splice(0, operands.length - 1) : undefined;
    if (prespec !== undefined && prespec.some((hop) => ipVersion(hop) !== 4)) {
      throw new UsageError('-T tsprespec: the hosts before the target must be IPv4 addresses');
    }
    const sweep = operands.length > 1 || given.some((row) => row.selectsSweep === true);
    const runMode: CliMode = sweep ? 'sweep' : 'ping';
    if (!flag('help') && !flag('version')) {
      for (const row of given) {
        if (row.modes.includes(runMode)) continue;
        const spelled = found.get(row.key) ?? flagOf(row);
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
    if (prespec !== undefined) options.timestampHops = prespec;
    // ping -e 0: "ident 0 => forcing raw socket" (a datagram socket's identifier is its port, never 0).
    if (options.identifier === 0) {
      if (options.mode === 'dgram') throw new UsageError('-e 0 needs a raw socket (a datagram socket cannot have identifier 0)');
      options.mode = 'raw';
    }
    if (flag('generate')) options.range = options.targets.splice(0);
    // fe80::1%eth0 or ff02::1%eth0 names the interface to send through. A multicast target's
    // socket binds to it (a group is joined per interface); a unicast one only carries the
    // scope in each send, as ping does (binding would also refuse a link without a route).
    const scoped = options.targets.length === 1 ? /^([0-9a-fA-F:.]+)%([A-Za-z_][\w.-]{0,14})$/.exec(options.targets[0] as string) : null;
    if (scoped !== null && options.interface === undefined && options.source === undefined && ipVersion(scoped[1] as string) === 6) {
      // Any interface by name, whether or not it has an address (if_nametoindex); an unknown one
      // is refused as getaddrinfo refuses it in ping, before a socket is bound to it.
      if (interfaceIndex(scoped[2] as string) === 0) throw new UsageError(`${options.targets[0] as string}: Name or service not known`);
      options.scopeName = scoped[2];
      if (isMulticast(scoped[1] as string)) {
        options.interface = scoped[2];
        options.interfaceFromScope = true;
      }
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
