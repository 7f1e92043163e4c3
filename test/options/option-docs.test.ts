// The option table is the one place an option is described: -h and the README are made from
// it, and these tests fail when either drifts from it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { exporterHelp } from '../../src/cli/exporter/exporter-command.js';
import { helpText } from '../../src/cli/help-text.js';
import { traceHelpText } from '../../src/cli/trace/trace-help.js';
import { defaultText, flagsText, helpLines, markdownTable, sectionRows, withOptionTables } from '../../src/options/option-docs.js';
import { OPTION_TABLE, optionRow, type CliMode, type OptionRow } from '../../src/options/option-table.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const CLI_ROWS = (OPTION_TABLE as readonly OptionRow[]).filter((row) => row.modes.length > 0);
const rowsOf = (...modes: CliMode[]): OptionRow[] => CLI_ROWS.filter((row) => row.modes.some((m) => modes.includes(m)));

describe('the README states what the option table says', () => {
  test('its option tables are the ones made from the table (npm run docs rewrites them)', () => {
    assert.equal(withOptionTables(README), README, 'README.md option tables differ from src/options/option-table.ts: run npm run docs');
  });

  test('every command-line option has a row, under its own flags', () => {
    for (const row of CLI_ROWS) assert.ok(README.includes(`| \`${flagsText(row).replace(/\|/g, '\\|')}\` |`), flagsText(row));
  });

  test('a changed default shows up as a difference', () => {
    const rows = sectionRows('sweep');
    const retries = rows.find((r) => r.key === 'retries') as OptionRow;
    const table = markdownTable('sweep');
    assert.match(table, /--retries <n>.*\(default 2\)/);
    assert.notEqual(table.replace('(default 2)', '(default 0)'), table, 'the default is in the text the README must match');
    assert.equal(defaultText(retries), 'default 2');
  });
});

describe('-h is made from the table', () => {
  const help = helpText();
  test('every option of ping and of many targets is listed once, with its flags; rawping trace -h lists its own', () => {
    for (const [text, rows] of [
      [help, rowsOf('ping', 'sweep')],
      [traceHelpText(), rowsOf('trace')],
    ] as const) {
      for (const row of rows) {
        const flags = flagsText(row);
        assert.equal(text.split('\n').filter((line) => line.trimStart().startsWith(flags)).length, 1, flags);
      }
    }
    assert.ok(!help.includes('--max-hops'), "trace's options are not ping's");
  });

  test("rawping trace -h states the trace's defaults: -c 10, -i 1, -m 30, -W 1", () => {
    const text = traceHelpText().replace(/\n {22}/g, ' ');
    assert.match(text, /-c, --count <n> .*\(default 10\)/);
    assert.match(text, /-i, --interval <s> .*\(default 1\)/);
    assert.match(text, /-m, --max-hops <n> .*\(default 30\)/);
    assert.match(text, /-W, --timeout <s> .*\(default 1\)/);
    assert.match(text, /-s, --size <bytes> .*\(default 56\)/);
  });

  test('every exporter option is listed once in rawping exporter -h, and rawping -h names the subcommand', () => {
    for (const row of CLI_ROWS.filter((r) => r.modes.includes('exporter'))) {
      const flags = flagsText(row);
      assert.equal(
        exporterHelp()
          .split('\n')
          .filter((line) => line.trimStart().startsWith(flags)).length,
        1,
        flags,
      );
    }
    assert.match(help, /rawping exporter -h/, 'the main help names the subcommand');
  });

  test('the defaults are the real ones: --retries 2, -W 10 for one target and 1 for many, -s 56', () => {
    const text = help.replace(/\n {22}/g, ' ');
    assert.match(text, /--retries <n> .*\(default 2\)/);
    assert.match(text, /-W, --timeout <s> .*\(default 10; 1 with many targets\)/);
    assert.match(text, /-s, --size <bytes> .*\(default 56\)/);
    assert.match(text, /-l, --preload <n> .*at most 3 without privilege/);
    assert.equal(optionRow('retries').defaults?.sweep, 2);
  });

  test('no line is wider than 92 columns', () => {
    for (const line of [...helpLines('ping'), ...helpLines('sweep'), ...traceHelpText().split('\n'), ...exporterHelp().split('\n')])
      assert.ok(line.length <= 92, line);
  });
});

describe('the table itself', () => {
  test('keys are unique; short and long flags are unique within each command line (ping and many targets share one)', () => {
    const keys = (OPTION_TABLE as readonly OptionRow[]).map((r) => r.key);
    assert.equal(new Set(keys).size, keys.length, 'key');
    for (const rows of [rowsOf('ping', 'sweep'), rowsOf('trace')]) {
      for (const field of ['short', 'long'] as const) {
        const seen = rows.map((r) => r[field]).filter((v) => v !== undefined);
        assert.equal(new Set(seen).size, seen.length, field);
      }
    }
  });

  test('a default is inside its option range', () => {
    for (const row of OPTION_TABLE as readonly OptionRow[]) {
      if (row.value.kind !== 'number') continue;
      for (const [kind, value] of Object.entries(row.defaults ?? {})) {
        if (value === Infinity && row.value.infinity === true) continue;
        assert.ok(typeof value === 'number' && value >= row.value.min && value <= row.value.max, `${row.key} for ${kind}: ${String(value)}`);
      }
    }
  });
});
