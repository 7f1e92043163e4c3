// `rawping trace <destination>`: parse argv, ask for the one family's socket (both when the
// destination is a name), and run after the privilege drop.
import { validateTraceOptions } from '../../options/validate-trace-options.js';
import { ipVersion } from '../../packet/address.js';
import type { Command, ParsedCommand } from '../command.js';
import { flagName } from '../read-command-line.js';
import { UsageError } from '../usage-error.js';
import { parseTraceArgs, traceOptionsOf, type TraceCliOptions } from './parse-trace-args.js';
import { traceHelpText } from './trace-help.js';
import { runTraceCli } from './trace-run.js';

/** The families to open: the destination's when it is an address, else -4/-6's, else both. */
function familiesFor(options: TraceCliOptions): (4 | 6)[] {
  if (options.family !== 0) return [options.family];
  const version = options.target === undefined ? 0 : ipVersion(options.target);
  return version === 0 ? [4, 6] : [version];
}

/** The trace command. */
export const traceCommand: Command = {
  name: 'trace',
  parse(argv): ParsedCommand {
    const options = parseTraceArgs(argv);
    const traces = !options.help && options.target !== undefined;
    return {
      sockets: traces ? { spec: validateTraceOptions(traceOptionsOf(options), flagName).socket, families: familiesFor(options) } : null,
      // ping's limits for users concern its flood and preload; a trace has neither.
      checkLimits: () => null,
      async run(sockets, out, signals) {
        if (options.help) {
          out.out(traceHelpText());
          return 0;
        }
        if (sockets === null) throw new UsageError('usage error: Destination address required (see rawping trace -h)');
        return runTraceCli(options, sockets, out, signals);
      },
    };
  },
};
