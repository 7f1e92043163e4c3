// rawping(1) is made from the option table: every row of every mode is in it, a row or a
// subcommand added later is in it without anyone touching the generator, and text that roff
// would read as a request is escaped.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EXIT_STATUSES } from '../../src/options/exit-status.js';
import { manPage } from '../../src/options/man-page.js';
import { meaningText } from '../../src/options/option-docs.js';
import { OPTION_TABLE, type OptionRow } from '../../src/options/option-table.js';

const ROWS = OPTION_TABLE as readonly OptionRow[];
const CLI_ROWS = ROWS.filter((row) => row.modes.length > 0);
/** A flag as the page spells it: bold, dashes as minus signs. */
const roffFlag = (flag: string): string => `\\fB${flag.replace(/-/g, '\\-')}\\fR`;

describe('the man page', () => {
  const page = manPage({ version: '9.8.7', subcommands: [{ name: 'completion', summary: 'print a script' }], bugs: 'https://example.invalid/issues' });
  const plain = page
    .replace(/\\f[BIR]/g, '')
    .replace(/\\-/g, '-')
    .replace(/\\&/g, '')
    .replace(/\\e/g, '\\');

  test('has every option of the command line, with its help text, and no library-only option', () => {
    for (const row of CLI_ROWS) {
      if (row.short !== undefined) assert.ok(page.includes(roffFlag(`-${row.short}`)), `-${row.short}`);
      if (row.long !== undefined) assert.ok(page.includes(roffFlag(`--${row.long}`)), `--${row.long}`);
      // The help as a reader sees it: fonts dropped, placeholders without their brackets.
      assert.ok(
        plain.includes(
          meaningText(row)
            .replace(/<([a-z|.-]+)>/g, '$1')
            .replace(/`/g, ''),
        ),
        `the help of ${row.key}`,
      );
    }
    for (const row of ROWS.filter((r) => r.modes.length === 0)) assert.equal(page.includes(row.help), false, `${row.key} is the library's only`);
  });

  test('has the exit statuses, the privilege section, the version and where to report bugs', () => {
    assert.match(page, /^\.SH "EXIT STATUS"$/m);
    for (const r of EXIT_STATUSES) assert.match(page, new RegExp(`^\\.TP\\n\\.B ${r.status}\\n`, 'm'));
    assert.match(page, /^\.SH PRIVILEGES$/m);
    assert.match(page, /^\.TH RAWPING 1 "" "rawping 9\.8\.7" "User Commands"$/m);
    assert.match(page, /^Report them at https:\/\/example\.invalid\/issues\.$/m);
    assert.match(page, /\\fBrawping completion\\fR\nprint a script/);
  });

  test("takes whatever rows and subcommands exist: a new mode's rows under its subcommand", () => {
    const extra: OptionRow = {
      key: 'maxHops',
      short: 'm',
      long: 'max-hops',
      arg: '<n>',
      value: { kind: 'number', unit: 'hops', min: 1, max: 255, integer: true },
      modes: ['trace' as never],
      library: true,
      defaults: {},
      help: '.hops to try at most',
    };
    const more = manPage({ version: '1.0.0', rows: [...ROWS, extra], subcommands: [{ name: 'trace', summary: 'the path, hop by hop' }] });
    assert.match(more, /^\.SS "rawping trace"\nthe path, hop by hop$/m);
    assert.ok(more.includes(`${roffFlag('-m')}, ${roffFlag('--max-hops')} \\fIn\\fR\n\\&.hops to try at most`), 'the row, its leading dot escaped');
    assert.match(more, /^\.B rawping trace$/m, 'in the synopsis');
  });

  test('takes other exit statuses', () => {
    const more = manPage({ version: '1.0.0', subcommands: [], exitStatuses: [...EXIT_STATUSES, { status: 3, one: 'a new reason', many: 'the same' }] });
    assert.match(more, /^\.B 3\nOne target: a new reason\.$/m);
  });
});
