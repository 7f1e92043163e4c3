// The sequence and timing loop, driven through the Engine with a fake socket on a virtual
// clock: every schedule and count here is exact, and no test waits for real time.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AbortError } from '../../src/errors.js';
import type { ReplyEvent } from '../../src/pinger/ping-event.js';
import { echoReplyFor, icmpErrorFor, withIpv4Header } from '../helpers/fake-network.js';
import { withIcmpChecksum } from '../helpers/packet-builders.js';
import { config, Harness, target } from '../helpers/pinger-harness.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const HOST = '192.0.2.10';

describe('schedule', () => {
  test('sends count probes one interval apart from the start (drift-free) and ends when all are answered', async () => {
    const h = new Harness();
    h.network.answer(HOST, 3);
    const [s] = await h.run([target(HOST)], config({ count: 4, intervalMs: 1000 }));
    assert.deepEqual(
      h.network.sent.map((p) => p.atMs),
      [0, 1000, 2000, 3000],
    );
    assert.deepEqual(
      h.network.sent.map((p) => p.sequence),
      [1, 2, 3, 4],
    );
    assert.equal(s?.transmitted, 4);
    assert.equal(s?.received, 4);
    assert.equal(s?.loss, 0);
    assert.equal(s?.end, 'count');
    assert.ok(s?.rtt !== null && Math.abs((s?.rtt?.avg ?? 0) - 3) < 1e-9, 'RTT is the reply stamp minus the send stamp');
    assert.equal(h.clock.now(), 3003, 'the run ends as the last reply arrives');
  });

  test('a silent host: every probe times out, loss 100%, the run ends one timeout after the last probe', async () => {
    const h = new Harness();
    const [s] = await h.run([target(HOST)], config({ count: 3, intervalMs: 1000, timeoutMs: 1500 }));
    assert.equal(s?.transmitted, 3);
    assert.equal(s?.received, 0);
    assert.equal(s?.loss, 100);
    assert.equal(s?.rtt, null);
    assert.equal(h.of('timeout').length, 3);
    assert.equal(h.clock.now(), 2000 + 1500);
  });

  test('preload sends that many probes back to back, then keeps the interval', async () => {
    const h = new Harness();
    h.network.answer(HOST, 1);
    await h.run([target(HOST)], config({ count: 5, preload: 3, intervalMs: 100 }));
    assert.deepEqual(
      h.network.sent.map((p) => p.atMs),
      [0, 0, 0, 100, 200],
    );
  });

  test('interval 0 (flood): each reply triggers the next probe; with no reply the pace is one per 10 ms', async () => {
    const h = new Harness();
    h.network.answer(HOST, 0.25);
    await h.run([target(HOST)], config({ count: 100, intervalMs: 0 }));
    const last = h.network.sent.at(-1);
    assert.equal(h.network.sent.length, 100);
    assert.ok(last !== undefined && last.atMs <= 100 * 0.25 + 1e-6, `100 round trips of 0.25 ms take 25 ms, not ${last?.atMs}`);

    const silent = new Harness();
    await silent.run([target(HOST)], config({ count: 5, intervalMs: 0, timeoutMs: 50 }));
    assert.deepEqual(
      silent.network.sent.map((p) => p.atMs),
      [0, 10, 20, 30, 40],
    );
  });

  test('adaptive (-A): a reply sends the next probe at once; with no reply the gap is the interval, then the smoothed RTT', async () => {
    const h = new Harness();
    h.network.answer(HOST, 5);
    await h.run([target(HOST)], config({ count: 4, adaptive: true, intervalMs: 1000 }));
    assert.deepEqual(
      h.network.sent.map((p) => p.atMs),
      [0, 5, 10, 15],
      'each probe goes as the previous reply arrives',
    );

    const silent = new Harness();
    await silent.run([target(HOST)], config({ count: 3, adaptive: true, intervalMs: 200, timeoutMs: 50 }));
    assert.deepEqual(
      silent.network.sent.map((p) => p.atMs),
      [0, 200, 400],
      'before any reply, the interval',
    );
  });

  test("minIntervalMs keeps flood and adaptive pacing to ping's floor for users", async () => {
    const h = new Harness();
    h.network.answer(HOST, 0.25);
    await h.run([target(HOST)], config({ count: 5, intervalMs: 0, minIntervalMs: 2 }));
    const times = h.network.sent.map((p) => p.atMs);
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! >= 2 - 1e-9, `gap ${times[i]! - times[i - 1]!} ms`);
  });

  test('a frozen event loop does not make the schedule burst the missed probes afterwards', async () => {
    const h = new Harness();
    h.network.answer(HOST, 1);
    const running = h.start([target(HOST)], config({ count: 10, intervalMs: 100 }));
    h.clock.advance(250);
    h.clock.jump(5000); // timers did not run for 5 s
    h.clock.advance(99);
    const burst = h.network.sent.filter((p) => p.atMs >= 5250 && p.atMs < 5349);
    assert.equal(burst.length, 1, 'after the stall one probe goes, and the next keeps its interval');
    h.clock.advance(2);
    assert.equal(h.network.sent.at(-1)?.atMs, 5350);
    running.session.stop();
    await running.done;
  });

  test('the total send rate is capped across targets', async () => {
    const h = new Harness();
    const targets = Array.from({ length: 50 }, (_, i) => target(`192.0.2.${i + 1}`));
    for (const t of targets) h.network.answer(t.address, 1);
    await h.run(targets, config({ count: 1, ratePps: 1000 }));
    const times = h.network.sent.map((p) => p.atMs);
    assert.equal(times.length, 50);
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! >= 1 - 1e-9, 'at most one send per ms at 1000/s');
  });

  test('late timers do not slow the rate: a late wake-up sends what the pace owed, at most 2 ms of it', async () => {
    // Node's timers count whole milliseconds and fire late; at 1000/s every wake-up here
    // comes at least 1.5 ms after the last.
    const h = new Harness(new VirtualClock({ lateMs: 0.5 }));
    const targets = Array.from({ length: 200 }, (_, i) => target(`198.18.0.${i + 1}`));
    for (const t of targets) h.network.answer(t.address, 1);
    await h.run(targets, config({ count: 1, ratePps: 1000 }));
    const times = h.network.sent.map((p) => p.atMs);
    assert.equal(times.length, 200);
    const span = times.at(-1)! - times[0]!;
    assert.ok(span >= 199 - 2 && span <= 199 + 2, `200 probes at 1000/s took ${span} ms from first to last`);
    // In any 10 ms window, at most the 10 the rate allows, 2 ms of credit, and the one on the edge.
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((x) => x >= times[i]! && x < times[i]! + 10).length;
      assert.ok(inWindow <= 13, `${inWindow} probes in the 10 ms from ${times[i]} ms`);
    }
  });

  test('after a frozen event loop the rate sends at most 2 ms of what it owed at once, then keeps its pace', async () => {
    const h = new Harness();
    const targets = Array.from({ length: 100 }, (_, i) => target(`198.18.0.${i + 1}`));
    for (const t of targets) h.network.answer(t.address, 1);
    const running = h.start(targets, config({ count: 1, ratePps: 1000 }));
    h.clock.advance(20);
    const before = h.network.sent.length;
    h.clock.jump(50); // timers did not run for 50 ms
    h.clock.advance(0);
    const burst = h.network.sent.length - before;
    assert.equal(burst, 3, 'the probe due, and the 2 ms of credit');
    h.clock.advance(10);
    assert.equal(h.network.sent.length - before, burst + 10, 'then one per millisecond');
    running.session.stop();
    await running.done;
  });

  test('a sweep at rate 0 sends in batches (one sendmmsg for many targets), and every target is answered', async () => {
    const h = new Harness();
    const targets = Array.from({ length: 300 }, (_, i) => target(`198.18.${Math.floor(i / 200)}.${(i % 200) + 1}`));
    for (const t of targets) h.network.answer(t.address, 1);
    const summaries = await h.run(targets, config({ count: 1, ratePps: 0 }));
    assert.ok(summaries.every((s) => s.received === 1));
    assert.ok(h.network.batches.length > 0 && h.network.batches.every((n) => n <= 128), `batches ${h.network.batches.join(',')}`);
    assert.equal(
      h.network.batches.reduce((a, b) => a + b, 0),
      300,
      'every probe went in a batch',
    );
  });

  test('a failure inside a batch: that probe gets its error, those after it go again, all end answered', async () => {
    const h = new Harness();
    const targets = Array.from({ length: 10 }, (_, i) => target(`198.18.0.${i + 1}`));
    for (const t of targets) h.network.answer(t.address, 1);
    h.network.sendFailures = [];
    // The fourth send fails with ENOBUFS (retried later); EHOSTUNREACH for a later one counts as its result.
    let sends = 0;
    const original = h.network.handleSend.bind(h.network);
    h.network.handleSend = (socket, bytes, address) => {
      sends++;
      if (sends === 4) h.network.sendFailures.push('ENOBUFS');
      if (sends === 8) h.network.sendFailures.push('EHOSTUNREACH');
      return original(socket, bytes, address);
    };
    const summaries = await h.run(targets, config({ count: 1, ratePps: 0 }));
    const received = summaries.filter((s) => s.received === 1).length;
    const errored = summaries.filter((s) => s.errors === 1).length;
    assert.equal(received + errored, 10, JSON.stringify(summaries.map((s) => [s.address, s.transmitted, s.received, s.errors])));
    assert.equal(errored, 1);
    assert.ok(summaries.every((s) => s.transmitted === 1));
  });

  test('retries with backoff: a silent target gets 1 + retries probes, each wait 1.5 times the last', async () => {
    const h = new Harness();
    const [s] = await h.run([target(HOST)], config({ count: 4, retries: 3, timeoutMs: 500, backoff: 1.5, stopOnReply: true }));
    assert.deepEqual(
      h.network.sent.map((p) => p.atMs),
      [0, 500, 1250, 2375],
    );
    assert.equal(s?.received, 0);
    assert.equal(h.clock.now(), 2375 + 500 * 1.5 ** 3);
  });

  test('stopOnReply ends a target at its first reply', async () => {
    const h = new Harness();
    h.network.answer(HOST, 2);
    const [s] = await h.run([target(HOST)], config({ count: 3, stopOnReply: true }));
    assert.equal(h.network.sent.length, 1);
    assert.equal(s?.end, 'reachable');
    assert.equal(h.clock.now(), 2);
  });

  test('a deadline ends the run on time, whatever the count', async () => {
    const h = new Harness();
    const [s] = await h.run([target(HOST)], config({ count: Infinity, deadlineMs: 2500 }));
    assert.equal(s?.transmitted, 3);
    assert.equal(s?.end, 'deadline');
    assert.equal(h.clock.now(), 2500);
  });

  test('with a deadline, count means replies: sending goes on past count until enough replies came (as ping -c -w)', async () => {
    const h = new Harness();
    h.network.responders.set(HOST, (req) => (req.sequence <= 3 ? null : { delaysMs: [1] }));
    const [s] = await h.run([target(HOST)], config({ count: 2, intervalMs: 100, deadlineMs: 10_000 }));
    assert.equal(s?.received, 2);
    assert.equal(s?.transmitted, 5);
  });

  test('no timer per probe: one pending timer however many probes are in flight', async () => {
    const h = new Harness();
    const running = h.start([target(HOST)], config({ count: 1000, intervalMs: 1, timeoutMs: 60_000 }));
    let maxPending = 0;
    for (let i = 0; i < 1000; i++) {
      h.clock.advance(1);
      maxPending = Math.max(maxPending, h.clock.pending);
    }
    assert.equal(h.network.sent.length, 1000);
    assert.equal(maxPending, 1);
    running.session.stop();
    await running.done;
  });

  test('an abort signal stops the run and rejects with AbortError', async () => {
    const h = new Harness();
    const controller = new AbortController();
    const running = h.start([target(HOST)], config({ count: 10 }), controller.signal);
    h.clock.advance(1500);
    controller.abort();
    await assert.rejects(running.done, AbortError);
    assert.equal(h.network.sent.length, 2);
  });
});

describe('matching replies', () => {
  test('duplicates: each reply counted once, the copies as duplicates; loss never negative; RTTs include copies', async () => {
    const h = new Harness();
    h.network.responders.set(HOST, () => ({ delaysMs: [1, 2, 3] }));
    const [s] = await h.run([target(HOST)], config({ count: 4, intervalMs: 10 }));
    // As ping: the run ends with the last probe's first reply, so its copies are not seen.
    assert.equal(s?.received, 4);
    assert.equal(s?.duplicates, 6);
    assert.equal(s?.loss, 0);
    assert.equal(s?.rtt !== null && h.of('reply').length + h.of('duplicate').length, 10);
    assert.equal(h.of('duplicate').length, 6);
  });

  test('a hundred copies of one reply: one reply, 99 duplicates, and the promise settles once', async () => {
    const h = new Harness();
    h.network.responders.set(HOST, (req) => (req.sequence === 1 ? { delaysMs: Array.from({ length: 100 }, (_, i) => 1 + i * 0.01) } : { delaysMs: [1] }));
    let settled = 0;
    const running = h.start([target(HOST)], config({ count: 2, intervalMs: 10 }));
    void running.done.then(() => settled++);
    while (!running.session.ended && h.clock.advanceToNext()) {
      // run to the end
    }
    const [s] = await running.done;
    await Promise.resolve();
    assert.equal(s?.received, 2);
    assert.equal(s?.duplicates, 99);
    assert.equal(s?.loss, 0);
    assert.equal(settled, 1);
  });

  test('reordered replies are all matched to their own probes', async () => {
    const h = new Harness();
    h.network.responders.set(HOST, (req) => ({ delaysMs: [50 - req.sequence * 10] }));
    await h.run([target(HOST)], config({ count: 4, intervalMs: 1, timeoutMs: 100 }));
    const replies = h.of('reply');
    assert.deepEqual(
      replies.map((r) => r.sequence),
      [4, 3, 2, 1],
    );
    for (const r of replies) assert.ok(Math.abs(r.rttMs - (50 - r.sequence * 10)) < 1e-9);
  });

  test('a reply after its timeout is late: no RTT sample, not received', async () => {
    const h = new Harness();
    h.network.responders.set(HOST, () => ({ delaysMs: [1500] }));
    const running = h.start([target(HOST)], config({ count: 1, timeoutMs: 1000 }));
    h.clock.advance(999);
    const lateDelivery = h.network.sent[0]!;
    running.session.stop();
    const [s] = await running.done;
    assert.equal(s?.received, 0);
    assert.ok(lateDelivery.sequence === 1);

    const h2 = new Harness();
    h2.network.responders.set(HOST, () => ({ delaysMs: [1500] }));
    const [s2] = await h2.run([target(HOST)], config({ count: 2, intervalMs: 1000, timeoutMs: 1000 }));
    assert.equal(s2?.received, 0);
    assert.equal(s2?.rtt, null);
    assert.ok(h2.of('late').length >= 1, 'the late reply is reported as such');
  });

  test('a reply for a sequence never sent is ignored (late), with no RTT', async () => {
    const h = new Harness();
    const running = h.start([target(HOST)], config({ count: 2 }));
    const socket = h.network.sockets[0]!;
    const forged = echoReplyFor({ ...h.network.sent[0]!, bytes: Uint8Array.from(h.network.sent[0]!.bytes) });
    forged[6] = 0x30; // sequence 0x3001, never sent
    forged[7] = 0x01;
    forged[2] = forged[3] = 0;
    socket.deliver(withIpv4Header(withIcmpChecksum(forged), HOST), HOST);
    running.session.stop();
    const [s] = await running.done;
    assert.equal(s?.received, 0);
    assert.equal(s?.rtt, null);
  });

  test('right identifier and sequence but the wrong source address: not a reply of that target', async () => {
    const h = new Harness();
    h.network.responders.set(HOST, () => ({ delaysMs: [1], from: '192.0.2.99' }));
    const [s] = await h.run([target(HOST)], config({ count: 2, timeoutMs: 100 }));
    assert.equal(s?.received, 0);
    assert.ok(h.engine.counters.foreign >= 2);
  });

  test('a foreign identifier is never counted', async () => {
    const h = new Harness();
    h.network.responders.set(HOST, () => ({ delaysMs: [1], mutate: (r) => withIcmpChecksum(setBytes(r, 4, [0x43, 0x21])) }));
    const [s] = await h.run([target(HOST)], config({ count: 2, timeoutMs: 100 }));
    assert.equal(s?.received, 0);
  });

  test('the same identifier with another cookie (another process or session) is never counted', async () => {
    const h = new Harness();
    h.network.responders.set(HOST, () => ({ delaysMs: [1], mutate: (r) => withIcmpChecksum(setBytes(r, 8, [1, 2, 3, 4, 5, 6, 7, 8])) }));
    const [s] = await h.run([target(HOST)], config({ count: 2, timeoutMs: 100 }));
    assert.equal(s?.received, 0);
  });

  test('two sessions on one socket with the same identifier count only their own replies', async () => {
    const h = new Harness();
    h.network.answer(HOST, 1);
    const a = h.start([target(HOST)], config({ count: 3, intervalMs: 10 }));
    const b = h.start([target(HOST)], config({ count: 5, intervalMs: 10 }));
    while ((!a.session.ended || !b.session.ended) && h.clock.advanceToNext()) {
      // run both to their ends
    }
    const [sa] = await a.done;
    const [sb] = await b.done;
    assert.equal(h.network.sockets.length, 1, 'one socket per family, shared');
    assert.equal(sa?.received, 3);
    assert.equal(sb?.received, 5);
    assert.equal(sa?.duplicates, 0);
    assert.equal(sb?.duplicates, 0);
  });

  test('a bad ICMP checksum counts as corrupted, not received', async () => {
    const h = new Harness();
    h.network.responders.set(HOST, () => ({ delaysMs: [1], mutate: (r) => setBytes(r, 2, [r[2]! ^ 0xff]) }));
    const [s] = await h.run([target(HOST)], config({ count: 3, intervalMs: 10, timeoutMs: 100 }));
    assert.equal(s?.corrupted, 3);
    assert.equal(s?.received, 0);
  });

  test('a reply cut short still matches and is flagged truncated', async () => {
    const h = new Harness();
    h.network.responders.set(HOST, () => ({ delaysMs: [1], mutate: (r) => withIcmpChecksum(Uint8Array.from(r.subarray(0, 20))) }));
    const [s] = await h.run([target(HOST)], config({ count: 1 }));
    assert.equal(s?.received, 1);
    assert.equal((h.of('reply')[0] as ReplyEvent).truncated, true);
  });

  test('an echo payload echoed with a forged timestamp does not change the RTT', async () => {
    const h = new Harness();
    h.network.responders.set(HOST, () => ({
      delaysMs: [2],
      mutate: (r) => withIcmpChecksum(setBytes(r, 16, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])),
    }));
    const [s] = await h.run([target(HOST)], config({ count: 1 }));
    assert.equal(s?.rtt?.avg, 2);
  });

  test('a receive stamp before the send stamp gives an RTT of 0, never negative', async () => {
    const h = new Harness();
    const running = h.start([target(HOST)], config({ count: 1 }));
    const sent = h.network.sent[0]!;
    h.network.sockets[0]!.deliver(withIpv4Header(echoReplyFor(sent), HOST), HOST, sent.sentNs - 5e6);
    const [s] = await running.done;
    assert.equal(s?.rtt?.min, 0);
  });
});

describe('sequence numbers', () => {
  test('70000 probes: the 16-bit sequence wraps 65535 -> 0 -> 1 and every reply counts', async () => {
    const h = new Harness();
    h.network.answer(HOST, 0.5);
    const [s] = await h.run([target(HOST)], config({ count: 70_000, intervalMs: 1, timeoutMs: 5 }));
    assert.equal(s?.transmitted, 70_000);
    assert.equal(s?.received, 70_000);
    assert.equal(s?.duplicates, 0);
    assert.equal(s?.loss, 0);
    const seqs = h.network.sent.map((p) => p.sequence);
    assert.equal(seqs[65534], 65535);
    assert.equal(seqs[65535], 0);
    assert.equal(seqs[65536], 1);
  });

  test('a sequence still in flight is never reused: the 65537th probe waits for the oldest to time out', async () => {
    const h = new Harness();
    const running = h.start([target(HOST)], config({ count: 65_540, intervalMs: 0.001, timeoutMs: 1000 }));
    h.clock.advance(999);
    assert.equal(h.network.sent.length, 65_536);
    assert.equal(new Set(h.network.sent.map((p) => p.sequence)).size, 65_536);
    h.clock.advance(2);
    assert.ok(h.network.sent.length > 65_536, 'sending resumes once sequences are free');
    const reused = h.network.sent[65_536]!;
    assert.ok(reused.atMs >= 1000, 'only after the probe that held that number expired');
    running.session.stop();
    await running.done;
  });
});

describe('errors', () => {
  test('an ICMP error quoting a probe is reported with the router address and iputils wording', async () => {
    const h = new Harness();
    h.network.responders.set(HOST, () => null);
    const running = h.start([target(HOST)], config({ count: 2, intervalMs: 100 }));
    const socket = h.network.sockets[0]!;
    socket.deliver(withIpv4Header(icmpErrorFor(h.network.sent[0]!, 3, 1), '198.51.100.1'), '198.51.100.1');
    // someone else's probe: another identifier
    const foreign = { ...h.network.sent[0]!, bytes: setBytes(Uint8Array.from(h.network.sent[0]!.bytes), 4, [9, 9]) };
    socket.deliver(withIpv4Header(icmpErrorFor(foreign, 3, 1), '198.51.100.1'), '198.51.100.1');
    while (!running.session.ended && h.clock.advanceToNext()) {
      // finish
    }
    const [s] = await running.done;
    const errors = h.of('error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.from, '198.51.100.1');
    assert.equal(errors[0]?.reason, 'Destination Host Unreachable');
    assert.equal(errors[0]?.sequence, 1);
    assert.equal(s?.errors, 1);
  });

  test('a redirect or source quench is reported but not counted, and the probe can still be answered', async () => {
    const h = new Harness();
    h.network.answer(HOST, 5);
    const running = h.start([target(HOST)], config({ count: 1 }));
    const socket = h.network.sockets[0]!;
    const probe = h.network.sent[0]!;
    socket.deliver(withIpv4Header(icmpErrorFor(probe, 5, 1, 8, 0xc6336401), '198.51.100.1'), '198.51.100.1');
    socket.deliver(withIpv4Header(icmpErrorFor(probe, 4, 0), '198.51.100.1'), '198.51.100.1');
    while (!running.session.ended && h.clock.advanceToNext()) {
      // until the reply
    }
    const [s] = await running.done;
    const errors = h.of('error');
    assert.deepEqual(
      errors.map((e) => [e.advisory, e.reason]),
      [
        [true, 'Redirect Host(New nexthop: 198.51.100.1)'],
        [true, 'Source Quench'],
      ],
    );
    assert.equal(s?.errors, 0);
    assert.equal(s?.received, 1);
  });

  test('ENOBUFS: the probe is retried after a back-off, counted as a send error, never as sent', async () => {
    const h = new Harness();
    h.network.answer(HOST, 1);
    h.network.sendFailures = ['ENOBUFS', 'ENOBUFS'];
    const [s] = await h.run([target(HOST)], config({ count: 1 }));
    assert.deepEqual(
      h.network.sent.map((p) => p.atMs),
      [30],
      'retried after 10 ms, then 20 ms',
    );
    assert.equal(h.of('send-error').length, 2);
    assert.equal(s?.transmitted, 1);
    assert.equal(s?.received, 1);
  });

  test("EHOSTUNREACH is that probe's result; the run goes on and recovers", async () => {
    const h = new Harness();
    h.network.answer(HOST, 1);
    h.network.sendFailures = ['EHOSTUNREACH'];
    const [s] = await h.run([target(HOST)], config({ count: 3, intervalMs: 100 }));
    assert.equal(s?.transmitted, 3);
    assert.equal(s?.received, 2);
    assert.equal(s?.errors, 1);
  });

  test('EPERM on an open socket is reported as blocked locally, not as a privilege problem', async () => {
    const h = new Harness();
    h.network.answer(HOST, 1);
    h.network.sendFailures = ['EPERM'];
    await h.run([target(HOST)], config({ count: 2, intervalMs: 100 }));
    const [event] = h.of('send-error');
    assert.equal(event?.code, 'EPERM');
    assert.match(event?.message ?? '', /blocked locally/);
  });
});

function setBytes(bytes: Uint8Array, at: number, values: number[]): Uint8Array {
  const out = Uint8Array.from(bytes);
  out.set(values, at);
  return out;
}
