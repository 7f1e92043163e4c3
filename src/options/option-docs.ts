// The option table as people read it: the lines of `rawping -h`, the rows of the README's option
// tables (a test checks the README against these) and, later, the man page. Pure text.
import { EXIT_STATUSES } from './exit-status.js';
import { OPTION_TABLE, type CliMode, type OptionRow } from './option-table.js';

/** The rows shown for one command-line mode's section: ping's options, the many-target ones, or `rawping trace`'s. */
export function sectionRows(section: CliMode): OptionRow[] {
  const rows = OPTION_TABLE as readonly OptionRow[];
  if (section === 'sweep') return rows.filter((row) => row.selectsSweep === true);
  // trace's own options first, then those it shares with ping.
  if (section === 'trace')
    return [
      ...rows.filter((row) => row.modes.length === 1 && row.modes[0] === 'trace'),
      ...rows.filter((row) => row.modes.length > 1 && row.modes.includes('trace')),
    ];
  if (section === 'exporter') return rows.filter((row) => row.modes.includes('exporter'));
  return rows.filter((row) => row.modes.includes('ping') && row.selectsSweep !== true);
}

/** `-c, --count <n>` (or `--rate <pps>`): the flags and the value's placeholder. */
export function flagsText(row: OptionRow): string {
  const names = [row.short !== undefined ? `-${row.short}` : null, row.long !== undefined ? `--${row.long}` : null].filter((n) => n !== null);
  return `${names.join(', ')}${row.arg !== undefined ? ` ${row.arg}` : ''}`;
}

/** A default in the command line's units: seconds for the millisecond options it takes in seconds. */
function cliValue(row: OptionRow, value: number | string | boolean): string {
  if (value === Infinity) return row.infinityText ?? 'no limit';
  if (typeof value === 'number' && row.value.kind === 'number' && row.value.cliSeconds === true) return String(value / 1000);
  return String(value);
}

/**
 * What the help and the README add after an option's text: its default(s) on the command line
 * and ping's limit for users, e.g. "default 10; 1 with many targets" or "at most 3 without
 * privilege". Empty when there is nothing to say. In the trace section: trace's default.
 */
export function defaultText(row: OptionRow, section: CliMode = 'ping'): string {
  const shown = (value: number | string | boolean): string => (value === Infinity ? `default: ${cliValue(row, value)}` : `default ${cliValue(row, value)}`);
  if (section === 'trace') {
    const value = row.defaults?.trace;
    return value === undefined || value === false ? '' : shown(value);
  }
  const parts: string[] = [];
  const one = row.modes.includes('ping') ? row.defaults?.ping : undefined;
  const many = row.modes.includes('sweep') ? row.defaults?.sweep : undefined;
  // An option of the exporter only: its default there.
  const own = one === undefined && many === undefined && row.modes.includes('exporter') ? row.defaults?.exporter : undefined;
  if (one !== undefined && one !== false) {
    parts.push(shown(one));
    if (many !== undefined && many !== one) parts.push(`${cliValue(row, many)} with many targets`);
  } else if (many !== undefined && many !== false) {
    parts.push(shown(many));
  } else if (own !== undefined && own !== false) {
    parts.push(shown(own));
  }
  if (row.user?.min !== undefined) parts.push(`at least ${cliValue(row, row.user.min)} without privilege`);
  if (row.user?.max !== undefined) parts.push(`at most ${cliValue(row, row.user.max)} without privilege`);
  return parts.join('; ');
}

/** An option's text with its default: what `-h` and the README say about it (in `section`'s terms). */
export function meaningText(row: OptionRow, section: CliMode = 'ping'): string {
  const extra = defaultText(row, section);
  return extra.length > 0 ? `${row.help} (${extra})` : row.help;
}

/** Words of `text` in lines of at most `width` columns. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line.length > 0 ? `${line} ${word}` : word;
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

const FLAG_COLUMN = 22;
const HELP_WIDTH = 92;

/** The help lines of one section: flags in a column, the text wrapped beside them. */
export function helpLines(section: CliMode): string[] {
  const out: string[] = [];
  for (const row of sectionRows(section)) {
    const flags = `  ${row.short === undefined ? '    ' : ''}${flagsText(row)}`;
    const text = wrap(meaningText(row, section), HELP_WIDTH - FLAG_COLUMN);
    if (flags.length + 1 > FLAG_COLUMN) out.push(flags);
    else out.push(`${flags.padEnd(FLAG_COLUMN)}${text.shift() ?? ''}`);
    for (const rest of text) out.push(`${' '.repeat(FLAG_COLUMN)}${rest}`);
  }
  return out;
}

/**
 * The README's option table of one section, in Markdown: the option, its meaning, and the flag
 * its peers know it by (ping's and fping's; for trace, mtr's and traceroute's).
 */
export function markdownTable(section: CliMode): string {
  const code = (text: string | undefined): string => (text === undefined ? '' : `\`${text.replace(/\|/g, '\\|')}\``);
  const prose = (text: string): string => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const peers = section === 'trace' ? (['mtr', 'traceroute'] as const) : (['ping', 'fping'] as const);
  const rows = sectionRows(section).map(
    (row) => `| ${code(flagsText(row))} | ${prose(meaningText(row, section))} | ${code(row.peers?.[peers[0]])} | ${code(row.peers?.[peers[1]])} |`,
  );
  return [`| option | meaning | ${peers[0]} | ${peers[1]} |`, '|---|---|---|---|', ...rows].join('\n');
}

/** fping's flag for its sorting: by letter, lower case before upper case, as fping -h lists them. */
function fpingOrder(flag: string): string {
  const letter = flag.replace(/^-/, '').slice(0, 1);
  return `${letter.toLowerCase()}${letter === letter.toLowerCase() ? '0' : '1'}${flag}`;
}

/**
 * The README's table for fping users: each fping flag rawping has, sorted as fping lists
 * them, the rawping flag that does the same, and what differs.
 */
export function fpingTable(): string {
  const code = (text: string): string => `\`${text.replace(/\|/g, '\\|')}\``;
  const prose = (text: string): string => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const rows = (OPTION_TABLE as readonly OptionRow[])
    .filter((row) => row.modes.includes('sweep') && row.peers?.fping !== undefined)
    .sort((a, b) => (fpingOrder(a.peers?.fping as string) < fpingOrder(b.peers?.fping as string) ? -1 : 1))
    .map((row) => `| ${code(row.peers?.fping as string)} | ${code(flagsText(row))} | ${prose(row.peers?.fpingNote ?? '')} |`);
  return ['| fping | rawping | what differs |', '|---|---|---|', ...rows].join('\n');
}

/** The tables the README holds: the two option sections, and fping's flags. */
type ReadmeTable = CliMode | 'fping';

/** Where the README holds a table: between these two lines. */
export function readmeMarkers(section: ReadmeTable): [string, string] {
  return [`<!-- options:${section} (made from src/options/option-table.ts by npm run docs) -->`, `<!-- /options:${section} -->`];
}

/** The README's exit status table, in Markdown, from src/options/exit-status.ts. */
export function markdownExitTable(): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  return ['| status | one target | many targets |', '|---|---|---|', ...EXIT_STATUSES.map((r) => `| ${r.status} | ${cell(r.one)} | ${cell(r.many)} |`)].join(
    '\n',
  );
}

/** Where the README holds the exit status table. */
export const EXIT_STATUS_MARKERS: readonly [string, string] = [
  '<!-- exit-status (made from src/options/exit-status.ts by npm run docs) -->',
  '<!-- /exit-status -->',
];

/** `readme` with the option tables and the exit status table between their markers replaced by their current text. */
export function withOptionTables(readme: string): string {
  let text = readme;
  const tables: [string, [string, string], string][] = [
    ...(['ping', 'sweep', 'trace', 'exporter'] as const).map((section): [string, [string, string], string] => [
      `the ${section} options`,
      readmeMarkers(section),
      markdownTable(section),
    ]),
    ['the fping table', readmeMarkers('fping'), fpingTable()],
    ['the exit status table', [...EXIT_STATUS_MARKERS], markdownExitTable()],
  ];
  for (const [what, [begin, end], table] of tables) {
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md lacks the markers of ${what}`);
    text = `${text.slice(0, from + begin.length)}\n${table}\n${text.slice(to)}`;
  }
  return text;
}
