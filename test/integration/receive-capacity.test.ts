// The engine under load on real sockets, loopback only: the receive queue sized for the probes
// in flight, many sessions at once paced by the engine, and a queue made too small on purpose
// whose overflow is reported as the kernel's drops. Bounded: at most 2000 probes per test, each
// waiting at most 300 ms.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPinger, openSockets, ping } from '../../src/index.js';
import type { DropsEvent } from '../../src/index.js';
import { socketSkipReason } from '../helpers/skip-reasons.js';

const skip = socketSkipReason();

/** n distinct loopback addresses: 127.1.0.0, 127.1.0.1, ... (every 127/8 address answers). */
const loopback = (n: number): string[] => Array.from({ length: n }, (_, i) => `127.1.${i >> 8}.${i & 255}`);

describe('receive capacity on loopback', { skip: skip ?? false }, () => {
  test('2000 parallel pings of one probe each: every one answered, nothing dropped by the kernel', async () => {
    const sockets = openSockets({ families: [4] });
    try {
      const summaries = await Promise.all(loopback(2000).map((address) => ping(address, { count: 1, timeout: 300, sockets })));
      assert.equal(summaries.filter((s) => s.received === 1).length, 2000);
      assert.equal(sockets.kernelDrops(), 0);
    } finally {
      sockets.close();
    }
  });

  test('a receive queue made too small on purpose, with a window past it: the overflow is reported as kernel drops', async () => {
    // 4096 bytes holds about five loopback replies; maxInFlight lets 1000 go anyway.
    const sockets = openSockets({ families: [4], receiveBuffer: 4096, maxInFlight: 1000 });
    try {
      const drops: DropsEvent[] = [];
      const pingers = loopback(1000).map((address) => {
        const pinger = createPinger(address, { count: 1, timeout: 300, sockets });
        pinger.on('drops', (e) => drops.push(e));
        return pinger;
      });
      const summaries = await Promise.all(pingers.map((p) => p.done));
      const lost = summaries.filter((s) => s.received === 0).length;
      assert.ok(lost > 0, 'the queue overflowed');
      const counted = sockets.kernelDrops();
      // The kernel's own count is an upper bound (a raw socket may count one datagram twice,
      // and other programs' datagrams that came while the queue was full): never under.
      assert.ok(counted >= lost, `kernel drops ${counted}, replies lost ${lost}`);
      assert.ok(drops.length > 0, 'the pingers heard it');
      assert.equal(drops[0]?.family, 4);
      assert.ok(
        drops.every((e) => e.dropped > 0 && e.total <= counted),
        JSON.stringify(drops.slice(0, 3)),
      );
    } finally {
      sockets.close();
    }
  });
});
