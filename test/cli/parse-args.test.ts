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
