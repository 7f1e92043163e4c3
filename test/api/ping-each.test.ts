// pingEach over the fake network (the `sockets` seam) on a virtual clock: targets from any
// (async) iterable, read only as the sends need them; summaries with their input index, in
// completion or input order; every target pinged on its own (duplicates too); interval
// reports; and what ending early does to the input.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EachSummary } from '../../src/api/ping-each.js';
import { pingEach } from '../../src/api/ping-each.js';
import type { IntervalEvent } from '../../src/api/interval-event.js';
import { AbortError, OptionError } from '../../src/errors.js';
import { pingMany } from '../../src/api/ping-many.js';
import type { PingEvent } from '../../src/pinger/ping-event.js';
import { addressRange } from '../../src/targets/address-range.js';
import { drive } from '../helpers/drive.js';
import { Harness } from '../helpers/pinger-harness.js';

async function collect(h: Harness, run: AsyncIterable<EachSummary>, maxSteps?: number): Promise<EachSummary[]> {
  return drive(
    h,
    (async () => {
      const out: EachSummary[] = [];
      for await (const s of run) out.push(s);
      return out;
    })(),
    maxSteps,
  );
}

/** A generator that counts how far it has been read, and whether it was closed. */
function counted(addresses: Iterable<string>): { source: Generator<string>; read: () => number; closed: () => boolean } {
  let read = 0;
  let closed = false;
  const source = (function* () {
    try {
      for (const a of addresses) {
        read++;
        yield a;
      }
    } finally {
      closed = true;
    }
  })();
  return { source, read: () => read, closed: () => closed };
}

describe('pingEach: any iterable, read as needed', () => {
  test('an addressRange, a generator and an async generator all work, each summary with its index', async () => {
    for (const make of [
      () => addressRange('192.0.2.0/29'),
      () =>
        (function* () {
          yield* addressRange('192.0.2.0/29');
        })(),
      () =>
        (async function* () {
          for (const a of addressRange('192.0.2.0/29')) {
            await Promise.resolve();
            yield a;
          }
        })(),
    ]) {
      const h = new Harness();
      h.network.answer('192.0.2.3', 1);
      const all = await collect(h, pingEach(make(), { retries: 0, timeout: 100, sockets: h.sockets() }));
      assert.deepEqual(
        all.map((s) => s.index).sort((a, b) => a - b),
        [0, 1, 2, 3, 4, 5],
      );
      assert.deepEqual(
        all.filter((s) => s.received > 0).map((s) => [s.index, s.target]),
        [[2, '192.0.2.3']],
      );
    }
  });

  test('only what the sends need is read ahead: a slow sweep has read a few hundred of a /16 when its first summary comes', async () => {
    const h = new Harness();
    const input = counted(addressRange('10.0.0.0/16'));
    const run = pingEach(input.source, { retries: 0, timeout: 50, rate: 1000, sockets: h.sockets() });
    const first = await drive(h, run.next());
    assert.equal(first.done, false);
    assert.ok(input.read() > 0 && input.read() <= 256, `read ${input.read()} of 65534`);
    await drive(h, run.return());
    assert.equal(input.closed(), true, 'leaving early closes the input');
  });

  test('a /16 through a generator: every target gets its summary, and what is read but not reported stays bounded', async () => {
    const h = new Harness();
    // Answered by nobody: each target lives its whole timeout, the worst case for what is held.
    const input = counted(addressRange('10.0.0.0/16'));
    let most = 0;
    // 100 probes a virtual millisecond and 20 ms of timeout: about 2000 targets in flight.
    let n = 0;
    const indexes = new Set<number>();
    for (const s of await collect(
      h,
      (async function* () {
        for await (const s of pingEach(input.source, { retries: 0, timeout: 20, rate: 100_000, sockets: h.sockets() })) {
          most = Math.max(most, input.read() - n);
          n++;
          yield s;
        }
      })(),
      1_000_000,
    )) {
      indexes.add(s.index);
    }
    assert.equal(n, 2 ** 16 - 2);
    assert.equal(indexes.size, n, 'each index once');
    assert.ok(most > 1000 && most < 3000, `at most ${most} targets were read and not yet reported`);
  });

  test('order "input": summaries come in the order given, whatever order the targets finish in', async () => {
    const h = new Harness();
    h.network.answer('192.0.2.1', 30);
    h.network.answer('192.0.2.2', 1);
    h.network.answer('192.0.2.3', 10);
    const targets = ['192.0.2.1', '192.0.2.2', '192.0.2.3'];
    const done = await collect(h, pingEach(targets, { count: 1, sockets: h.sockets() }));
    assert.deepEqual(
      done.map((s) => s.target),
      ['192.0.2.2', '192.0.2.3', '192.0.2.1'],
      'completion order by default',
    );
    const h2 = new Harness();
    h2.network.answer('192.0.2.1', 30);
    h2.network.answer('192.0.2.2', 1);
    h2.network.answer('192.0.2.3', 10);
    const ordered = await collect(h2, pingEach(targets, { count: 1, order: 'input', sockets: h2.sockets() }));
    assert.deepEqual(
      ordered.map((s) => [s.index, s.target]),
      targets.map((t, i) => [i, t]),
    );
  });

  test('a target given twice, and two names of one address, are pinged separately: each counts only its own replies', async () => {
    const h = new Harness();
    h.network.answer('192.0.2.1', 1);
    const lookup = (): Promise<{ address: string; family: number }> => Promise.resolve({ address: '192.0.2.1', family: 4 });
    const events: [number, PingEvent['type']][] = [];
    const all = await collect(
      h,
      pingEach(['192.0.2.1', 'one.test', '192.0.2.1'], {
        count: 3,
        interval: 100,
        order: 'input',
        lookup,
        sockets: h.sockets(),
        onEvent: (e, index) => events.push([index, e.type]),
      }),
    );
    assert.deepEqual(
      all.map((s) => [s.target, s.transmitted, s.received, s.duplicates]),
      [
        ['192.0.2.1', 3, 3, 0],
        ['one.test', 3, 3, 0],
        ['192.0.2.1', 3, 3, 0],
      ],
    );
    assert.equal(h.network.sent.length, 9, 'three probes each');
    for (const index of [0, 1, 2]) assert.equal(events.filter(([i, t]) => i === index && t === 'reply').length, 3, `target ${index}`);
  });

  test('names resolve without holding up the targets before them; those after them start in input order', async () => {
    const h = new Harness();
    let release: (() => void) | null = null;
    const lookup = (name: string): Promise<{ address: string; family: number }> =>
      name === 'slow.test'
        ? new Promise((resolve) => (release = () => resolve({ address: '192.0.2.50', family: 4 })))
        : Promise.resolve({ address: '192.0.2.51', family: 4 });
    const seen: string[] = [];
    const run = pingEach(['192.0.2.1', 'slow.test', '192.0.2.2'], {
      retries: 0,
      timeout: 100,
      lookup,
      sockets: h.sockets(),
      onEvent: (e) => e.type === 'sent' && seen.push(e.address),
    });
    // The first target's summary comes at its timeout (100 ms), while the name still waits.
    const first = await drive(h, run.next());
    assert.equal(first.done === false && first.value.target, '192.0.2.1');
    assert.deepEqual(seen, ['192.0.2.1'], 'the literal before the name went at once; the one after it waits for it');
    (release as unknown as () => void)();
    const rest = await collect(h, run);
    assert.equal(rest.length, 2);
    assert.deepEqual(seen, ['192.0.2.1', '192.0.2.50', '192.0.2.2']);
  });

  test('the deadline ends the run: the targets read so far get their summaries (end deadline), the rest is not read', async () => {
    const h = new Harness();
    const input = counted(addressRange('10.0.0.0/16'));
    const all = await collect(h, pingEach(input.source, { retries: 0, timeout: 50, rate: 100, deadline: 1000, sockets: h.sockets() }));
    assert.ok(all.length < 300, `${all.length} summaries`);
    assert.equal(all.filter((s) => s.transmitted === 1).length, 100, '100 probes in a second at 100/s');
    assert.ok(all.every((s) => s.end === 'deadline' || (s.end === 'count' && s.transmitted === 1)));
    assert.deepEqual(
      all.map((s) => s.index).sort((a, b) => a - b),
      Array.from({ length: all.length }, (_, i) => i),
      'every target read has its summary',
    );
    assert.equal(input.closed(), true);
  });

  test('stop() from onStart: targets read so far end "stopped", the input is closed, nothing more is sent', async () => {
    const h = new Harness();
    const input = counted(addressRange('10.0.0.0/16'));
    let stop: (() => void) | null = null;
    const run = pingEach(input.source, { retries: 0, timeout: 50, rate: 100, sockets: h.sockets(), onStart: (c) => (stop = c.stop) });
    const first = await drive(h, run.next());
    assert.equal(first.done, false);
    (stop as unknown as () => void)();
    const sent = h.network.sent.length;
    const rest = await collect(h, run);
    assert.ok(rest.some((s) => s.end === 'stopped'));
    assert.equal(h.network.sent.length, sent);
    assert.equal(input.closed(), true);
  });

  test('what the input throws ends the run with that error, after the summaries of what came before', async () => {
    const h = new Harness();
    h.network.answer('192.0.2.1', 1);
    const input = (async function* () {
      yield '192.0.2.1';
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw new Error('the file went away');
    })();
    const got: string[] = [];
    await assert.rejects(
      drive(
        h,
        (async () => {
          for await (const s of pingEach(input, { count: 1, sockets: h.sockets() })) got.push(s.target);
        })(),
      ),
      /the file went away/,
    );
    assert.ok(got.length <= 1);
  });

  test('the signal aborts the run: the iteration rejects with AbortError and the input is closed', async () => {
    const h = new Harness();
    const input = counted(addressRange('10.0.0.0/16'));
    const controller = new AbortController();
    const run = pingEach(input.source, { retries: 0, timeout: 50, rate: 100, signal: controller.signal, sockets: h.sockets() });
    const first = await drive(h, run.next());
    assert.equal(first.done, false);
    controller.abort();
    await assert.rejects(collect(h, run), (e: unknown) => e instanceof AbortError);
    await drive(h, new Promise((resolve) => setImmediate(resolve)));
    assert.equal(input.closed(), true);
  });

  test('pingMany: one summary per target in the order given, a target given twice pinged twice', async () => {
    const h = new Harness();
    h.network.answer('192.0.2.1', 1);
    const all = await drive(h, pingMany(['192.0.2.1', '192.0.2.2', '192.0.2.1'], { count: 2, interval: 10, timeout: 50, sockets: h.sockets() }));
    assert.deepEqual(
      all.map((s) => [s.target, s.transmitted, s.received]),
      [
        ['192.0.2.1', 2, 2],
        ['192.0.2.2', 2, 0],
        ['192.0.2.1', 2, 2],
      ],
    );
    assert.equal(h.network.sent.length, 6);
    assert.ok(
      all.every((s) => !('index' in s)),
      'pingMany gives PingSummary objects as before',
    );
  });

  test('bad arguments are refused at the first next(), naming what is wrong', async () => {
    await assert.rejects(pingEach('192.0.2.1').next(), (e: unknown) => e instanceof OptionError && e.option === 'targets');
    await assert.rejects(pingEach(['192.0.2.1'], { order: 'random' as 'input' }).next(), (e: unknown) => e instanceof OptionError && e.option === 'order');
    await assert.rejects(pingEach(['192.0.2.1'], { reportEvery: 0 }).next(), (e: unknown) => e instanceof OptionError && e.option === 'reportEvery');
    await assert.rejects(
      pingEach(['192.0.2.1'], { onInterval: 3 as unknown as () => void }).next(),
      (e: unknown) => e instanceof OptionError && e.option === 'onInterval',
    );
  });
});

describe('pingEach: interval reports', () => {
  test('every reportEvery ms, per target in flight and in input order: the probes settled since the last report', async () => {
    const h = new Harness();
    h.network.answer('192.0.2.1', 2);
    const reports: IntervalEvent[] = [];
    await collect(
      h,
      pingEach(['192.0.2.2', '192.0.2.1'], {
        count: 5,
        interval: 400,
        timeout: 300,
        reportEvery: 1000,
        onInterval: (e) => reports.push(e),
        sockets: h.sockets(),
      }),
    );
    // Probes at 0, 400, 800, 1200, 1600. The first report at 1000 ms: the silent target's first
    // two timed out (at 300 and 700), the third is still out; the live one answered three.
    assert.deepEqual(
      reports.map((r) => [r.report, r.index, r.transmitted, r.received, r.outageMs]),
      [
        [1, 0, 2, 0, 800],
        [1, 1, 3, 3, 0],
      ],
      'the run ends at 1900 ms, before a second report',
    );
    assert.equal(reports[1]?.loss, 0);
    assert.equal(reports[0]?.rtt, null);
    assert.ok(Math.abs((reports[1]?.rtt?.avg ?? 0) - 2) < 1e-9);
  });

  test('windowed reports start again from zero; cumulative ones count from the start', async () => {
    for (const cumulative of [false, true]) {
      const h = new Harness();
      h.network.answer('192.0.2.1', 1);
      const reports: IntervalEvent[] = [];
      await collect(
        h,
        pingEach(['192.0.2.1'], { count: 5, interval: 550, reportEvery: 1000, cumulative, onInterval: (e) => reports.push(e), sockets: h.sockets() }),
      );
      // Probes at 0, 550, 1100, 1650, 2200: fping's own test (-Q 1 -p 550 -c 5) sees 2/2 and
      // then 2/2 in windows, 2/2 and 4/4 cumulatively.
      assert.deepEqual(
        reports.map((r) => [r.transmitted, r.received, r.cumulative]),
        cumulative
          ? [
              [2, 2, true],
              [4, 4, true],
            ]
          : [
              [2, 2, false],
              [2, 2, false],
            ],
      );
    }
  });
});
