// The trace's options, validated against the option table: its defaults, its ranges (-m 1-255,
// -f at most -m), the shared ones checked as ping checks them, unknown keys refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OptionError } from '../../src/errors.js';
import { validateTraceOptions } from '../../src/options/validate-trace-options.js';

function rejects(fn: () => unknown, option: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof OptionError && e.option === option && pattern.test(e.message));
}

describe('validateTraceOptions', () => {
  test("the defaults are the table's: 10 rounds 1 s apart, 1 s per probe, hops 1 to 30, 56 bytes, auto sockets", () => {
    const v = validateTraceOptions();
    assert.deepEqual(v.trace, { rounds: 10, intervalMs: 1000, timeoutMs: 1000, firstHop: 1, maxHops: 30, size: 56 });
    assert.deepEqual(v.socket, { mode: 'auto' });
    assert.deepEqual([v.family, v.resolveTimeoutMs, v.signal, v.sockets, v.lookup], [0, 5000, undefined, undefined, undefined]);
  });

  test('values are taken in library units; shared options reach the socket spec', () => {
    const v = validateTraceOptions({
      rounds: Infinity,
      roundInterval: 200,
      probeTimeout: 2500,
      firstHop: 2,
      maxHops: 5,
      size: 100,
      mode: 'dgram',
      tos: 16,
      family: 6,
    });
    assert.deepEqual(v.trace, { rounds: Infinity, intervalMs: 200, timeoutMs: 2500, firstHop: 2, maxHops: 5, size: 100 });
    assert.deepEqual(v.socket, { mode: 'dgram', tos: 16 });
    assert.equal(v.family, 6);
  });

  test('ranges: -m and -f 1 to 255, the interval at least 50 ms, and the first hop not beyond the last', () => {
    rejects(() => validateTraceOptions({ maxHops: 0 }), 'maxHops', /expected an integer from 1 to 255/);
    rejects(() => validateTraceOptions({ maxHops: 256 }), 'maxHops', /from 1 to 255/);
    rejects(() => validateTraceOptions({ firstHop: 1.5 }), 'firstHop', /an integer/);
    rejects(() => validateTraceOptions({ roundInterval: 10 }), 'roundInterval', /from 50 to/);
    rejects(() => validateTraceOptions({ rounds: 0 }), 'rounds', /from 1 to/);
    rejects(() => validateTraceOptions({ firstHop: 9, maxHops: 8 }), 'firstHop', /invalid firstHop '9': expected at most maxHops \(8\)/);
    rejects(() => validateTraceOptions({ size: 70000 }), 'size', /from 0 to 65527/);
    rejects(() => validateTraceOptions({ mode: 'udp' as never }), 'mode', /expected 'auto', 'raw' or 'dgram'/);
  });

  test('messages name options as the caller spells them', () => {
    const flags: Record<string, string> = { firstHop: '-f', maxHops: '-m' };
    rejects(() => validateTraceOptions({ firstHop: 5, maxHops: 3 }, (k) => flags[k] ?? k), '-f', /invalid -f '5': expected at most -m \(3\)/);
  });

  test("unknown keys are refused, ping's own among them (a trace sets the TTL of each probe itself)", () => {
    rejects(() => validateTraceOptions({ maxHop: 3 } as never), 'maxHop', /did you mean 'maxHops'/);
    rejects(() => validateTraceOptions({ ttl: 3 } as never), 'ttl', /unknown option 'ttl'/);
    rejects(() => validateTraceOptions({ count: 3 } as never), 'count', /unknown option 'count'/);
    assert.throws(() => validateTraceOptions(null as never), OptionError);
  });
});
