// getopt as ping's getopt reads argv, driven by the option table.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getopt } from '../../src/cli/getopt.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { OPTION_TABLE, type OptionRow } from '../../src/options/option-table.js';

// The default command's rows (rawping trace has its own, with some of the same letters).
const ROWS = (OPTION_TABLE as readonly OptionRow[]).filter((r) => r.modes.includes('ping') || r.modes.includes('sweep'));
const read = (...argv: string[]): { values: Record<string, string | true>; operands: string[] } => {
  const r = getopt(argv, ROWS);
  return { values: Object.fromEntries(r.values), operands: r.operands };
};

describe('getopt', () => {
  test('values written onto the flag: -Ilo, -i.5, -pff, -Q0x10, -W.5, -c2', () => {
    assert.deepEqual(read('-Ilo', '-i.5', '-pff', '-Q0x10', '-W.5', '-c2', 'h').values, {
      interface: 'lo',
      interval: '.5',
      pattern: 'ff',
      tos: '0x10',
      timeout: '.5',
      count: '2',
    });
  });

  test('grouped flags, and a value-taking flag ending a group: -qn, -qc3, -qnc 3', () => {
    assert.deepEqual(read('-qn', 'h').values, { quiet: true, numeric: true });
    assert.deepEqual(read('-qc3', 'h').values, { quiet: true, count: '3' });
    assert.deepEqual(read('-qnc', '3', 'h').values, { quiet: true, numeric: true, count: '3' });
  });

  test('the next argument is the value whatever it looks like: -c -1, -I -q', () => {
    assert.deepEqual(read('-c', '-1', 'h').values, { count: '-1' });
    assert.deepEqual(read('-I', '-q', 'h').values, { interface: '-q' });
  });

  test('options anywhere among the operands; -- ends them; - alone is an operand', () => {
    const r = read('a', '-c', '1', 'b', '--', '-q', '--count');
    assert.deepEqual(r.operands, ['a', 'b', '-q', '--count']);
    assert.deepEqual(r.values, { count: '1' });
    assert.deepEqual(read('-').operands, ['-']);
  });

  test('long options: --name value, --name=value, flags', () => {
    assert.deepEqual(read('--count', '3', '--interval=0.5', '--quiet', 'h').values, { count: '3', interval: '0.5', quiet: true });
    assert.deepEqual(read('--file=', 'h').values, { file: '' });
  });

  test('the last value of a repeated option wins', () => {
    assert.deepEqual(read('-c', '1', '-c2', '--count=3', 'h').values, { count: '3' });
  });

  test('unknown options, a missing value, a value given to a flag: UsageError naming them', () => {
    const cases: [string[], RegExp][] = [
      [['-Z'], /unknown option -Z/],
      [['-qZ'], /unknown option -Z/],
      [['--bogus'], /unknown option --bogus/],
      [['-c'], /option -c needs a value/],
      [['-qc'], /option -c needs a value/],
      [['--count'], /option --count needs a value/],
      [['--quiet=1'], /option --quiet takes no value/],
    ];
    for (const [argv, message] of cases)
      assert.throws(
        () => getopt(argv, ROWS),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
        argv.join(' '),
      );
  });
});
