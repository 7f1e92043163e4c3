// addressRange, the library's range expansion (the CLI's -g and its tests of the limit and the
// messages are in test/cli/sweep/generate-targets.test.ts): lazy, repeatable, sized up front.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OptionError } from '../../src/errors.js';
import { addressRange } from '../../src/targets/address-range.js';

describe('addressRange', () => {
  test('a prefix and a start-end pair give their addresses in order, with their size', () => {
    const net = addressRange('10.0.0.0/29');
    assert.deepEqual([...net], ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    assert.deepEqual([net.family, net.size, net.count, net.first, net.last], [4, 6, 6n, '10.0.0.1', '10.0.0.6']);
    const span = addressRange('10.0.0.254', '10.0.1.1');
    assert.deepEqual([...span], ['10.0.0.254', '10.0.0.255', '10.0.1.0', '10.0.1.1']);
    const v6 = addressRange('fd00::fffe', 'fd00::1:1');
    assert.deepEqual([...v6], ['fd00::fffe', 'fd00::ffff', 'fd00::1:0', 'fd00::1:1']);
    assert.equal(v6.family, 6);
  });

  test('it can be iterated again, and a pass can stop early without making the rest', () => {
    const range = addressRange('192.168.0.0/24');
    assert.equal([...range].length, 254);
    assert.equal([...range].length, 254, 'a second pass gives them all again');
    const it = range[Symbol.iterator]();
    assert.deepEqual([it.next().value, it.next().value], ['192.168.0.1', '192.168.0.2']);
  });

  test('a /8 is sized at once and gives its first addresses without making sixteen million', () => {
    const big = addressRange('10.0.0.0/8');
    assert.equal(big.size, 2 ** 24 - 2);
    const first: string[] = [];
    for (const a of big) {
      first.push(a);
      if (first.length === 3) break;
    }
    assert.deepEqual(first, ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    const huge = addressRange('::/0');
    assert.equal(huge.count, 2n ** 128n, 'count is exact where size is rounded');
  });

  test('the octets cross correctly: every address of a /20 is the one before it plus one', () => {
    let previous = -1;
    let n = 0;
    for (const a of addressRange('172.16.0.0/20')) {
      const value = a.split('.').reduce((x, p) => x * 256 + Number(p), 0);
      if (previous >= 0) assert.equal(value, previous + 1, a);
      previous = value;
      n++;
    }
    assert.equal(n, 4094);
  });

  test('anything else is an OptionError about the range, naming what was given', () => {
    for (const [args, message] of [
      [['10.0.0.1'], /^10\.0\.0\.1: expected a prefix like 10\.0\.0\.0\/24, or a start and an end address$/],
      [['10.0.0.0/33'], /expected a prefix like 10\.0\.0\.0\/24 or fd00::\/120$/],
      [['10.0.0.9', '10.0.0.1'], /^10\.0\.0\.9 10\.0\.0\.1: the end comes before the start$/],
      [['10.0.0.1', 'fd00::1'], /expected two addresses of the same family$/],
      [['\x1b[2J/24'], /^\\x1b\[2J\/24: /],
    ] as const) {
      assert.throws(
        () => addressRange(...(args as unknown as [string, string?])),
        (e: unknown) => e instanceof OptionError && e.option === 'range' && message.test(e.message),
        JSON.stringify(args),
      );
    }
    assert.throws(() => addressRange(42 as unknown as string), OptionError);
  });
});
