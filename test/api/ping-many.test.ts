// pingMany and pingEach over the fake network (the `sockets` seam): exact probe counts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pingEach } from '../../src/api/ping-each.js';
import { pingMany } from '../../src/api/ping-many.js';
import { OptionError } from '../../src/errors.js';
import { drive } from '../helpers/drive.js';
import { Harness } from '../helpers/pinger-harness.js';

describe('pingMany', () => {
  test('retries: 0 sends exactly one probe per target, whether it answers or not', async () => {
    const h = new Harness();
    h.network.answer('192.0.2.1', 1);
    const all = await drive(h, pingMany(['192.0.2.1', '192.0.2.2'], { retries: 0, sockets: h.sockets() }));
    assert.deepEqual(
      all.map((s) => [s.target, s.transmitted, s.received]),
      [
        ['192.0.2.1', 1, 1],
        ['192.0.2.2', 1, 0],
      ],
    );
    assert.equal(h.network.sent.length, 2);
  });

  test('retries: 2 sends up to three probes to a silent host, one to a live one', async () => {
    const h = new Harness();
    h.network.answer('192.0.2.1', 1);
    const all = await drive(h, pingMany(['192.0.2.1', '192.0.2.2'], { retries: 2, timeout: 100, sockets: h.sockets() }));
    assert.deepEqual(
      all.map((s) => s.transmitted),
      [1, 3],
    );
  });

  test('retries and count together are refused, naming retries', async () => {
    await assert.rejects(pingMany(['192.0.2.1'], { retries: 1, count: 2 }), (e: unknown) => e instanceof OptionError && e.option === 'retries');
  });

  test('an unknown key is refused, with the nearest one suggested', async () => {
    await assert.rejects(
      pingMany(['192.0.2.1'], { cuont: 1 } as never),
      (e: unknown) => e instanceof OptionError && e.option === 'cuont' && /did you mean 'count'/.test(e.message),
    );
    const each = pingEach(['192.0.2.1'], { onEvnt: () => {} } as never);
    await assert.rejects(each.next(), (e: unknown) => e instanceof OptionError && e.option === 'onEvnt');
  });
});
