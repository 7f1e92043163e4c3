// The trace's sequence and timing loop on a virtual clock, over fake paths of routers
// (test/helpers/fake-path.ts): every hop found with its address and number, Time Exceeded and
// errors matched to the probes they quote (raw sockets and the datagram socket's error queue),
// a rate-limited router at a fast interval shown as rate-limited and not as loss, a filtered
// router, real loss on a link counted from that hop on, an unreachable destination, a silent
// one, a path that changes, and the end as soon as the last round is settled.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Engine } from '../../src/pinger/engine.js';
import { runTrace } from '../../src/pinger/run-trace.js';
import type { TraceConfig } from '../../src/pinger/trace-config.js';
import type { TraceEvent, TraceHop, TraceProbeEvent, TraceRoundEvent, TraceSummary } from '../../src/pinger/trace-event.js';
import { probeGapMs } from '../../src/pinger/trace-pacing.js';
import type { ReceivedPacket, SocketLike } from '../../src/os/socket-like.js';
import { FakePath, LINUX_DEFAULT_RATE_LIMIT, type FakePathSpec } from '../helpers/fake-path.js';
import { icmpEcho } from '../helpers/packet-builders.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const V4 = { family: 4 as const, source: '10.0.1.2', destination: '10.0.9.2', routers: ['10.0.1.1', '10.0.2.1', '10.0.3.1'] };
const V6 = { family: 6 as const, source: 'fd00:1::2', destination: 'fd00:9::2', routers: ['fd00:1::1', 'fd00:2::1', 'fd00:3::1'] };

const CONFIG: TraceConfig = { rounds: 10, intervalMs: 1000, timeoutMs: 1000, firstHop: 1, maxHops: 30, size: 56 };

interface Traced {
  summary: TraceSummary;
  events: TraceEvent[];
  path: FakePath;
  clock: VirtualClock;
}

/** Runs a trace over `spec` to its end on a virtual clock. */
async function traced(spec: FakePathSpec, config: Partial<TraceConfig> = {}, stopAtMs?: number): Promise<Traced> {
  const clock = new VirtualClock();
  const path = new FakePath(clock, spec);
  const engine = new Engine({ openSocket: path.open, clock, identifier: 0x1234 });
  const events: TraceEvent[] = [];
  const running = runTrace({
    engine,
    target: { target: spec.destination, address: spec.destination, family: spec.family, scopeId: 0 },
    config: { ...CONFIG, ...config },
    socket: { mode: spec.kind },
    emit: (e) => events.push(e),
  });
  for (let steps = 0; !running.session.ended && steps < 1e6; steps++) {
    if (stopAtMs !== undefined && clock.now() >= stopAtMs) running.session.stop();
    else if (!clock.advanceToNext()) break;
  }
  return { summary: await running.done, events, path, clock };
}

function chain(base: typeof V4 | typeof V6, kind: 'raw' | 'dgram', extra: Partial<FakePathSpec> = {}): FakePathSpec {
  return { family: base.family, kind, source: base.source, destination: base.destination, routers: base.routers.map((address) => ({ address })), ...extra };
}

const probes = (events: TraceEvent[]): TraceProbeEvent[] => events.filter((e): e is TraceProbeEvent => e.type === 'hop');
const addresses = (hop: TraceHop): string[] => hop.addresses.map((a) => a.address);

for (const base of [V4, V6]) {
  for (const kind of ['raw', 'dgram'] as const) {
    describe(`a trace over IPv${base.family} ${kind} sockets`, () => {
      test('finds every router and the destination, by hop number, and counts every probe', async () => {
        const { summary, events } = await traced(chain(base, kind));
        assert.equal(summary.end, 'count');
        assert.equal(summary.reached, true);
        assert.equal(summary.rounds, 10);
        assert.deepEqual(
          summary.hops.map((h) => [h.hop, addresses(h)]),
          [...base.routers.map((r, i) => [i + 1, [r]]), [4, [base.destination]]],
        );
        for (const hop of summary.hops) {
          assert.deepEqual([hop.sent, hop.received, hop.lost, hop.limited, hop.loss], [10, 10, 0, 0, 0], `hop ${hop.hop}`);
          assert.ok(hop.rtt !== null && hop.rtt.min > 0 && hop.lastMs !== null);
          assert.deepEqual(hop.errors, []);
        }
        assert.deepEqual(
          summary.hops.map((h) => h.destination),
          [false, false, false, true],
        );
        // The farther the hop, the longer the round trip on this path (0.1 ms a hop).
        const rtts = summary.hops.map((h) => h.rtt?.avg ?? 0);
        assert.deepEqual(
          rtts.map((r) => Math.round(r * 10) / 10),
          [0.1, 0.2, 0.3, 0.4],
        );
        const kinds = probes(events).filter((e) => e.round === 1);
        assert.deepEqual(
          kinds.map((e) => [e.hop, e.status, e.from]),
          [
            [1, 'time-exceeded', base.routers[0]],
            [2, 'time-exceeded', base.routers[1]],
            [3, 'time-exceeded', base.routers[2]],
            [4, 'reply', base.destination],
          ],
        );
        assert.equal(events.filter((e) => e.type === 'round').length, 10);
        assert.equal(events.at(-1)?.type, 'summary');
      });

      test('sends nothing beyond the destination once its answer is in, and the last round ends when it is answered', async () => {
        const { path, summary, clock } = await traced(chain(base, kind), { rounds: 3, intervalMs: 200 });
        assert.deepEqual(
          path.sent.map((p) => p.hopLimit),
          [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4],
        );
        // The last probe went at 400 ms + 3 gaps; its answer came 0.4 ms later, and that was the end.
        const lastSent = (path.sent.at(-1) as { atMs: number }).atMs;
        assert.equal(lastSent, 400 + 3 * probeGapMs({ ...CONFIG, intervalMs: 200 }));
        assert.ok(Math.abs(clock.now() - (lastSent + 0.4)) < 1e-9, `ended at ${clock.now()}`);
        assert.equal(summary.hops.length, 4);
      });

      test("routers with Linux's default rate limit, at 0.2 s: probed as often as they answer, so no probe is lost", async () => {
        const spec = chain(base, kind);
        spec.routers = spec.routers.map((r) => ({ ...r, rateLimit: LINUX_DEFAULT_RATE_LIMIT }));
        const { summary, path, events } = await traced(spec, { intervalMs: 200 });
        // Each router gets its burst of six, then one more after a second (round 7); the
        // destination, whose echo replies no limit touches, every round.
        assert.deepEqual(
          summary.hops.map((h) => [h.hop, h.sent, h.received, h.limited, h.loss]),
          [
            [1, 7, 7, 0, 0],
            [2, 7, 7, 0, 0],
            [3, 7, 7, 0, 0],
            [4, 10, 10, 0, 0],
          ],
        );
        assert.deepEqual(path.answers, [7, 7, 7]);
        assert.deepEqual(
          [
            ...new Set(
              probes(events)
                .filter((e) => e.hop === 1)
                .map((e) => e.round),
            ),
          ],
          [1, 2, 3, 4, 5, 6, 7],
        );
      });

      test('routers with a stricter limit, at 0.2 s: their silences are rate-limited, not lost, while the destination answers', async () => {
        const spec = chain(base, kind);
        spec.routers = spec.routers.map((r) => ({ ...r, rateLimit: { costMs: 3000, burst: 6 } }));
        const { summary, events, path, clock } = await traced(spec, { intervalMs: 200 });
        // Six answers each, then nothing for three seconds: round 7's probes go unanswered.
        assert.deepEqual(path.answers, [6, 6, 6]);
        assert.deepEqual(
          summary.hops.map((h) => [h.hop, h.sent, h.received, h.limited, h.lost, h.loss]),
          [
            [1, 7, 6, 1, 0, 0],
            [2, 7, 6, 1, 0, 0],
            [3, 7, 6, 1, 0, 0],
            [4, 10, 10, 0, 0, 0],
          ],
        );
        const silent = probes(events).filter((e) => e.status === 'silent');
        assert.deepEqual(
          silent.map((e) => [e.round, e.hop, e.laterReplied]),
          [
            [7, 1, true],
            [7, 2, true],
            [7, 3, true],
          ],
        );
        // Round 7's silent routers were given up ten of the destination's round trips
        // (0.4 ms) after its answer, not a timeout (1 s) later: round 7 was over before round
        // 8 began, and the trace ended with its last round.
        assert.deepEqual(
          events.filter((e): e is TraceRoundEvent => e.type === 'round').map((e) => e.round),
          [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        );
        const lastSent = (path.sent.at(-1) as { atMs: number }).atMs;
        assert.equal(lastSent, 1800 + 3 * probeGapMs({ ...CONFIG, intervalMs: 200 }));
        assert.ok(Math.abs(clock.now() - (lastSent + 0.4)) < 1e-9, `ended ${clock.now() - lastSent} ms after the last probe`);
      });

      test('at the default interval, one probe a second per hop: a rate-limited router answers every one', async () => {
        const spec = chain(base, kind);
        spec.routers = spec.routers.map((r) => ({ ...r, rateLimit: LINUX_DEFAULT_RATE_LIMIT }));
        const { summary } = await traced(spec, { rounds: 20 });
        for (const hop of summary.hops) assert.deepEqual([hop.sent, hop.received], [20, 20], `hop ${hop.hop}`);
      });

      test('a router that answers nothing: shown with no address, its silence not counted as loss', async () => {
        const spec = chain(base, kind);
        (spec.routers[1] as { filtered?: boolean }).filtered = true;
        const { summary } = await traced(spec, { rounds: 5, intervalMs: 500 });
        const hop2 = summary.hops[1] as TraceHop;
        assert.deepEqual([hop2.hop, addresses(hop2), hop2.sent, hop2.received, hop2.limited, hop2.loss], [2, [], 5, 0, 5, 0]);
        assert.deepEqual(
          summary.hops.map((h) => h.loss),
          [0, 0, 0, 0],
        );
        assert.equal(summary.reached, true);
      });

      test('real loss on a link: counted at that hop and every hop after it, not before', async () => {
        // A third of the 36 probes that cross the link into hop 2 are dropped: 3 of hop 2's
        // twelve (n % 3 === 0), 5 of hop 3's, 4 of the destination's.
        const dropped = new Set([3, 12, 33, 1, 4, 19, 22, 25, 8, 14, 17, 29]);
        const { summary } = await traced(chain(base, kind, { drop: (hop, n) => hop === 2 && dropped.has(n) }), { rounds: 12 });
        // Hop 2's three are loss (every hop after it lost as many), one of hop 3's five is its
        // own silence (the destination lost only four).
        assert.deepEqual(
          summary.hops.map((h) => [h.lost, h.limited]),
          [
            [0, 0],
            [3, 0],
            [4, 1],
            [4, 0],
          ],
        );
      });

      test('an unreachable destination: the trace ends at the router that says so, with its mark', async () => {
        const spec = chain(base, kind);
        (spec.routers[2] as { error?: unknown }).error = base.family === 4 ? { type: 3, code: 1 } : { type: 1, code: 3 };
        const { summary, path } = await traced(spec, { rounds: 3, intervalMs: 300 });
        assert.equal(summary.reached, false);
        assert.deepEqual(
          summary.hops.map((h) => h.hop),
          [1, 2, 3],
        );
        const last = summary.hops[2] as TraceHop;
        assert.deepEqual(addresses(last), [base.routers[2]]);
        assert.deepEqual(
          last.errors.map((e) => [e.mark, e.count]),
          [['!H', 3]],
        );
        assert.match(last.errors[0]?.reason ?? '', base.family === 4 ? /^Destination Host Unreachable$/ : /^Destination unreachable: Address unreachable$/);
        assert.ok(
          path.sent.every((p) => p.hopLimit <= 3),
          'no probe beyond the router that answered for the destination',
        );
      });

      test('a destination that does not answer: the routers, then one silent hop, and nothing beyond', async () => {
        const { summary, path } = await traced(chain(base, kind, { silentDestination: true }), { rounds: 3, intervalMs: 1000, maxHops: 8 });
        assert.equal(summary.reached, false);
        assert.deepEqual(
          summary.hops.map((h) => [h.hop, addresses(h), h.received]),
          [
            [1, [base.routers[0]], 3],
            [2, [base.routers[1]], 3],
            [3, [base.routers[2]], 3],
            [4, [], 0],
          ],
        );
        assert.equal(summary.hops[3]?.loss, 100);
        // Every round looks as far as -m allows, for a destination that may answer later.
        assert.equal(path.sent.length, 3 * 8);
      });

      test('a path that changes half-way: two addresses for the hop, each with its share', async () => {
        const spec = chain(base, kind);
        const other = base.family === 4 ? '10.0.20.1' : 'fd00:20::1';
        (spec.routers[1] as { address: unknown }).address = (now: number) => (now < 4500 ? (base.routers[1] as string) : other);
        const { summary } = await traced(spec, { rounds: 10 });
        assert.deepEqual(summary.hops[1]?.addresses, [
          { address: base.routers[1], replies: 5 },
          { address: other, replies: 5 },
        ]);
        assert.deepEqual(
          summary.hops.map((h) => h.addresses.length),
          [1, 2, 1, 1],
        );
      });

      test('a path that grows a hop: the round that meets the new router goes on to the destination', async () => {
        const spec = chain(base, kind);
        const newcomer = base.family === 4 ? '10.0.4.1' : 'fd00:4::1';
        spec.routers = [...spec.routers.slice(0, 2), { address: newcomer, joinsAtMs: 2500 }];
        const { summary } = await traced(spec, { rounds: 6 });
        // Rounds 1-3: the destination at hop 3; from round 4 on, the newcomer there and the
        // destination at hop 4, probed in round 4 already.
        assert.deepEqual(
          summary.hops.map((h) => [h.hop, addresses(h), h.sent]),
          [
            [1, [base.routers[0]], 6],
            [2, [base.routers[1]], 6],
            [3, [base.destination, newcomer], 6],
            [4, [base.destination], 3],
          ],
        );
      });

      test('stop() ends it at once with the figures so far', async () => {
        const { summary, events } = await traced(chain(base, kind), { rounds: Infinity }, 2500);
        assert.equal(summary.end, 'stopped');
        assert.equal(summary.rounds, 3);
        assert.equal(events.filter((e) => e.type === 'summary').length, 1);
        assert.ok(summary.hops.every((h) => h.sent === 3));
      });
    });
  }
}

describe('what a trace sends', () => {
  test('one flow: the identifier and the checksum are the same in every probe, only the sequence differs', async () => {
    const { path } = await traced(chain(V4, 'raw'), { rounds: 4, intervalMs: 100 });
    const fixed = new Set(path.sent.map((p) => Array.from(p.bytes.subarray(0, 6)).join(',')));
    assert.equal(fixed.size, 1, 'type, code, checksum and identifier');
    assert.equal(new Set(path.sent.map((p) => p.sequence)).size, path.sent.length);
  });

  test('the first hop given is the first probed; hops below it are neither probed nor shown', async () => {
    const { summary, path } = await traced(chain(V4, 'raw'), { rounds: 2, firstHop: 3 });
    assert.ok(path.sent.every((p) => p.hopLimit >= 3));
    assert.deepEqual(
      summary.hops.map((h) => [h.hop, addresses(h)]),
      [
        [3, [V4.routers[2]]],
        [4, [V4.destination]],
      ],
    );
  });

  test('a round event per round carries the table so far', async () => {
    const { events } = await traced(chain(V4, 'raw'), { rounds: 3 });
    const rounds = events.filter((e): e is TraceRoundEvent => e.type === 'round');
    assert.deepEqual(
      rounds.map((r) => [r.round, r.reached, r.hops.map((h) => h.sent).join(',')]),
      [
        [1, true, '1,1,1,1'],
        [2, true, '2,2,2,2'],
        [3, true, '3,3,3,3'],
      ],
    );
  });

  test('a slow answer past the timeout is not counted, and the run still ends one timeout after the last probe', async () => {
    const { summary, clock, path } = await traced(chain(V4, 'raw', { linkMs: 300 }), { rounds: 2, timeoutMs: 1000 });
    // Hops 1 (600 ms) answer in time; hops 2 and beyond (1200 ms and more) do not.
    assert.deepEqual(
      summary.hops.map((h) => [h.hop, h.received]),
      [
        [1, 2],
        [2, 0],
      ],
    );
    const lastSent = (path.sent.at(-1) as { atMs: number }).atMs;
    assert.ok(Math.abs(clock.now() - (lastSent + 1000)) < 1e-9, `ended ${clock.now() - lastSent} ms after the last probe`);
  });
});

describe('what a trace takes as an answer', () => {
  test("an echo reply with the right identifier, sequence and cookie from another host is not the destination's", async () => {
    const clock = new VirtualClock();
    const path = new FakePath(clock, { ...chain(V4, 'dgram'), silentDestination: true });
    let socket: (SocketLike & { deliver(p: Omit<ReceivedPacket, 'scopeId' | 'ttl' | 'truncated' | 'wireLength'>): void }) | undefined;
    const engine = new Engine({ openSocket: (f, spec, id) => (socket = path.open(f, spec, id) as typeof socket & SocketLike), clock, identifier: 0x1234 });
    const running = runTrace({
      engine,
      target: { target: V4.destination, address: V4.destination, family: 4, scopeId: 0 },
      config: { ...CONFIG, rounds: 1, maxHops: 4 },
      socket: { mode: 'dgram' },
      emit: () => {},
    });
    clock.advance(100);
    const probe = path.sent.find((p) => p.hopLimit === 4) as { bytes: Uint8Array };
    const reply = icmpEcho(
      0,
      (probe.bytes[4] as number) * 256 + (probe.bytes[5] as number),
      (probe.bytes[6] as number) * 256 + (probe.bytes[7] as number),
      probe.bytes.subarray(8),
    );
    socket?.deliver({ bytes: reply, source: '10.0.9.3', recvNs: clock.now() * 1e6, errorQueue: null });
    for (let i = 0; i < 100 && !running.session.ended; i++) clock.advanceToNext();
    const summary = await running.done;
    assert.equal(summary.reached, false);
    assert.ok(summary.hops.every((h) => !h.destination && h.addresses.every((a) => a.address !== '10.0.9.3')));
    assert.equal(engine.counters.foreign, 1);
  });
});
