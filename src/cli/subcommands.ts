// The subcommands: `rawping <name> ...`. A word that is not one of them is a target, and
// `rawping -- <name>` pings a host of that name whatever it is.
import type { Command } from './command.js';
import { completionCommands } from './completion.js';
import { exporterCommand } from './exporter/exporter-command.js';
import { traceCommand } from './trace/trace-command.js';

/** Every subcommand, by the word that selects it. */
export const SUBCOMMANDS: ReadonlyMap<string, Command> = new Map<string, Command>([
  [traceCommand.name, traceCommand],
  [exporterCommand.name, exporterCommand],
  ...completionCommands(() => SUBCOMMANDS).map((c) => [c.name, c] as const),
]);

/** The subcommand `argv` selects (its first word), with the arguments after that word; null for the default command. */
export function pickSubcommand(argv: readonly string[]): { command: Command; argv: readonly string[] } | null {
  const first = argv[0];
  const command = first === undefined ? undefined : SUBCOMMANDS.get(first);
  return command === undefined ? null : { command, argv: argv.slice(1) };
}
