// Shell completion through yargs, configured from the option table: `rawping completion bash`
// (or zsh) prints the script a shell sources; that script calls `rawping
// --get-yargs-completions <words>` at each Tab, and yargs answers with the options (long and
// short), subcommands and choices that fit. Whatever rows and subcommands exist are offered.
// yargs is loaded when one of these commands runs, after the privilege drop: loading it costs
// about 20 ms, which no other command should pay.
import type yargs from 'yargs';
import type { CliMode, OptionRow } from '../options/option-table.js';
import type { Command, ParsedCommand } from './command.js';
import { rowsOfModes } from './read-command-line.js';
import { UsageError } from './usage-error.js';

/** The shells a script is made for. */
export const COMPLETION_SHELLS = ['bash', 'zsh'] as const;
/** A shell a script is made for. */
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** The word the scripts call rawping with to ask for completions (yargs' own). */
export const COMPLETION_REQUEST = '--get-yargs-completions';

// yargs takes the kind of script, and of answer (zsh's carry descriptions), from $SHELL and
// $ZSH_NAME when an instance (or a command's) is made: set them for the call, then put them back.
function asShell<T>(shell: CompletionShell, fn: () => T): T {
  const saved = { SHELL: process.env.SHELL, ZSH_NAME: process.env.ZSH_NAME };
  process.env.SHELL = `/bin/${shell}`;
  delete process.env.ZSH_NAME;
  try {
    return fn();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** yargs (the module's default export). */
type YargsFactory = typeof yargs;
/** A yargs instance, as `yargs()` returns it. */
type Yargs = ReturnType<YargsFactory>;

/**
 * Declares `rows` to `parser`, each under its long name (its key when it has none), with what
 * a shell completion offers: the short flag as an alias, the help text and a choice's values.
 */
function declareRows(parser: Yargs, rows: readonly OptionRow[]): Yargs {
  let declared = parser;
  for (const row of rows) {
    declared = declared.option(row.long ?? row.key, {
      ...(row.value.kind === 'flag' ? ({ type: 'boolean' } as const) : ({ type: 'string', requiresArg: true } as const)),
      // yargs spells a digit as a long option (--4): -4 and -6 are offered as --ipv4 and --ipv6.
      ...(row.short !== undefined && !/^[0-9]$/.test(row.short) ? { alias: row.short } : {}),
      describe: row.help,
      ...(row.value.kind === 'choice' ? { choices: [...row.value.choices] } : {}),
    });
  }
  return declared;
}

/** yargs as the completion sees the command line: the default command's rows, and each subcommand with its own. */
function completionYargs(makeYargs: YargsFactory, commands: ReadonlyMap<string, Command>): Yargs {
  let parser = makeYargs()
    .scriptName('rawping')
    .exitProcess(false)
    .help(false)
    .version(false)
    .completion('completion', commands.get('completion')?.summary ?? false);
  for (const [name, command] of commands) {
    if (name.startsWith('-') || name === 'completion') continue;
    parser = parser.command(name, command.summary ?? '', (y) => declareRows(y, rowsOfModes([name as CliMode])));
  }
  return declareRows(parser, rowsOfModes(['ping', 'sweep']));
}

/** What yargs prints for `args` (its log, caught by the parse callback). */
async function yargsOutput(shell: CompletionShell, commands: ReadonlyMap<string, Command>, args: string[]): Promise<string> {
  const { default: makeYargs } = await import('yargs');
  return asShell(shell, () => {
    let text = '';
    // Synchronous here (no async command or middleware), so the callback has run on return.
    void completionYargs(makeYargs, commands).parse(args, {}, (_error, _argv, output) => {
      text = output;
    });
    return text;
  });
}

/**
 * yargs' answer without what getopt would refuse: after `--`, yargs spells each short alias
 * with two dashes too (`--c`), which is no option of rawping.
 */
function answers(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^--[^-:](?::|$)/.test(line))
    .join('\n');
}

/** A command that prints what `answer` gives, when it runs. */
function printing(answer: () => Promise<string>): ParsedCommand {
  return {
    sockets: null,
    checkLimits: () => null,
    async run(_sockets, out) {
      const text = await answer();
      out.out(text.endsWith('\n') || text === '' ? text : `${text}\n`);
      return 0;
    },
  };
}

/**
 * The two commands completion needs, over the registry `commands` (read when they run, so they
 * see every subcommand): `completion [bash|zsh]`, and the scripts' own request.
 */
export function completionCommands(commands: () => ReadonlyMap<string, Command>): Command[] {
  const script: Command = {
    name: 'completion',
    summary: 'print the shell completion script for bash or zsh (rawping completion bash >> ~/.bashrc)',
    parse(argv) {
      if (argv.length > 1) throw new UsageError('usage: rawping completion [bash|zsh]');
      const asked = argv[0] ?? ((process.env.SHELL ?? '').endsWith('zsh') ? 'zsh' : 'bash');
      const shell = COMPLETION_SHELLS.find((s) => s === asked);
      if (shell === undefined) throw new UsageError(`completion: no script for '${asked.slice(0, 40)}' (bash or zsh)`);
      // yargs names its completion command as `rawping completion`; the script is for this shell.
      return printing(async () => (await yargsOutput(shell, commands(), ['completion'])).replace(/rawping completion >>/g, `rawping completion ${shell} >>`));
    },
  };
  const request: Command = {
    name: COMPLETION_REQUEST,
    parse(argv) {
      // The zsh script passes COMP_CWORD in the environment; bash keeps its own to itself.
      const shell: CompletionShell = process.env.COMP_CWORD !== undefined ? 'zsh' : 'bash';
      return printing(async () => answers(await yargsOutput(shell, commands(), [COMPLETION_REQUEST, ...argv])));
    },
  };
  return [script, request];
}
