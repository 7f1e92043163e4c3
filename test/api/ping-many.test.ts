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

describe('every entry point refuses unknown option keys', () => {
  test('ping(host, { cuont: 1 }) rejects with an OptionError naming cuont, before any socket', async () => {
    const { ping } = await import('../../src/api/ping.js');
    const { createPinger } = await import('../../src/api/create-pinger.js');
    const { isReachable } = await import('../../src/api/is-reachable.js');
    const { resolve } = await import('../../src/api/resolve.js');
    const { openSockets } = await import('../../src/api/open-sockets.js');
    const named = (key: string) => (e: unknown) => e instanceof OptionError && e.option === key;
    await assert.rejects(ping('127.0.0.1', { cuont: 1 } as never), named('cuont'));
    await assert.rejects(createPinger('127.0.0.1', { intervall: 1 } as never).done, named('intervall'));
    await assert.rejects(isReachable('127.0.0.1', { timeuot: 1 } as never), named('timeuot'));
    await assert.rejects(resolve('127.0.0.1', { famly: 4 } as never), named('famly'));
    assert.throws(() => openSockets({ tll: 4 } as never), named('tll'));
  });
});
