// A session fed from a stream (open: true): targets handed over after the start are due when
// they come, the session waits for endInput() before it ends, asks for more at its low-water
// mark, brings up the socket of a family it did not have, and shares one --rate pace with other
// sessions. On the fake network and a virtual clock: exact times and counts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PingSummary } from '../../src/pinger/ping-event.js';
import type { RatePace } from '../../src/pinger/rate-gate.js';
import { runSession, type RunningSession } from '../../src/pinger/run-session.js';
import { config, Harness, target } from '../helpers/pinger-harness.js';

function fed(h: Harness, cfg = config({ count: 1, timeoutMs: 100 }), extra: { onLow?: () => void; lowWater?: number; pace?: RatePace } = {}): RunningSession {
  return runSession({
    engine: h.engine,
    targets: [],
    config: cfg,
    socket: { mode: 'raw' },
    emit: (e) => h.events.push(e),
    retain: false,
    feed: { open: true, ...extra },
  });
}

/** Runs the virtual clock until `done` settles (at most `limitMs`). */
async function settle<T>(h: Harness, done: Promise<T>, limitMs = 1e6): Promise<T> {
  let value: T | undefined;
  let settled = false;
  void done.then((v) => {
    value = v;
    settled = true;
  });
  const start = h.clock.now();
  while (!settled && h.clock.now() - start < limitMs) {
    await new Promise((resolve) => setImmediate(resolve));
    if (!settled && !h.clock.advanceToNext()) break;
  }
  await new Promise((resolve) => setImmediate(resolve));
  return value as T;
}

describe('a session fed from a stream', () => {
  test('waits for targets, pings those added later when they come, and ends only after endInput()', async () => {
    const h = new Harness();
    h.network.answer('192.0.2.1', 1);
    h.network.answer('192.0.2.2', 1);
    const run = fed(h);
    let ended = false;
    void run.done.then(() => (ended = true));
    h.clock.advance(50);
    assert.equal(h.network.sent.length, 0);
    assert.equal(run.session.add([target('192.0.2.1')]), true);
    h.clock.advance(10);
    assert.deepEqual(
      h.network.sent.map((p) => [p.address, p.atMs]),
      [['192.0.2.1', 50]],
      'due when it was handed over',
    );
    h.clock.advance(500);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(ended, false, 'its one target is done, but more may come');
    run.session.add([target('192.0.2.2')]);
    h.clock.advance(10);
    run.session.endInput();
    const summaries = h.of('summary').map((e) => e.summary.target);
    assert.deepEqual(summaries, ['192.0.2.1', '192.0.2.2']);
    await settle(h, run.done);
    assert.equal(ended, true);
    assert.equal(run.session.add([target('192.0.2.3')]), false, 'an ended session takes no more');
  });

  test('endInput() with nothing left ends it at once; stop() ends what it holds, waiting ones too, and it takes no more', async () => {
    const h = new Harness();
    const quiet = fed(h);
    quiet.session.endInput();
    assert.deepEqual(await settle(h, quiet.done), []);

    const busy = fed(h, config({ count: 5, intervalMs: 1000, timeoutMs: 500, ratePps: 1 }));
    busy.session.add([target('192.0.2.7'), target('192.0.2.8')]);
    h.clock.advance(10);
    busy.session.stop();
    assert.equal(busy.session.add([target('192.0.2.9')]), false);
    await settle(h, busy.done);
    assert.deepEqual(
      h.of('summary').map((e) => [e.summary.target, e.summary.end, e.summary.transmitted]),
      [
        ['192.0.2.7', 'stopped', 1],
        ['192.0.2.8', 'stopped', 0],
      ],
      'the second waited for the rate when the run stopped',
    );
  });

  test('asks for more each time the targets waiting drop to the low-water mark', async () => {
    const h = new Harness();
    let lows = 0;
    const run = fed(h, config({ count: 1, timeoutMs: 100, ratePps: 1000 }), { onLow: () => lows++, lowWater: 2 });
    run.session.add(['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4'].map((a) => target(a)));
    h.clock.advance(1);
    assert.equal(run.session.waiting, 2, 'at 1000/s, two have gone by 1 ms');
    assert.equal(lows, 1);
    h.clock.advance(5);
    assert.equal(run.session.waiting, 0);
    assert.equal(lows, 1, 'only at the mark, not below it');
    run.session.add(['192.0.2.5', '192.0.2.6', '192.0.2.7'].map((a) => target(a)));
    h.clock.advance(5);
    assert.equal(lows, 2);
    run.session.endInput();
    await settle(h, run.done);
  });

  test('a target of a family the session did not have yet brings up that socket', async () => {
    const h = new Harness();
    h.network.answer('192.0.2.1', 1);
    h.network.answer('2001:db8::1', 1);
    const run = fed(h);
    run.session.add([target('192.0.2.1')]);
    h.clock.advance(5);
    assert.deepEqual(
      h.network.sockets.map((s) => s.family),
      [4],
    );
    run.session.add([target('2001:db8::1')]);
    h.clock.advance(5);
    run.session.endInput();
    const summaries = (await settle(h, run.done)) as PingSummary[] | undefined;
    assert.deepEqual(summaries, []);
    assert.deepEqual(h.network.sockets.map((s) => s.family).sort(), [4, 6]);
    assert.deepEqual(
      h.of('summary').map((e) => [e.summary.target, e.summary.received]),
      [
        ['192.0.2.1', 1],
        ['2001:db8::1', 1],
      ],
    );
  });

  test('two sessions sharing one pace send at the rate in all, not each', async () => {
    const h = new Harness();
    const pace: RatePace = { slotMs: -Infinity };
    const cfg = config({ count: 1, timeoutMs: 50, ratePps: 100 });
    const a = fed(h, cfg, { pace });
    const b = fed(h, cfg, { pace });
    a.session.add(Array.from({ length: 10 }, (_, i) => target(`192.0.2.${i + 1}`)));
    b.session.add(Array.from({ length: 10 }, (_, i) => target(`198.51.100.${i + 1}`)));
    a.session.endInput();
    b.session.endInput();
    await settle(h, Promise.all([a.done, b.done]));
    const times = h.network.sent.map((p) => p.atMs).sort((x, y) => x - y);
    assert.equal(times.length, 20);
    assert.ok((times.at(-1) as number) >= 180, `20 probes at 100/s in all take 190 ms, not 90 (last at ${times.at(-1)})`);
    for (let i = 1; i < times.length; i++) assert.ok((times[i] as number) - (times[i - 1] as number) >= 10 - 1e-9, `gap ${i}`);
  });
});
