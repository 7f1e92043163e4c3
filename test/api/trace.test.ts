// trace() and traceEvents() through the public API, on a fake path of routers and a virtual
// clock (the `sockets` seam): the hops come back with their figures, the events come in order
// and end with the summary, stop() and AbortSignal end the trace, bad options are refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { trace } from '../../src/api/trace.js';
import { traceEvents } from '../../src/api/trace-events.js';
import { AbortError, OptionError, ResolveError } from '../../src/errors.js';
import type { TraceEvent } from '../../src/pinger/trace-event.js';
import { socketSetOn, type SocketSet } from '../../src/runtime/socket-set.js';
import { drive } from '../helpers/drive.js';
import { FakePath } from '../helpers/fake-path.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const DESTINATION = '10.0.9.2';
const ROUTERS = ['10.0.1.1', '10.0.2.1'];

function setup(): { clock: VirtualClock; path: FakePath; sockets: SocketSet } {
  const clock = new VirtualClock();
  const path = new FakePath(clock, { family: 4, kind: 'raw', source: '10.0.1.2', destination: DESTINATION, routers: ROUTERS.map((address) => ({ address })) });
  return { clock, path, sockets: socketSetOn({ openSocket: path.open, clock }, { mode: 'auto' }, [4]) };
}

async function collect(clock: VirtualClock, run: AsyncIterable<TraceEvent>, stopAfter?: (e: TraceEvent) => boolean): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  const loop = (async () => {
    for await (const e of run) {
      events.push(e);
      if (stopAfter?.(e) === true) break;
    }
  })();
  await drive({ clock }, loop);
  return events;
}

describe('trace()', () => {
  test('resolves with every hop and its figures', async () => {
    const { clock, sockets } = setup();
    const summary = await drive({ clock }, trace(DESTINATION, { rounds: 3, roundInterval: 100, sockets }));
    assert.deepEqual(
      summary.hops.map((h) => [h.hop, h.addresses.map((a) => a.address), h.sent, h.received, h.loss, h.destination]),
      [
        [1, [ROUTERS[0]], 3, 3, 0, false],
        [2, [ROUTERS[1]], 3, 3, 0, false],
        [3, [DESTINATION], 3, 3, 0, true],
      ],
    );
    assert.deepEqual(
      [summary.target, summary.address, summary.family, summary.reached, summary.rounds, summary.end],
      [DESTINATION, DESTINATION, 4, true, 3, 'count'],
    );
  });

  test('a name goes through the lookup given', async () => {
    const { clock, sockets } = setup();
    const lookup = (name: string): Promise<{ address: string; family: number }> =>
      name === 'far.test' ? Promise.resolve({ address: DESTINATION, family: 4 }) : Promise.reject(Object.assign(new Error('no'), { code: 'ENOTFOUND' }));
    const summary = await drive({ clock }, trace('far.test', { rounds: 1, sockets, lookup }));
    assert.deepEqual([summary.target, summary.address, summary.reached], ['far.test', DESTINATION, true]);
    await assert.rejects(trace('near.test', { sockets, lookup }), ResolveError);
  });

  test('an abort rejects with AbortError', async () => {
    const { clock, sockets } = setup();
    const controller = new AbortController();
    const work = trace(DESTINATION, { rounds: Infinity, sockets, signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await assert.rejects(drive({ clock }, work), AbortError);
  });

  test('bad input: unknown keys, ranges, broadcast targets, a set without the family', async () => {
    const { sockets } = setup();
    await assert.rejects(trace(DESTINATION, { maxhops: 3 } as never), (e: unknown) => e instanceof OptionError && /did you mean 'maxHops'/.test(e.message));
    await assert.rejects(trace(DESTINATION, { maxHops: 0 }), (e: unknown) => e instanceof OptionError && e.option === 'maxHops');
    await assert.rejects(trace(DESTINATION, { firstHop: 4, maxHops: 3 }), (e: unknown) => e instanceof OptionError && e.option === 'firstHop');
    await assert.rejects(
      trace('255.255.255.255', { sockets }),
      (e: unknown) =>
        e instanceof OptionError && e.option === 'target' && /broadcast or multicast address: a trace follows the path to one host/.test(e.message),
    );
    await assert.rejects(trace('fd00::1', { sockets }), (e: unknown) => e instanceof OptionError && /needs an IPv6 socket/.test(e.message));
  });
});

describe('traceEvents()', () => {
  test("a 'hop' per probe, a 'round' per round, the 'summary' last, then the end", async () => {
    const { clock, sockets } = setup();
    const events = await collect(clock, traceEvents(DESTINATION, { rounds: 2, roundInterval: 100, sockets }));
    assert.deepEqual(
      events.map((e) => (e.type === 'hop' ? `hop ${e.round}.${e.hop} ${e.status}` : e.type === 'round' ? `round ${e.round}` : e.type)),
      [
        'hop 1.1 time-exceeded',
        'hop 1.2 time-exceeded',
        'hop 1.3 reply',
        'round 1',
        'hop 2.1 time-exceeded',
        'hop 2.2 time-exceeded',
        'hop 2.3 reply',
        'round 2',
        'summary',
      ],
    );
  });

  test('stop(): the events end with the summary so far', async () => {
    const { clock, sockets } = setup();
    const run = traceEvents(DESTINATION, { rounds: Infinity, roundInterval: 100, sockets });
    const events = await collect(clock, run, (e) => {
      if (e.type === 'round' && e.round === 2) run.stop();
      return false;
    });
    const last = events.at(-1);
    assert.ok(last?.type === 'summary');
    assert.deepEqual([last.summary.end, last.summary.rounds], ['stopped', 2]);
    assert.equal((await run.done).end, 'stopped');
  });

  test('leaving the loop early stops the trace', async () => {
    const { clock, sockets, path } = setup();
    const run = traceEvents(DESTINATION, { rounds: Infinity, roundInterval: 100, sockets });
    await collect(clock, run, (e) => e.type === 'round');
    const summary = await drive({ clock }, run.done);
    assert.equal(summary.end, 'stopped');
    const sent = path.sent.length;
    clock.advance(10_000);
    assert.equal(path.sent.length, sent, 'nothing sent after the loop was left');
  });

  test('an abort makes the loop throw AbortError, and bad options throw at the first step', async () => {
    const { clock, sockets } = setup();
    const controller = new AbortController();
    const run = traceEvents(DESTINATION, { rounds: Infinity, sockets, signal: controller.signal });
    await assert.rejects(
      collect(clock, run, (e) => {
        if (e.type === 'round') controller.abort();
        return false;
      }),
      AbortError,
    );
    await assert.rejects(collect(clock, traceEvents(DESTINATION, { rounds: -1 })), OptionError);
  });
});
