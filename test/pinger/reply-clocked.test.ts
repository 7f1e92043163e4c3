// Reply-clocked sends: a flood's (or -A's) probes after those in flight wait in the socket,
// which sends one per datagram it receives before the session sees it. Over a fake network
// whose sockets do what the addon does (FakeNetwork.clocked): the run must count and pace
// exactly as it does when every probe is sent from JavaScript.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PingEvent, PingSummary } from '../../src/index.js';
import type { SessionConfig } from '../../src/pinger/session-config.js';
import { withIpv4Header } from '../helpers/fake-network.js';
import { icmpEcho, icmpMessage, ipv4Datagram } from '../helpers/packet-builders.js';
import { config, Harness, target } from '../helpers/pinger-harness.js';

const HOST = '198.18.0.1';

/** A harness whose sockets can queue sends (or not), with HOST answering after `delayMs`. */
function harness(clocked: boolean, delayMs = 0.01): Harness {
  const h = new Harness();
  h.network.clocked = clocked;
  h.network.answer(HOST, delayMs);
  return h;
}

const flood = (over: Partial<SessionConfig> = {}): SessionConfig => config({ intervalMs: 0, timeoutMs: 1000, ...over });

/** What a run did that must not depend on who sent the probes. */
function facts(h: Harness, s: PingSummary | undefined): unknown {
  return {
    transmitted: s?.transmitted,
    received: s?.received,
    duplicates: s?.duplicates,
    late: s?.late,
    sequences: h.network.sent.map((p) => p.sequence),
    events: h.events.map((e) => e.type).join(','),
  };
}

describe('reply-clocked sends', () => {
  test('a flood of 1000 counts and sends exactly as without them, with almost every probe sent by the socket', async () => {
    const plain = harness(false);
    const clocked = harness(true);
    const [a] = await plain.run([target(HOST)], flood({ count: 1000 }));
    const [b] = await clocked.run([target(HOST)], flood({ count: 1000 }));
    assert.deepEqual(facts(clocked, b), facts(plain, a));
    assert.equal(b?.received, 1000);
    assert.equal(plain.network.queuedSends, 0);
    assert.ok(clocked.network.queuedSends >= 990, `${clocked.network.queuedSends} of 1000 left from the socket's queue`);
  });

  test('preload 3: three in flight, never more, every reply counted once', async () => {
    const h = harness(true, 0.5);
    let live = 0;
    let maxLive = 0;
    h.network.responders.set(HOST, () => {
      live++;
      maxLive = Math.max(maxLive, live);
      return {
        delaysMs: [0.5],
        mutate: (r) => {
          live--;
          return r;
        },
      };
    });
    const [s] = await h.run([target(HOST)], flood({ count: 600, preload: 3 }));
    assert.equal(s?.received, 600);
    assert.equal(s?.duplicates, 0);
    assert.equal(maxLive, 3);
    assert.ok(h.network.queuedSends > 500);
  });

  test('adaptive (-A) is clocked the same way, and counts the same', async () => {
    const plain = harness(false);
    const clocked = harness(true);
    const [a] = await plain.run([target(HOST)], config({ count: 500, adaptive: true, intervalMs: 1000 }));
    const [b] = await clocked.run([target(HOST)], config({ count: 500, adaptive: true, intervalMs: 1000 }));
    assert.deepEqual(facts(clocked, b), facts(plain, a));
    assert.ok(clocked.network.queuedSends >= 490);
  });

  test('a deadline: the socket sends nothing queued after it', async () => {
    const h = harness(true, 0.01);
    const [s] = await h.run([target(HOST)], flood({ count: Infinity, deadlineMs: 20 }));
    assert.equal(s?.end, 'deadline');
    const last = Math.max(...h.network.sent.map((p) => p.atMs));
    assert.ok(last <= 20, `last probe left at ${last} ms`);
    assert.ok(h.network.queuedSends > 100);
    assert.equal(s?.transmitted, h.network.sent.length, 'every probe that left was counted');
  });

  test('stop(): nothing queued leaves after it', async () => {
    const h = harness(true, 0.01);
    const running = h.start([target(HOST)], flood({ count: Infinity }));
    h.clock.advance(3);
    running.session.stop();
    const sent = h.network.sent.length;
    h.clock.advance(50);
    const [s] = await running.done;
    assert.equal(h.network.sent.length, sent, 'the socket dropped its queue');
    assert.equal(s?.transmitted, sent);
  });

  test('a reply lost: the idle pace sends the next from JavaScript, and the queue goes on after', async () => {
    const h = harness(true, 0.01);
    let n = 0;
    h.network.responders.set(HOST, () => (++n === 300 ? null : { delaysMs: [0.01] }));
    const [s] = await h.run([target(HOST)], flood({ count: 600 }));
    assert.equal(s?.transmitted, 600);
    assert.equal(s?.received, 599);
    assert.equal(new Set(h.network.sent.map((p) => p.sequence)).size, 600, 'no sequence went twice');
  });

  test('a queued send that fails for lack of buffer space is retried as any send', async () => {
    const h = harness(true, 0.01);
    let sends = 0;
    const original = h.network.handleSend.bind(h.network);
    h.network.handleSend = (socket, bytes, address) => {
      if (++sends === 50) h.network.sendFailures.push('ENOBUFS');
      return original(socket, bytes, address);
    };
    const [s] = await h.run([target(HOST)], flood({ count: 200 }));
    assert.equal(s?.transmitted, 200);
    assert.equal(s?.received, 200);
    const retried = h.events.filter((e): e is PingEvent & { type: 'send-error' } => e.type === 'send-error');
    assert.deepEqual(
      retried.map((e) => [e.code, e.retried]),
      [['ENOBUFS', true]],
    );
  });

  test('datagrams that call for no probe (duplicates, ICMP for others) do not add to what is in flight', async () => {
    const h = harness(true);
    let live = 0;
    let maxLive = 0;
    // Every reply comes twice; and ICMP errors about someone else's datagrams come all along.
    h.network.responders.set(HOST, () => {
      live++;
      maxLive = Math.max(maxLive, live);
      let copies = 0;
      return {
        delaysMs: [0.01, 0.02],
        mutate: (r) => {
          if (copies++ === 0) live--;
          return r;
        },
      };
    });
    const socket = () => h.network.sockets[0];
    const running = h.start([target(HOST)], flood({ count: 2000 }));
    const foreign = withIpv4Header(
      icmpMessage(3, 1, [0, 0, 0, 0], ipv4Datagram({ source: '10.9.9.9', destination: '10.8.8.8' }, icmpEcho(8, 0x9999, 1))),
      '10.7.7.7',
    );
    for (let i = 0; i < 200 && !running.session.ended; i++) {
      socket()?.deliver(foreign, '10.7.7.7');
      h.clock.advance(0.05);
    }
    while (!running.session.ended && h.clock.advanceToNext()) {
      // to the end
    }
    const [s] = await running.done;
    assert.equal(s?.received, 2000);
    assert.equal(s?.transmitted, h.network.sent.length, 'every probe that left was counted');
    assert.ok(maxLive <= 3, `at most ${maxLive} in flight`);
  });

  test('a second session on the socket takes the queue back: both count exactly their own', async () => {
    const h = harness(true, 0.01);
    const first = h.start([target(HOST)], flood({ count: 2000 }));
    h.clock.advance(2);
    assert.ok(h.network.queuedSends > 0, 'the first was clocked by the socket');
    const queuedBefore = h.network.queuedSends;
    h.network.answer('198.18.0.2', 1);
    const second = h.start([target('198.18.0.2')], config({ count: 5, intervalMs: 10 }));
    while (!(first.session.ended && second.session.ended) && h.clock.advanceToNext()) {
      // run both to their end
    }
    const [[a], [b]] = await Promise.all([first.done, second.done]);
    assert.equal(a?.received, 2000);
    assert.equal(a?.duplicates, 0);
    assert.equal(b?.received, 5);
    assert.ok(h.network.queuedSends - queuedBefore <= 1, 'no more clocked sends once the socket is shared');
  });
});
