// openSockets' own options: the limits of the runs on a set are checked before any socket opens.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSockets, OptionError } from '../../src/index.js';

for (const [options, message] of [
  [{ maxInFlight: 0 }, /invalid maxInFlight: expected an integer from 1 to 1000000, got 0/],
  [{ maxInFlight: 1.5 }, /invalid maxInFlight/],
  [{ maxInFlight: '10' }, /invalid maxInFlight: expected an integer from 1 to 1000000, got string/],
  [{ receiveBuffer: 1024 }, /invalid receiveBuffer: expected an integer from 4096 to 1073741824, got 1024/],
  [{ receiveBuffer: 2 ** 31 }, /invalid receiveBuffer/],
] as const) {
  test(`openSockets(${JSON.stringify(options)}) is an OptionError naming it`, () => {
    assert.throws(
      () => openSockets(options as unknown as Parameters<typeof openSockets>[0]),
      (error: unknown) => error instanceof OptionError && message.test(error.message),
    );
  });
}
