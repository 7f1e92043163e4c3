// docs/hostile-inputs.md #19-#21, #23-#25, #27 and #30 on the fake network and virtual clock: the faults the kernel
// cannot produce on demand (ENOBUFS, EMSGSIZE, EADDRNOTAVAIL, days of a dead target, a loop
// clock that jumps) and the library's own checks before anything is sent. No socket, no
// privilege, no real time except the resolve bound. The same items through real sockets are in
// hostile-machine-loopback.test.ts (this process's user, 127.0.0.1) and
// hostile-machine-netns.test.ts (namespaces of the test lab).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { isReachable, OptionError, ping, pingMany, ResolveError } from '../../src/index.js';
import { Engine } from '../../src/pinger/engine.js';
import type { PingSummary } from '../../src/pinger/ping-event.js';
import { runSession } from '../../src/pinger/run-session.js';
import { echoReplyFor, FakeNetwork, withIpv4Header } from '../helpers/fake-network.js';
import { config, Harness, target } from '../helpers/pinger-harness.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const HOST = '192.0.2.10';

/** A gc() for heap measurements (node:test runs without --expose-gc). */
function gcFunction(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

// ---------------------------------------------------------------------------------------------

// docs/hostile-inputs.md #19
describe('19. the wall clock jumps: schedules and RTTs stay right', () => {
  test('a reply stamped 2 ms after its probe counts with RTT 2 ms, however far the loop clock jumped meanwhile', async () => {
    const h = new Harness();
    const running = h.start([target(HOST)], config({ count: 2, intervalMs: 1000, timeoutMs: 1000 }));
    const first = h.network.sent[0]!;
    h.clock.jump(3_600_000); // the loop's clock reads an hour later (it never does, but stamps must not care)
    h.network.sockets[0]!.deliver(withIpv4Header(echoReplyFor(first), HOST), HOST, first.sentNs + 2e6);
    running.session.stop();
    const [s] = await running.done;
    const replies = h.of('reply');
    assert.equal(replies.length, 1);
    assert.equal(replies[0]?.rttMs, 2, 'RTT = receive stamp - send stamp, nothing else');
    assert.equal(s?.received, 1);
  });

  /** Runs count 6 at 100 ms with replies after 2 ms, and a 10 s stall after 150 ms. */
  async function stalledRun(): Promise<{ times: number[]; summary: PingSummary | undefined; h: Harness }> {
    const h = new Harness();
    h.network.answer(HOST, 2);
    const running = h.start([target(HOST)], config({ count: 6, intervalMs: 100, timeoutMs: 1000 }));
    h.clock.advance(150); // probes 1 and 2 sent, 1 answered
    h.clock.jump(10_000); // timers did not run for 10 s
    let steps = 0;
    while (!running.session.ended && steps++ < 1000 && h.clock.advanceToNext()) {
      // resume
    }
    const [summary] = await running.done;
    return { times: h.network.sent.map((p) => p.atMs), summary, h };
  }

  test('a loop stalled for 10 s resumes: exactly count probes, the missed slots are skipped, the figures stay right', async () => {
    const { times, summary: s, h } = await stalledRun();
    assert.equal(times.length, 6, `exactly count probes: ${times.join(' ')}`);
    assert.ok(times[5]! - times[2]! <= 400, `the missed slots are not sent late one by one: ${times.join(' ')}`);
    assert.equal(s?.transmitted, 6);
    assert.ok(s !== undefined && s.received >= 5 && s.received <= 6, JSON.stringify(s));
    for (const r of h.of('reply')) assert.ok(r.rttMs >= 0 && r.rttMs <= 1000, `RTT ${r.rttMs}`);
  });

  test('a loop stalled for 10 s resumes without a burst: never two probes at the same instant', async () => {
    const { times } = await stalledRun();
    for (let i = 2; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! >= 100 - 1e-9, `probes after the stall: ${times.join(' ')}`);
  });
});

// docs/hostile-inputs.md #20
describe('20. a dead target for days: memory and descriptors stay flat', () => {
  test('two days of virtual time at one probe a second: one pending timer, and a flat heap', async () => {
    const gc = gcFunction();
    const clock = new VirtualClock();
    const network = new FakeNetwork(clock);
    const engine = new Engine({ openSocket: network.open, clock, identifier: 0x1234 });
    let timeouts = 0;
    let other = 0;
    const running = runSession({
      engine,
      targets: [target(HOST)],
      config: config({ count: Infinity, intervalMs: 1000, timeoutMs: 1000 }),
      socket: { mode: 'raw' },
      emit: (e) => {
        if (e.type === 'timeout') timeouts++;
        else if (e.type !== 'sent') other++;
      },
    });
    let maxPending = 0;
    const run = (seconds: number): void => {
      for (let i = 0; i < seconds; i++) {
        clock.advance(1000);
        maxPending = Math.max(maxPending, clock.pending);
        if (network.sent.length >= 1000) network.sent.length = 0; // the fake's own record, not the pinger's
      }
      network.sent.length = 0;
    };
    run(10_000); // warm-up
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    run(162_800);
    gc();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    running.session.stop();
    const [s] = await running.done;
    assert.equal(s?.transmitted, 172_801, 'one at the start, then one a second');
    assert.ok(timeouts >= 172_799, `every probe timed out (${timeouts})`);
    assert.equal(other, 1, 'nothing but sends, timeouts and the summary');
    assert.ok(maxPending <= 2, `pending timers: ${maxPending}`);
    assert.ok(growth < 2 * 1024 * 1024, `heap grew by ${(growth / 1024).toFixed(0)} KiB over 162800 probes`);
  });
});

// docs/hostile-inputs.md #21
describe('21. sendto fails with ENOBUFS / EAGAIN: back off, count a send error, never spin', () => {
  for (const code of ['ENOBUFS', 'EAGAIN']) {
    test(`${code} for a whole virtual minute: a bounded number of attempts, then sending resumes`, async () => {
      const h = new Harness();
      h.network.answer(HOST, 1);
      const failures = 1_000_000;
      h.network.sendFailures = new Array<string>(failures).fill(code);
      const running = h.start([target(HOST)], config({ count: 3, intervalMs: 100, timeoutMs: 500 }));
      const timersBefore = h.clock.timersSet;
      h.clock.advance(60_000);
      const attempts = failures - h.network.sendFailures.length;
      // 10, 20, 40 ... 320 ms, then every 500 ms: about 125 tries in a minute, not thousands.
      assert.ok(attempts >= 100 && attempts <= 130, `${attempts} send attempts in 60 s`);
      assert.ok(h.clock.timersSet - timersBefore <= 2 * attempts + 10, `timers set: ${h.clock.timersSet - timersBefore}`);
      const errors = h.of('send-error');
      assert.equal(errors.length, attempts, 'each failed attempt is reported');
      assert.ok(
        errors.every((e) => e.code === code && e.sequence === 1),
        'the same probe is retried',
      );
      assert.equal(h.network.sent.length, 0);
      h.network.sendFailures = [];
      let steps = 0;
      while (!running.session.ended && steps++ < 1000 && h.clock.advanceToNext()) {
        // the buffer drained: the run goes on
      }
      const [s] = await running.done;
      assert.equal(s?.transmitted, 3, 'a probe that never left is not counted as sent');
      assert.equal(s?.received, 3);
      assert.equal(s?.loss, 0);
    });
  }

  test('with a deadline, a send buffer that never drains still ends the run on time', async () => {
    const h = new Harness();
    h.network.sendFailures = new Array<string>(100_000).fill('ENOBUFS');
    const [s] = await h.run([target(HOST)], config({ count: Infinity, deadlineMs: 5000 }));
    assert.equal(h.clock.now(), 5000);
    assert.equal(s?.end, 'deadline');
    assert.equal(s?.transmitted, 0);
    assert.ok(Number.isFinite(s?.loss));
  });
});

// docs/hostile-inputs.md #23
describe('23. EHOSTUNREACH / ENETUNREACH / EADDRNOTAVAIL: a per-probe result; recovers when the route is back', () => {
  test("fake socket: EADDRNOTAVAIL (a source address that went away) is that probe's result; the next probes go", async () => {
    const h = new Harness();
    h.network.answer(HOST, 1);
    h.network.sendFailures = ['EADDRNOTAVAIL', 'EADDRNOTAVAIL'];
    const [s] = await h.run([target(HOST)], config({ count: 4, intervalMs: 100 }));
    const errors = h.of('send-error');
    assert.deepEqual(
      errors.map((e) => [e.code, e.sequence]),
      [
        ['EADDRNOTAVAIL', 1],
        ['EADDRNOTAVAIL', 2],
      ],
    );
    assert.deepEqual(
      h.network.sent.map((p) => p.atMs),
      [200, 300],
      'on schedule, not retried at once',
    );
    assert.deepEqual([s?.transmitted, s?.received, s?.errors], [4, 2, 2]);
  });
});

// docs/hostile-inputs.md #24
describe('24. EMSGSIZE: sizes are validated before sending, and a send that still fails is a clear error', () => {
  test('library: size 65508 to an IPv4 target rejects with OptionError before any probe is sent', async () => {
    const h = new Harness();
    const sockets = h.sockets();
    const opened = h.network.sockets.length;
    await assert.rejects(ping(HOST, { size: 65508, sockets }), (e: unknown) => e instanceof OptionError && e.option === 'size' && /65507/.test(e.message));
    await assert.rejects(ping('2001:db8::1', { size: 65528, sockets }), (e: unknown) => e instanceof OptionError && e.option === 'size');
    assert.equal(h.network.sent.length, 0);
    assert.equal(h.network.sockets.length, opened, 'the run opened no socket of its own');
  });

  test('fake socket: EMSGSIZE from sendto is a send-error for that probe with the errno name; the run goes on', async () => {
    const h = new Harness();
    h.network.answer(HOST, 1);
    h.network.sendFailures = ['EMSGSIZE'];
    const [s] = await h.run([target(HOST)], config({ count: 3, intervalMs: 100 }));
    const [e] = h.of('send-error');
    assert.equal(e?.code, 'EMSGSIZE');
    assert.match(e?.message ?? '', /EMSGSIZE/);
    assert.deepEqual([s?.transmitted, s?.received, s?.errors], [3, 2, 1]);
  });
});

// docs/hostile-inputs.md #25
describe('25. names: a lookup that never settles', () => {
  test('library: a lookup that never settles is bounded by resolveTimeout (ResolveError), and an abort ends it at once', async () => {
    const never = (): Promise<never> => new Promise(() => {});
    const t0 = performance.now();
    await assert.rejects(
      ping('never.test', { resolveTimeout: 200, lookup: never }),
      (e: unknown) => e instanceof ResolveError && /no answer in 200 ms/.test(e.message),
    );
    const took = performance.now() - t0;
    assert.ok(took >= 190 && took < 1000, `rejected after ${Math.round(took)} ms`);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(ping('never.test', { signal: controller.signal, lookup: never }), { name: 'AbortError' });
  });
});

// docs/hostile-inputs.md #27
describe('27. option values: the cases cli-bad-input.test.ts does not cover', () => {
  test('a 1 MB target through the library: OptionError in a short message, no lookup, no socket', async () => {
    const huge = 'a'.repeat(1 << 20);
    const h = new Harness();
    const sockets = h.sockets();
    const opened = h.network.sockets.length;
    for (const attempt of [ping(huge, { sockets }), isReachable(huge, { sockets })]) {
      await assert.rejects(attempt, (e: unknown) => e instanceof OptionError && e.option === 'target' && e.message.length < 200 && /too long/.test(e.message));
    }
    const [s] = await pingMany([huge], { count: 1, sockets });
    assert.equal(s?.end, 'unresolved');
    assert.ok((s?.error?.length ?? 0) < 200);
    assert.equal(h.network.sockets.length, opened, 'the run opened no socket of its own');
  });

  test('library option values out of range (1e300 ms, a count of 1e300, TTL 256, size 2^31 - 1) reject naming the option', async () => {
    const h = new Harness();
    const cases: [Record<string, number>, string][] = [
      [{ timeout: 1e300 }, 'timeout'],
      [{ interval: 1e300 }, 'interval'],
      [{ deadline: 1e300 }, 'deadline'],
      [{ count: 1e300 }, 'count'],
      [{ ttl: 256 }, 'ttl'],
      [{ size: 2147483647 }, 'size'],
      [{ interval: NaN }, 'interval'],
      [{ resolveTimeout: Infinity }, 'resolveTimeout'],
    ];
    for (const [options, option] of cases) {
      await assert.rejects(
        ping(HOST, { ...options, sockets: h.sockets() }),
        (e: unknown) => e instanceof OptionError && e.option === option,
        JSON.stringify(options),
      );
    }
    assert.equal(h.network.sent.length, 0);
  });
});

// docs/hostile-inputs.md #30
describe('30. broadcast and multicast targets are refused unless asked for (-b)', () => {
  test('library: OptionError (option broadcast) without broadcast: true', async () => {
    const h = new Harness();
    const sockets = h.sockets();
    const opened = h.network.sockets.length;
    for (const t of ['255.255.255.255', '224.0.0.1', 'ff02::1']) {
      await assert.rejects(ping(t, { count: 1, sockets }), (e: unknown) => e instanceof OptionError && e.option === 'broadcast', t);
    }
    assert.equal(h.network.sockets.length, opened, 'the run opened no socket of its own');
  });
});
