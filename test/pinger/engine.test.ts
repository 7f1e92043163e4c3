// The engine over a fake network on a virtual clock: the one pacer every session's sends pass
// through, the kernel's drop counter, and replies that carry no cookie.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPinger, ping } from '../../src/index.js';
import type { DropsEvent, PingEvent, PingSummary } from '../../src/index.js';
import { Engine } from '../../src/pinger/engine.js';
import type { EngineLimits } from '../../src/pinger/receive-capacity.js';
import { replyQueueBytes } from '../../src/pinger/receive-capacity.js';
import { runSession, type RunningSession } from '../../src/pinger/run-session.js';
import { socketSetOn } from '../../src/runtime/socket-set.js';
import { drive } from '../helpers/drive.js';
import { FakeNetwork } from '../helpers/fake-network.js';
import { config, Harness, target } from '../helpers/pinger-harness.js';
import { icmpEcho } from '../helpers/packet-builders.js';
import { VirtualClock } from '../helpers/virtual-clock.js';
import { withIpv4Header } from '../helpers/fake-network.js';

const HOST = '198.18.0.1';

/** An engine of its own, with `limits`, over a network whose hosts answer after `delayMs` and count what is in flight. */
function pacedNetwork(limits: EngineLimits, delayMs = 5, queueBytes?: number) {
  const clock = new VirtualClock();
  const network = new FakeNetwork(clock);
  network.queueBytes = queueBytes;
  const engine = new Engine({ openSocket: network.open, clock, identifier: 0x1234, limits });
  const seen = { live: 0, maxLive: 0 };
  const respond = () => {
    seen.live++;
    seen.maxLive = Math.max(seen.maxLive, seen.live);
    return {
      delaysMs: [delayMs],
      mutate: (reply: Uint8Array) => {
        seen.live--;
        return reply;
      },
    };
  };
  const start = (address: string): RunningSession => {
    network.responders.set(address, respond);
    return runSession({ engine, targets: [target(address)], config: config({ count: 1 }), socket: { mode: 'raw' }, emit: () => {} });
  };
  return { clock, network, engine, seen, start };
}

async function settle(clock: VirtualClock, runs: RunningSession[]): Promise<PingSummary[]> {
  while (runs.some((r) => !r.session.ended) && clock.advanceToNext()) {
    // timers: sends, replies, expiries, the pacer's turns
  }
  return (await Promise.all(runs.map((r) => r.done))).flat();
}

/** Lets a pinger created just now resolve its target and start (it does so after a promise). */
const started = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const address = (i: number): string => `198.18.${i >> 8}.${i & 255}`;

describe('engine: one pacer for every session', () => {
  test('3000 sessions at once with room for 100 in flight: never more than 100 out, every one answered', async () => {
    const n = pacedNetwork({ maxInFlight: 100 });
    const runs = Array.from({ length: 3000 }, (_, i) => n.start(address(i)));
    const summaries = await settle(n.clock, runs);
    assert.equal(summaries.filter((s) => s.received === 1).length, 3000);
    assert.equal(n.seen.maxLive, 100, 'the window was used, and never exceeded');
    assert.equal(n.engine.pacer.inFlight, 0, 'everything settled');
  });

  test('without a count, the receive queue bounds what is in flight: three quarters of it in replies', async () => {
    const queueBytes = 100 * 1024;
    const n = pacedNetwork({}, 5, queueBytes);
    const runs = Array.from({ length: 1000 }, (_, i) => n.start(address(i)));
    const summaries = await settle(n.clock, runs);
    assert.equal(summaries.filter((s) => s.received === 1).length, 1000);
    const fits = Math.floor((queueBytes * 0.75) / replyQueueBytes(4, 56));
    assert.equal(n.seen.maxLive, fits, `${fits} replies of 56 bytes fit`);
  });

  test('a burst is spread over turns of the event loop: at most 512 go in one turn', async () => {
    const n = pacedNetwork({});
    // Each timer callback is a turn of the (virtual) event loop: count the sends in each.
    let turn = 0;
    const setTimer = n.clock.setTimer.bind(n.clock);
    n.clock.setTimer = (fn, delayMs) =>
      setTimer(() => {
        turn++;
        fn();
      }, delayMs);
    const perTurn = new Map<number, number>();
    const runs = Array.from({ length: 2000 }, (_, i) => n.start(address(i)));
    const respond = n.network.responders.get(address(0));
    for (let i = 0; i < 2000; i++)
      n.network.responders.set(address(i), (request) => {
        perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
        return respond?.(request) ?? null;
      });
    assert.equal(n.network.sent.length, 512, 'the first turn: the sessions as they start');
    const summaries = await settle(n.clock, runs);
    assert.equal(summaries.filter((s) => s.received === 1).length, 2000);
    assert.ok(Math.max(...perTurn.values()) <= 512, JSON.stringify([...perTurn]));
    assert.ok(perTurn.size >= 3, `the other 1488 went over ${perTurn.size} turns`);
  });

  test('a waiting session keeps its full deadline: it counts from its first probe, not from its start', async () => {
    const n = pacedNetwork({ maxInFlight: 1 }, 400);
    const cfg = config({ count: 1, deadlineMs: 1000, timeoutMs: 1000 });
    const runs = ['198.18.0.1', '198.18.0.2', '198.18.0.3'].map((a) => {
      n.network.responders.set(a, () => ({ delaysMs: [400] }));
      return runSession({ engine: n.engine, targets: [target(a)], config: cfg, socket: { mode: 'raw' }, emit: () => {} });
    });
    const summaries = await settle(n.clock, runs);
    // One at a time, 400 ms each: the third probe leaves at 800 ms and is answered at 1200 ms.
    assert.deepEqual(
      summaries.map((s) => s.received),
      [1, 1, 1],
    );
  });
});

describe('engine: the kernel drop counter', () => {
  test('a rise seen with a batch is a drops event for every session on that socket, and a count of the set', async () => {
    const h = new Harness();
    h.network.answer(HOST, 1);
    const sockets = h.sockets({ mode: 'auto' }, [4]);
    const events: PingEvent[] = [];
    const a = createPinger(HOST, { count: 3, interval: 10, sockets });
    const b = createPinger(HOST, { count: 3, interval: 10, sockets });
    a.on('drops', (e) => events.push(e));
    b.on('drops', (e) => events.push(e));
    await started();
    h.clock.advance(5);
    const socket = h.network.sockets[0];
    assert.ok(socket !== undefined);
    socket.drops = 7; // the kernel discarded 7 datagrams
    await drive(h, Promise.all([a.done, b.done]));
    const drops = events as DropsEvent[];
    assert.deepEqual(
      drops.map((e) => [e.type, e.family, e.dropped, e.total]),
      [
        ['drops', 4, 7, 7],
        ['drops', 4, 7, 7],
      ],
    );
    assert.equal(sockets.kernelDrops(), 7);
    socket.drops = 9;
    assert.equal(sockets.kernelDrops(), 9, 'read again on demand');
  });

  test('a rise seen only when a probe is about to be counted lost comes before its timeout', async () => {
    const h = new Harness();
    h.network.responders.set(HOST, () => null);
    const sockets = h.sockets({ mode: 'auto' }, [4]);
    const events: string[] = [];
    const pinger = createPinger(HOST, { count: 1, timeout: 100, sockets });
    pinger.on('sent', () => events.push('sent'));
    pinger.on('timeout', () => events.push('timeout'));
    pinger.on('drops', (e) => events.push(`drops ${e.dropped}`));
    pinger.on('summary', () => events.push('summary'));
    await started();
    h.clock.advance(50);
    (h.network.sockets[0] as { drops: number }).drops = 1;
    const summary = await drive(h, pinger.done);
    assert.deepEqual(events, ['sent', 'drops 1', 'timeout', 'summary']);
    assert.equal(summary.received, 0);
  });

  test('the counter wraps at 32 bits, and a stamp older than a reading is no rise', async () => {
    const h = new Harness();
    h.network.answer(HOST, 1);
    // A socket whose counter is near the top when the set takes it.
    const open = h.network.open;
    const sockets = socketSetOn({ openSocket: (...args) => Object.assign(open(...args), { drops: 0xfffffff0 }), clock: h.clock }, { mode: 'auto' }, [4]);
    const socket = h.network.sockets[0] as { drops: number };
    const seen: number[] = [];
    // The set's engine read the counter when it took the socket: from there on only rises count.
    const pinger = createPinger(HOST, { count: 2, interval: 10, sockets });
    pinger.on('drops', (e) => seen.push(e.dropped));
    await started();
    h.clock.advance(2);
    socket.drops = 0x00000004; // wrapped: 20 more
    h.clock.advance(10);
    socket.drops = 0x00000002; // a datagram stamped before the last reading
    await drive(h, pinger.done);
    assert.deepEqual(seen, [20]);
    assert.equal(sockets.kernelDrops(), 20);
  });
});

describe('engine: replies without a cookie (payloads of 0 to 3 bytes)', () => {
  // Issue 18, item 3: two pingers to one host with size 0 once shared their replies
  // (one counted 5 and 4 duplicates, the other 80 % loss).
  test('two size-0 pingers to one host each count exactly their own replies', async () => {
    const h = new Harness();
    h.network.answer(HOST, 1);
    const sockets = h.sockets({ mode: 'auto' }, [4]);
    const [a, b] = await drive(
      h,
      Promise.all([ping(HOST, { size: 0, count: 5, interval: 10, sockets }), ping(HOST, { size: 0, count: 5, interval: 10, sockets })]),
    );
    for (const s of [a, b]) {
      assert.equal(s?.received, 5, JSON.stringify(s));
      assert.equal(s?.duplicates, 0);
    }
    const sequences = h.network.sent.map((p) => p.sequence);
    assert.equal(new Set(sequences).size, 10, `every probe on the wire has its own sequence: ${sequences.join(',')}`);
  });

  test('three cookieless sessions of 1, 2 and 3 bytes, with duplicated replies: each counts its own, duplicates as duplicates', async () => {
    const h = new Harness();
    h.network.responders.set(HOST, () => ({ delaysMs: [1, 2] }));
    const sockets = h.sockets({ mode: 'auto' }, [4]);
    const summaries = await drive(h, Promise.all([1, 2, 3].map((size) => ping(HOST, { size, count: 4, interval: 5, sockets }))));
    for (const s of summaries) {
      assert.equal(s.received, 4, JSON.stringify(s));
      // The last reply ends the run (every probe answered), before its copy comes.
      assert.equal(s.duplicates, 3, JSON.stringify(s));
    }
  });

  test('sequences held by a cookieless session are let go when its probes expire', async () => {
    const clock = new VirtualClock();
    const network = new FakeNetwork(clock);
    network.answer(HOST, 1);
    const engine = new Engine({ openSocket: network.open, clock, identifier: 0x1234 });
    const cfg = config({ size: 0, count: 10, intervalMs: 10, timeoutMs: 25 });
    const run = runSession({ engine, targets: [target(HOST)], config: cfg, socket: { mode: 'raw' }, emit: () => {} });
    clock.advance(44);
    assert.equal(engine.heldSequences, 3, 'the probes of 20, 30 and 40 ms; those of 0 and 10 ms expired');
    await settle(clock, [run]);
    assert.equal(engine.heldSequences, 0, 'the run ended');
  });

  test('a cookie cut off on the way: given to the one session awaiting that sequence from that host, to none when two are', async () => {
    const clock = new VirtualClock();
    const network = new FakeNetwork(clock);
    network.responders.set(HOST, () => null);
    const engine = new Engine({ openSocket: network.open, clock, identifier: 0x1234 });
    const events: PingEvent[] = [];
    const start = (): RunningSession =>
      runSession({ engine, targets: [target(HOST)], config: config({ count: 1, timeoutMs: 100 }), socket: { mode: 'raw' }, emit: (e) => events.push(e) });
    const cutReply = () => withIpv4Header(icmpEcho(0, 0x1234, 1, new Uint8Array(0)), HOST);
    const one = start();
    const socket = network.sockets[0];
    assert.ok(socket !== undefined);
    socket.deliver(cutReply(), HOST, undefined, { truncated: true, wireLength: 84 });
    const [alone] = await settle(clock, [one]);
    assert.equal(alone?.received, 1, 'one session awaits sequence 1 from that host: it is its reply');
    const two = [start(), start()];
    socket.deliver(cutReply(), HOST, undefined, { truncated: true, wireLength: 84 });
    const both = await settle(clock, two);
    assert.deepEqual(
      both.map((s) => s.received),
      [0, 0],
      'two could be meant: neither counts it',
    );
  });
});

// A socket set with limits, on the fake network: what openSockets({ maxInFlight }) makes.
describe('engine: limits of a socket set', () => {
  test('a set opened with maxInFlight paces every run on it', async () => {
    const clock = new VirtualClock();
    const network = new FakeNetwork(clock);
    let live = 0;
    let maxLive = 0;
    const sockets = socketSetOn({ openSocket: network.open, clock, identifier: 0x1234, limits: { maxInFlight: 10 } }, { mode: 'auto' }, [4]);
    const runs = Array.from({ length: 200 }, (_, i) => {
      network.responders.set(address(i), () => {
        live++;
        maxLive = Math.max(maxLive, live);
        return {
          delaysMs: [3],
          mutate: (r) => {
            live--;
            return r;
          },
        };
      });
      return ping(address(i), { count: 1, sockets });
    });
    const summaries = await drive({ clock }, Promise.all(runs));
    assert.equal(summaries.filter((s) => s.received === 1).length, 200);
    assert.equal(maxLive, 10);
  });
});
