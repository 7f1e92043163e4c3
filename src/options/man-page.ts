// The man page rawping(1), as roff text, from the option table (every row of every mode), the
// exit statuses and the subcommands: scripts/man-page.mjs writes it to dist/man/rawping.1 at
// build time, and package.json's `man` field installs it. Pure text.
import { EXIT_STATUSES, type ExitStatusRow } from './exit-status.js';
import { meaningText } from './option-docs.js';
import { OPTION_TABLE, type OptionRow } from './option-table.js';

/** What the page is made from besides the table. */
export interface ManPageInput {
  /** The package's version, e.g. '0.1.0'. */
  version: string;
  /** The subcommands (`rawping <name> ...`) with their one-line summaries. */
  subcommands: readonly { name: string; summary?: string | undefined }[];
  /** Where to report bugs (package.json's bugs.url). */
  bugs?: string | undefined;
  /** The rows, in table order; default the option table. */
  rows?: readonly OptionRow[];
  /** The exit statuses; default src/options/exit-status.ts. */
  exitStatuses?: readonly ExitStatusRow[];
}

/** Text made safe for roff: backslashes, and a dot or quote that would start a request. */
function esc(text: string): string {
  return text.replace(/\\/g, '\\e').replace(/^([.'])/gm, '\\&$1');
}

/** A flag or other code: bold, its dashes as minus signs (so they copy and search as typed). */
function code(text: string): string {
  return `\\fB${esc(text).replace(/-/g, '\\-')}\\fR`;
}

/** Prose where `backticks` mark code and <angle brackets> a placeholder. */
function prose(text: string): string {
  return text
    .split(/(`[^`]*`|<[a-z|.-]+>)/)
    .map((part) => {
      if (part.startsWith('`') && part.endsWith('`') && part.length > 1) return code(part.slice(1, -1));
      if (/^<[a-z|.-]+>$/.test(part)) return `\\fI${esc(part.slice(1, -1))}\\fR`;
      return esc(part);
    })
    .join('');
}

/** An option's heading line: `-c, --count n`, flags bold, the value italic. */
function flagsLine(row: OptionRow): string {
  const names = [row.short !== undefined ? code(`-${row.short}`) : null, row.long !== undefined ? code(`--${row.long}`) : null].filter((n) => n !== null);
  const value = row.arg !== undefined ? ` \\fI${esc(row.arg.replace(/^<|>$/g, ''))}\\fR` : '';
  return `${names.join(', ')}${value}`;
}

function optionItems(rows: readonly OptionRow[]): string[] {
  return rows.flatMap((row) => ['.TP', flagsLine(row), prose(meaningText(row))]);
}

/** The modes of the table that are neither ping's nor the many-target one: each a subcommand's. */
function otherModes(rows: readonly OptionRow[]): string[] {
  const modes: string[] = [];
  for (const row of rows) for (const m of row.modes) if (m !== 'ping' && m !== 'sweep' && !modes.includes(m)) modes.push(m);
  return modes;
}

const PRIVILEGES = [
  'An ICMP socket needs one of these, from most to least contained:',
  '.IP \\(bu 2',
  'ICMP datagram sockets, for a user whose group is inside the sysctl `net.ipv4.ping_group_range` (it covers IPv6 too); no privilege at all. rawping picks them by itself when raw sockets are not permitted (`--mode auto`).',
  '.IP \\(bu 2',
  'CAP_NET_RAW in a container (`docker run --cap-drop=ALL --cap-add=NET_RAW`) or as an ambient capability of a service (systemd `AmbientCapabilities=CAP_NET_RAW`).',
  '.IP \\(bu 2',
  '`sudo rawping ...`, for one command run by a person.',
  '.IP \\(bu 2',
  '`setcap cap_net_raw+ep` on the node binary: the last resort, since every script that binary runs gets the capability.',
  '.PP',
  'Without any of these rawping says so in one line, with the current `ping_group_range` and your groups, and exits with status 2.',
  '.PP',
  "rawping opens its sockets first and gives the privilege up before it resolves a name, reads a file, prints or parses a packet. Under sudo it becomes the invoking user (`SUDO_UID`, `SUDO_GID`): the user's supplementary groups as sudo gives them, then the group, then the user, verified, including that root cannot be regained; it refuses to go on if any step fails. A process holding capabilities without being root restarts itself once its sockets are open, so that no thread keeps them. As root without sudo it clears its capabilities and sets no_new_privs. A setuid or setgid node (real and effective ids that differ) is refused before anything runs.",
];

/** The page, in roff (man macros). */
export function manPage(input: ManPageInput): string {
  const rows: readonly OptionRow[] = input.rows ?? OPTION_TABLE;
  const statuses = input.exitStatuses ?? EXIT_STATUSES;
  const subcommands = input.subcommands.filter((s) => !s.name.startsWith('-'));
  const modeOf = (name: string): OptionRow[] => rows.filter((row) => (row.modes as readonly string[]).includes(name));
  const lines = [
    `.TH RAWPING 1 "" "rawping ${esc(input.version)}" "User Commands"`,
    // No hyphenation, ragged right: flags and paths stay whole.
    '.nh',
    '.ad l',
    '.SH NAME',
    'rawping \\- ICMP ping for Node.js: iputils ping for one target, fping for many',
    '.SH SYNOPSIS',
    `.B rawping\n[\\fIoptions\\fR] \\fIdestination\\fR`,
    '.br',
    `.B rawping\n[\\fIoptions\\fR] \\fIdestination\\fR \\fIdestination\\fR ...`,
    '.br',
    `.B rawping\n[\\fIoptions\\fR] ${code('--generate')} \\fIcidr\\fR | \\fIstart end\\fR`,
    ...subcommands.flatMap((s) => ['.br', `.B rawping ${esc(s.name)}\n\\fI...\\fR`]),
    '.SH DESCRIPTION',
    prose(
      'rawping sends ICMP and ICMPv6 echo requests and reports the replies. With one target it behaves like iputils `ping`: the same options, the same output in the C locale, the same exit statuses. With several targets, a range (`--generate`) or a file (`--file`) it behaves like `fping`: one line per target as it finishes and a table at the end, over one socket per address family. `--json` writes NDJSON events instead of text (their schema ships with the package: docs/json.md, docs/events.schema.json).',
    ),
    '.PP',
    prose('Times on the command line are in seconds. Bad input gets one line `rawping: <what is wrong>` on standard error and status 2, never a stack trace.'),
    '.SH OPTIONS',
    ...optionItems(rows.filter((row) => row.selectsSweep !== true && (row.modes.includes('ping') || row.modes.includes('sweep')))),
    '.SS "Many targets"',
    prose('Each of these selects the many-target mode, even for one target:'),
    ...optionItems(rows.filter((row) => row.selectsSweep === true)),
  ];
  for (const mode of otherModes(rows)) {
    const summary = subcommands.find((s) => s.name === mode)?.summary;
    lines.push(`.SS "rawping ${esc(mode)}"`, ...(summary !== undefined ? [prose(summary)] : []), ...optionItems(modeOf(mode)));
  }
  const described = subcommands.filter((s) => !otherModes(rows).includes(s.name));
  if (described.length > 0) {
    lines.push('.SH SUBCOMMANDS', prose('A first word that names one of these runs it; `rawping -- <name>` pings a host of that name instead.'));
    for (const s of described) lines.push('.TP', code(`rawping ${s.name}`), prose(s.summary ?? ''));
  }
  lines.push(
    '.SH "EXIT STATUS"',
    ...statuses.flatMap((r) => ['.TP', `.B ${r.status}`, prose(`One target: ${r.one}.`), '.br', prose(`Many targets: ${r.many}.`)]),
    '.SH PRIVILEGES',
    ...PRIVILEGES.map((line) => (line.startsWith('.') ? line : prose(line))),
    '.SH ENVIRONMENT',
    '.TP',
    code('SUDO_UID') + ', ' + code('SUDO_GID'),
    prose('Read when rawping runs as root: the user and group it becomes after opening its sockets.'),
    '.TP',
    code('RAWPING_ADDON'),
    prose(
      "A test seam: the path of another build of the native addon (the sanitizer build, a benchmark stand-in). Only a process that holds no privilege (not root, no capability, real and effective ids equal) reads it; every other process loads the package's own addon.",
    ),
    '.SH "SEE ALSO"',
    '.BR ping (8),',
    '.BR fping (8)',
  );
  if (input.bugs !== undefined) lines.push('.SH BUGS', `Report them at ${esc(input.bugs)}.`);
  return `${lines.join('\n')}\n`;
}
