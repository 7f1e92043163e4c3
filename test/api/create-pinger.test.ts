// createPinger over the fake network (the `sockets` seam): stop, break and typed events.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPinger } from '../../src/api/create-pinger.js';
import type { ReplyEvent } from '../../src/pinger/ping-event.js';
import { drive } from '../helpers/drive.js';
import { Harness } from '../helpers/pinger-harness.js';

const HOST = '192.0.2.10';

describe('createPinger', () => {
  test('stop() right after createPinger() sends nothing, and done resolves stopped', async () => {
    const h = new Harness();
    h.network.answer(HOST, 1);
    const pinger = createPinger(HOST, { sockets: h.sockets() });
    pinger.stop();
    const summary = await drive(h, pinger.done);
    assert.equal(h.network.sent.length, 0);
    assert.equal(summary.transmitted, 0);
    assert.equal(summary.end, 'stopped');
  });

  test('break out of for await stops the pinger and resolves done', async () => {
    const h = new Harness();
    h.network.answer(HOST, 1);
    const pinger = createPinger(HOST, { interval: 100, sockets: h.sockets() });
    const seen: string[] = [];
    const loop = (async () => {
      for await (const event of pinger) {
        seen.push(event.type);
        if (event.type === 'reply') break;
      }
    })();
    await drive(h, loop);
    const summary = await drive(h, pinger.done);
    assert.deepEqual(seen, ['sent', 'reply']);
    assert.equal(summary.end, 'stopped');
    assert.equal(summary.transmitted, 1);
  });

  test("listeners are typed by event: 'reply' gets a ReplyEvent", async () => {
    const h = new Harness();
    h.network.answer(HOST, 2);
    const pinger = createPinger(HOST, { count: 2, interval: 10, sockets: h.sockets() });
    const replies: ReplyEvent[] = [];
    pinger.on('reply', (e) => {
      // e is a ReplyEvent here, not any: rttMs is a number.
      const rtt: number = e.rttMs;
      assert.equal(typeof rtt, 'number');
      replies.push(e);
    });
    const summary = await drive(h, pinger.done);
    assert.equal(replies.length, 2);
    assert.equal(summary.received, 2);
  });

  test('a socket set without the family the target needs: done rejects with a clear OptionError', async () => {
    const h = new Harness();
    const pinger = createPinger('2001:db8::1', { sockets: h.sockets({ mode: 'auto' }, [4]) });
    await assert.rejects(drive(h, pinger.done), (e: unknown) => e instanceof Error && /needs an IPv6 socket.*has none \(it holds IPv4 raw\)/.test(e.message));
  });

  test('a socket set opened with other settings than the run asks for is refused, not reopened', async () => {
    const h = new Harness();
    const pinger = createPinger(HOST, { ttl: 5, sockets: h.sockets() });
    await assert.rejects(drive(h, pinger.done), (e: unknown) => e instanceof Error && /ttl 5/.test(e.message));
  });
});
