// rawping without a subcommand: one target as iputils ping, or many as fping; -h and -V.
import { createRequire } from 'node:module';
import { validateOptions } from '../options/validate-options.js';
import { ipVersion } from '../packet/address.js';
import type { Command, ParsedCommand } from './command.js';
import { commonPingOptions } from './common-options.js';
import { helpText } from './help-text.js';
import { flagName, parseArgs, type CliOptions } from './parse-args.js';
import { pingTarget } from './ping/ping-target.js';
import { runSweep } from './sweep/run-sweep.js';
import { UsageError } from './usage-error.js';
import { checkUserLimits } from './user-limits.js';

/** The version of the rawping package, from its package.json. */
export function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}

/** The families to open: those of the targets when all are literals, else both. */
function familiesFor(options: CliOptions): (4 | 6)[] {
  if (options.family !== 0) return [options.family];
  if (options.range === undefined && options.file === undefined && options.targets.length > 0) {
    const versions = options.targets.map((t) => ipVersion(t));
    if (versions.every((v) => v !== 0)) return [...new Set(versions)].sort();
  }
  return [4, 6];
}

/** The default command. */
export const defaultCommand: Command = {
  name: '',
  parse(argv): ParsedCommand {
    const options = parseArgs(argv);
    const pings = !options.help && !options.version && (options.targets.length > 0 || options.range !== undefined || options.file !== undefined);
    return {
      // The settings every run will ask for, so the set opened now is the one they find.
      sockets: pings
        ? { spec: validateOptions(commonPingOptions(options), { kind: options.runMode, name: flagName }).socket, families: familiesFor(options) }
        : null,
      checkLimits: (privileged) => checkUserLimits(options, privileged),
      async run(sockets, out, signals) {
        if (options.help) {
          out.out(helpText());
          return 0;
        }
        if (options.version) {
          out.line(`rawping ${version()}`);
          return 0;
        }
        // Word for word as ping (iputils' own test suite compares it): rawping -h has the rest.
        if (sockets === null) throw new UsageError('usage error: Destination address required');
        if (options.verbose && !options.json) {
          for (const s of sockets.opened) out.err(`rawping: IPv${s.family} socket: ${s.kind}, identifier ${s.identifier}\n`);
        }
        if (options.runMode === 'sweep') return runSweep(options, sockets, out, signals);
        return pingTarget(options, sockets, out, signals);
      },
    };
  },
};
