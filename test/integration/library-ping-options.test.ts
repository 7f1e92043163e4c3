// ping's socket options through the public API on loopback: the record route and timestamp
// options come back decoded on the reply events, -e's identifier is the socket's, and sets
// opened with openSockets() serve only runs that ask for the same settings.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPinger, OptionError, openSockets, ping, type PingEvent, type ReplyEvent } from '../../src/index.js';
import { netRawSkipReason, socketSkipReason } from '../helpers/skip-reasons.js';

// IP options come only with the IP header of raw sockets.
const skip = socketSkipReason() ?? netRawSkipReason('IPv4 options need a raw socket');

async function replies(target: string, options: Parameters<typeof createPinger>[1]): Promise<ReplyEvent[]> {
  const out: ReplyEvent[] = [];
  for await (const event of createPinger(target, { count: 2, interval: 20, mode: 'raw', ...options }) as AsyncIterable<PingEvent>) {
    if (event.type === 'reply') out.push(event);
  }
  return out;
}

describe("ping's options through the library", { skip: skip ?? false }, () => {
  test('recordRoute: each reply carries the route loopback recorded', async () => {
    const got = await replies('127.0.0.1', { recordRoute: true });
    assert.equal(got.length, 2);
    for (const r of got) {
      const route = r.ipOptions?.find((o) => o.kind === 'record-route');
      assert.ok(route !== undefined && route.kind === 'record-route', JSON.stringify(r.ipOptions));
      assert.ok(route.addresses.length > 0 && route.addresses.every((a) => a === '127.0.0.1'), JSON.stringify(route));
    }
  });

  test("ipTimestamp 'tsandaddr': address and time pairs, times in ms since midnight UT", async () => {
    const got = await replies('127.0.0.1', { ipTimestamp: 'tsandaddr' });
    const ts = got[0]?.ipOptions?.find((o) => o.kind === 'timestamp');
    assert.ok(ts !== undefined && ts.kind === 'timestamp', JSON.stringify(got[0]));
    assert.equal(ts.flag, 1);
    assert.ok(ts.entries.length > 0);
    for (const e of ts.entries) {
      assert.equal(e.address, '127.0.0.1');
      assert.ok(e.time !== null && e.time < 86_400_000, `time ${e.time}`);
    }
  });

  test('replies without options carry no ipOptions field', async () => {
    const got = await replies('127.0.0.1', {});
    assert.equal(got.length, 2);
    for (const r of got) assert.equal('ipOptions' in r, false);
  });

  test("identifier: the set's raw socket carries it; a run asking for other settings is refused", async () => {
    const set = openSockets({ mode: 'raw', identifier: 4242, families: [4] });
    try {
      assert.deepEqual(
        set.opened.map((s) => s.identifier),
        [4242],
      );
      const s = await ping('127.0.0.1', { count: 1, mode: 'raw', identifier: 4242, sockets: set });
      assert.equal(s.received, 1);
      await assert.rejects(ping('127.0.0.1', { count: 1, mode: 'raw', sockets: set }), OptionError);
    } finally {
      set.close();
    }
  });

  test('userLatency, pmtu, sendBuffer, debug, dontRoute, connect, strictSource: replies still come', async () => {
    const s = await ping('::1', {
      count: 2,
      interval: 20,
      userLatency: true,
      pmtu: 'do',
      sendBuffer: 8192,
      debug: true,
      dontRoute: true,
      connect: true,
      strictSource: true,
      mode: 'raw',
    });
    assert.equal(s.received, 2);
    assert.ok(s.rtt !== null && s.rtt.min >= 0);
  });
});
