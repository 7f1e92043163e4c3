// -i as iputils ping reads it: seconds, kept in whole milliseconds ((int)(seconds * 1000)),
// and the floor for users checked on that value.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseArgs } from '../../src/cli/parse-args.js';
import { checkUserLimits } from '../../src/cli/user-limits.js';

const interval = (text: string): number | undefined => parseArgs(['-i', text, '127.0.0.1']).intervalMs;

describe('-i in whole milliseconds, as ping keeps it', () => {
  test('fractions of a millisecond are dropped', () => {
    assert.equal(interval('0.2'), 200);
    assert.equal(interval('0.0015'), 1, 'ping sends every 1 ms');
    assert.equal(interval('0.0002'), 0, 'ping sends as with -i 0');
    assert.equal(interval('0'), 0);
    assert.equal(interval('2.5'), 2500);
  });

  test('the same double product as ping: 1.001 s is 1000 ms there too', () => {
    // 1.001 * 1000 is 1000.9999999999999 in IEEE doubles, in C as in JavaScript.
    assert.equal(interval('1.001'), 1000);
    assert.equal(interval('0.003'), 3);
  });

  test("a user's 2 ms floor applies to the truncated value", () => {
    assert.equal(checkUserLimits(parseArgs(['-i', '0.0025', '127.0.0.1']), false), null, '2 ms: allowed');
    assert.match(checkUserLimits(parseArgs(['-i', '0.00199', '127.0.0.1']), false) ?? '', /minimal interval for user must be >= 2 ms/, '1 ms: refused');
  });
});

describe('the command line read from the option table', () => {
  test('--retries 0 is one probe per target: no retry, not a fallback to a count', () => {
    const o = parseArgs(['-q', '--retries', '0', '127.0.0.1', '127.0.0.2']);
    assert.equal(o.runMode, 'sweep');
    assert.equal(o.retries, 0);
    assert.equal(o.count, undefined);
  });

  test('fping options select the many-target mode even for one target; two targets do too', () => {
    assert.equal(parseArgs(['--retries', '1', '127.0.0.1']).runMode, 'sweep');
    assert.equal(parseArgs(['--alive', '127.0.0.1']).runMode, 'sweep');
    assert.equal(parseArgs(['127.0.0.1', '127.0.0.2']).runMode, 'sweep');
    assert.equal(parseArgs(['-c', '1', '127.0.0.1']).runMode, 'ping');
  });

  test('options of the other mode are refused, not ignored', () => {
    assert.throws(() => parseArgs(['-f', '127.0.0.1', '127.0.0.2']), /-f applies to one target only/);
    assert.throws(() => parseArgs(['-A', '--alive', '127.0.0.1']), /-A applies to one target only/);
    assert.throws(() => parseArgs(['-c', '1', '--retries', '1', '127.0.0.1']), /--retries applies without -c only/);
  });

  test('getopt spellings reach the options: -c2 -i.5 -W.5 -Q0x10 -pff -qn', () => {
    const o = parseArgs(['-c2', '-i.5', '-W.5', '-Q0x10', '-pff', '-qn', '127.0.0.1']);
    assert.deepEqual([o.count, o.intervalMs, o.timeoutMs, o.tos, [...(o.pattern ?? [])], o.quiet, o.numeric], [2, 500, 500, 16, [255], true, true]);
  });

  test('-I: an address is the source, a name the interface', () => {
    assert.equal(parseArgs(['-I127.0.0.1', '127.0.0.1']).source, '127.0.0.1');
    assert.equal(parseArgs(['-Ilo', '127.0.0.1']).interface, 'lo');
  });

  test('bad values name the flag as ping users know it', () => {
    assert.throws(() => parseArgs(['-c', '0', '127.0.0.1']), /invalid -c '0'/);
    assert.throws(() => parseArgs(['--rate', 'x', '127.0.0.1', '127.0.0.2']), /invalid --rate 'x'/);
    assert.throws(() => parseArgs(['--mode', 'stream', '127.0.0.1']), /invalid --mode 'stream'/);
  });
});
