// Property-based fuzzing of a trace's receive path (docs/hostile-inputs.md #1-#18, as they
// apply to a trace): an Engine with a running TraceSession over a fake path, fed, between the
// real answers, arbitrary datagrams from arbitrary sources at arbitrary times: random bytes,
// and mutations (flipped bytes, cuts) of Time Exceeded, Destination Unreachable and echo
// replies quoting the trace's real probes, on raw and datagram sockets (error-queue entries
// included). Whatever arrives, nothing throws and the figures stay consistent: every hop's
// probes are answered or silent, never both, loss in 0..100, RTTs finite and not negative,
// only the destination's own echo replies count as its answers, and every address shown is an
// address of the trace's family (an ICMP error quoting a real probe may come from anyone, as a
// router's answer does: who sent it is what a trace reports).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ipVersion } from '../../src/packet/address.js';
import type { ReceivedPacket, SocketLike } from '../../src/os/socket-like.js';
import { Engine } from '../../src/pinger/engine.js';
import { runTrace } from '../../src/pinger/run-trace.js';
import type { TraceSummary } from '../../src/pinger/trace-event.js';
import { FakePath, type SentProbe } from '../helpers/fake-path.js';
import { concat, icmpEcho, icmpMessage, icmpv6Echo, icmpv6Message, ipv4Datagram, ipv6Packet, NH_ICMPV6, rest32 } from '../helpers/packet-builders.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const RUNS = Number(process.env.RAWPING_FUZZ_RUNS ?? 150);
const SEED = process.env.RAWPING_FUZZ_SEED !== undefined ? Number(process.env.RAWPING_FUZZ_SEED) : undefined;
const PARAMS = { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) };

const PATHS = {
  4: { source: '10.0.1.2', destination: '10.0.9.2', routers: ['10.0.1.1', '10.0.2.1'], strangers: ['198.51.100.7', '0.0.0.0', '10.0.9.3'] },
  6: { source: 'fd00:1::2', destination: 'fd00:9::2', routers: ['fd00:1::1', 'fd00:2::1'], strangers: ['2001:db8::99', '::', 'fd00:9::3'] },
} as const;

interface Forged {
  at: number;
  kind: 'random' | 'time-exceeded' | 'unreachable' | 'reply';
  /** Which probe sent so far it quotes (modulo their number). */
  probe: number;
  from: number;
  bytes: Uint8Array;
  flips: { at: number; value: number }[];
  cut: number;
  queued: boolean;
}

const forged: fc.Arbitrary<Forged> = fc.record({
  at: fc.integer({ min: 0, max: 2500 }),
  kind: fc.constantFrom('random', 'time-exceeded', 'unreachable', 'reply'),
  probe: fc.nat(),
  from: fc.nat(),
  bytes: fc.uint8Array({ maxLength: 120 }),
  flips: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 3 }),
  cut: fc.nat(),
  queued: fc.boolean(),
});

/** The datagram `f` stands for, given the probes sent so far, as `socket` would hand it over. */
function datagram(f: Forged, family: 4 | 6, socket: SocketLike, sent: readonly SentProbe[], nowMs: number): ReceivedPacket {
  const p = PATHS[family];
  const sources = [...p.routers, p.destination, ...p.strangers];
  const from = sources[f.from % sources.length] as string;
  const probe = sent.length > 0 ? sent[f.probe % sent.length] : undefined;
  let bytes: Uint8Array = f.bytes;
  let errorQueue: ReceivedPacket['errorQueue'] = null;
  if (f.kind !== 'random' && probe !== undefined) {
    const request = probe.bytes;
    if (f.kind === 'reply') {
      const id = ((request[4] as number) << 8) | (request[5] as number);
      const seq = ((request[6] as number) << 8) | (request[7] as number);
      bytes = family === 4 ? icmpEcho(0, id, seq, request.subarray(8)) : icmpv6Echo(129, id, seq, request.subarray(8));
      if (family === 4 && socket.kind === 'raw') bytes = ipv4Datagram({ source: from, destination: p.source }, bytes);
    } else {
      const [type, code] = f.kind === 'time-exceeded' ? (family === 4 ? [11, 0] : [3, 0]) : family === 4 ? [3, 1] : [1, 3];
      if (socket.kind === 'dgram' && f.queued) {
        bytes = request;
        errorQueue = { errno: 113, origin: family === 4 ? 2 : 3, type, code, info: 0, offender: from };
      } else if (family === 4) {
        const quoted = ipv4Datagram({ source: p.source, destination: p.destination, ttl: 1 }, request);
        bytes = ipv4Datagram({ source: from, destination: p.source }, icmpMessage(type, code, rest32(0), quoted));
      } else {
        bytes = icmpv6Message(type, code, rest32(0), concat(ipv6Packet({ source: p.source, destination: p.destination, hopLimit: 1 }, [], NH_ICMPV6, request)));
      }
    }
  }
  bytes = Uint8Array.from(bytes);
  for (const flip of f.flips) if (bytes.length > 0) bytes[flip.at % bytes.length] = flip.value;
  if (f.cut % 4 === 0 && bytes.length > 0) bytes = bytes.subarray(0, f.cut % bytes.length);
  return {
    bytes,
    source: errorQueue !== null ? p.destination : from,
    scopeId: 0,
    recvNs: nowMs * 1e6,
    ttl: 64,
    truncated: false,
    wireLength: bytes.length,
    errorQueue,
  };
}

function checkSummary(s: TraceSummary, family: 4 | 6): void {
  const p = PATHS[family];
  for (const h of s.hops) {
    assert.ok(h.sent >= 0 && h.received >= 0 && h.received <= h.sent, JSON.stringify(h));
    assert.equal(h.lost + h.limited, h.sent - h.received, JSON.stringify(h));
    assert.ok(h.lost >= 0 && h.limited >= 0);
    assert.ok(h.loss >= 0 && h.loss <= 100 && !Number.isNaN(h.loss));
    assert.equal(
      h.addresses.reduce((n, a) => n + a.replies, 0),
      h.received,
    );
    for (const a of h.addresses) assert.equal(ipVersion(a.address), family, `hop ${h.hop} shows ${a.address}`);
    if (h.destination)
      assert.ok(
        h.addresses.some((a) => a.address === p.destination),
        JSON.stringify(h),
      );
    if (h.rtt !== null)
      for (const v of [h.rtt.min, h.rtt.avg, h.rtt.max, h.rtt.mdev, h.rtt.jitter]) assert.ok(Number.isFinite(v) && v >= 0, JSON.stringify(h.rtt));
  }
  assert.ok(s.rounds <= 4);
}

describe('the trace receive path, fuzzed', () => {
  for (const family of [4, 6] as const) {
    for (const kind of ['raw', 'dgram'] as const) {
      test(`IPv${family} ${kind}: arbitrary datagrams between the real answers never throw, the figures stay whole`, async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(forged, { maxLength: 25 }), async (list) => {
            const clock = new VirtualClock();
            const p = PATHS[family];
            const path = new FakePath(clock, {
              family,
              kind,
              source: p.source,
              destination: p.destination,
              routers: p.routers.map((address) => ({ address })),
            });
            let socket: SocketLike | undefined;
            const engine = new Engine({
              openSocket: (f, spec, id) => (socket = path.open(f, spec, id)),
              clock,
              identifier: 0x1234,
            });
            const running = runTrace({
              engine,
              target: { target: p.destination, address: p.destination, family, scopeId: 0 },
              config: { rounds: 4, intervalMs: 500, timeoutMs: 300, firstHop: 1, maxHops: 6, size: 24 },
              socket: { mode: kind },
              emit: () => {},
            });
            for (const f of list) {
              clock.setTimer(() => {
                const s = socket as SocketLike & { deliver(p: ReceivedPacket): void };
                s.deliver(datagram(f, family, s, path.sent, clock.now()));
              }, f.at);
            }
            for (let steps = 0; !running.session.ended && steps < 100_000; steps++) if (!clock.advanceToNext()) break;
            checkSummary(await running.done, family);
          }),
          PARAMS,
        );
      });
    }
  }
});
