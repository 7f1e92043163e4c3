// Property-based fuzzing of the pinger's receive path (docs/hostile-inputs.md #1-#18, as one property):
// an Engine over the fake socket with a running session, fed arbitrary datagrams from
// arbitrary sources at arbitrary times: random bytes, and mutations (flipped bytes, cuts,
// extensions, random IHL / IP options, random type and code, stale or future stamps) of
// real echo replies and of ICMP / ICMPv6 errors quoting the real probes, on raw and datagram
// sockets (error-queue entries included). Whatever arrives:
//   - nothing throws;
//   - the figures stay consistent: received <= transmitted, loss in 0..100, no negative
//     counter, no NaN, RTTs finite within 0..timeout;
//   - a 'reply' is only ever reported for a datagram that an independent oracle (the pure
//     decoder plus the matching rules: identifier, source, a sequence actually sent, the
//     cookie, a good checksum, a stamp within the timeout) calls a reply to a real probe,
//     and each probe is answered at most once.
// The decoders themselves are fuzzed for totality on the same inputs.
//
// `npm run fuzz` runs this file longer: RAWPING_FUZZ_RUNS (runs per property), RAWPING_FUZZ_SEED
// (fast-check seed, for reproduction) and RAWPING_FUZZ_REPORT (a file that gets the number of
// datagrams fuzzed, as JSON) tune it. The defaults keep it to a few seconds in npm test.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { decodeReceived } from '../../src/packet/decode-received.js';
import type { PingEvent, PingSummary, ReplyEvent } from '../../src/pinger/ping-event.js';
import type { ReceivedPacket } from '../../src/os/socket-like.js';
import { echoReplyFor, icmpErrorFor, withIpv4Header, type FakeSocket, type SentPacket } from '../helpers/fake-network.js';
import { concat, icmpv6Message, ipv6Packet, NH_ICMPV6, rest32, withIcmpChecksum } from '../helpers/packet-builders.js';
import { config, Harness, target } from '../helpers/pinger-harness.js';

const RUNS = Number(process.env.RAWPING_FUZZ_RUNS ?? 300);
const SEED = process.env.RAWPING_FUZZ_SEED !== undefined ? Number(process.env.RAWPING_FUZZ_SEED) : undefined;
const PARAMS = { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) };

const V4 = ['192.0.2.10', '192.0.2.11'];
const HOST4 = V4[0] as string;
const V6 = ['2001:db8::10'];
const TARGETS = [...V4, ...V6];
const STRANGERS = ['198.51.100.7', '', 'not an address', '::ffff:192.0.2.10', '2001:db8::99', '0.0.0.0', '192.0.2.10 '];
const TIMEOUT_MS = 60;
const IDENTIFIER = 0x1234; // the harness engine's

let datagrams = 0;
let replies = 0;
// With RAWPING_FUZZ_REPORT (npm run fuzz), how much was tried goes to that file.
after(() => {
  if (process.env.RAWPING_FUZZ_REPORT !== undefined) {
    writeFileSync(process.env.RAWPING_FUZZ_REPORT, JSON.stringify({ datagrams, replies, runs: RUNS, seed: SEED ?? null }));
  }
});

// ---- what gets delivered ----------------------------------------------------------------

type Base =
  | { kind: 'random'; bytes: Uint8Array }
  | { kind: 'reply'; probe: number }
  | { kind: 'error'; probe: number; type: number; code: number; quote: number; rest: number }
  | { kind: 'queued'; probe: number; origin: number; type: number; code: number; info: number };

type Mutation =
  | { op: 'flip'; at: number; value: number }
  | { op: 'cut'; keep: number }
  | { op: 'extend'; bytes: Uint8Array }
  | { op: 'ihl'; value: number }
  | { op: 'type'; type: number; code: number }
  | { op: 'checksum' };

interface Delivery {
  /** Which socket it arrives on. */
  family: 4 | 6;
  base: Base;
  mutations: Mutation[];
  /** Index into TARGETS (the probe's own address or another target) or STRANGERS (negative). */
  source: number;
  /** Advance the virtual clock this much before delivering, ms. */
  advanceMs: number;
  /** Receive stamp relative to now, ms (null: now). */
  stampMs: number | null;
  truncated: boolean;
}

const base: fc.Arbitrary<Base> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 160 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('reply' as const), probe: fc.nat(40) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('error' as const),
      probe: fc.nat(40),
      type: fc.oneof(fc.constantFrom(1, 2, 3, 4, 5, 11, 12, 137), fc.integer({ min: 0, max: 255 })),
      code: fc.oneof(fc.nat(16), fc.integer({ min: 0, max: 255 })),
      quote: fc.integer({ min: 0, max: 80 }),
      rest: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('queued' as const),
      probe: fc.nat(40),
      origin: fc.integer({ min: 0, max: 4 }),
      type: fc.integer({ min: 0, max: 255 }),
      code: fc.integer({ min: 0, max: 255 }),
      info: fc.nat(),
    }),
  },
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(200), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('cut' as const), keep: fc.nat(120) }),
  fc.record({ op: fc.constant('extend' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ op: fc.constant('ihl' as const), value: fc.integer({ min: 0, max: 15 }) }),
  fc.record({ op: fc.constant('type' as const), type: fc.integer({ min: 0, max: 255 }), code: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('checksum' as const) }),
);

const delivery: fc.Arbitrary<Delivery> = fc.record({
  family: fc.constantFrom(4 as const, 6 as const),
  base,
  // Often pristine: a real reply must be able to count among the noise.
  mutations: fc.oneof({ weight: 2, arbitrary: fc.constant<Mutation[]>([]) }, { weight: 3, arbitrary: fc.array(mutation, { maxLength: 4 }) }),
  source: fc.oneof(
    { weight: 5, arbitrary: fc.constant(0) },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: TARGETS.length - 1 }) },
    { weight: 2, arbitrary: fc.integer({ min: -STRANGERS.length, max: -1 }) },
  ),
  advanceMs: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 25, noNaN: true })),
  stampMs: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) }),
  truncated: fc.boolean(),
});

// ---- building the datagram ---------------------------------------------------------------

/** An ICMPv6 error from `from` quoting the IPv6 probe `probe` with `quote` bytes of its ICMPv6 part. */
function icmpv6ErrorFor(probe: SentPacket, type: number, code: number, quote: number, rest: number): Uint8Array {
  const inner = ipv6Packet({ source: '2001:db8::1', destination: probe.address }, [], NH_ICMPV6, probe.bytes.subarray(0, Math.min(quote, probe.bytes.length)));
  return icmpv6Message(type, code, rest32(rest), inner);
}

/** The bytes (as the socket would hand them over) and the packet fields for one delivery. */
function build(d: Delivery, sent: readonly SentPacket[], socket: FakeSocket, nowMs: number): ReceivedPacket | null {
  const family = socket.family;
  const mine = sent.filter((p) => p.family === family);
  const sourceOf = (probe: SentPacket | undefined): string => {
    if (d.source < 0) return STRANGERS[-d.source - 1] as string;
    if (d.source === 0 && probe !== undefined) return probe.address;
    return TARGETS[d.source] as string;
  };
  let icmp: Uint8Array;
  let probe: SentPacket | undefined;
  let errorQueue: ReceivedPacket['errorQueue'] = null;
  const b = d.base;
  if (b.kind === 'random') {
    icmp = Uint8Array.from(b.bytes);
  } else {
    probe = mine[b.probe % Math.max(1, mine.length)];
    if (probe === undefined) return null;
    if (b.kind === 'reply') icmp = echoReplyFor(probe);
    else if (b.kind === 'error')
      icmp = family === 4 ? icmpErrorFor(probe, b.type, b.code, b.quote, b.rest) : icmpv6ErrorFor(probe, b.type, b.code, b.quote, b.rest);
    else {
      if (socket.kind !== 'dgram') return null;
      // A datagram socket's error queue hands back our own request, with the error's facts.
      icmp = Uint8Array.from(probe.bytes);
      errorQueue = { errno: 113, origin: b.origin, type: b.type, code: b.code, info: b.info, offender: sourceOf(probe) };
    }
  }
  const from = sourceOf(probe);
  const ipHeader = family === 4 && socket.kind === 'raw' && errorQueue === null && b.kind !== 'random';
  // The header's source is what the engine reads on raw IPv4 sockets; a stranger that is no
  // IPv4 address at all ('', '2001:db8::99') arrives from 0.0.0.0.
  let bytes = ipHeader ? withIpv4Header(icmp, /^\d{1,3}(?:\.\d{1,3}){3}$/.test(from) ? from : '0.0.0.0') : icmp;
  const icmpAt = ipHeader ? 20 : 0;
  for (const m of d.mutations) {
    if (m.op === 'flip') {
      if (bytes.length > 0) bytes[m.at % bytes.length] = m.value;
    } else if (m.op === 'cut') {
      bytes = bytes.slice(0, Math.min(bytes.length, m.keep));
    } else if (m.op === 'extend') {
      bytes = concat(bytes, m.bytes);
    } else if (m.op === 'ihl') {
      if (bytes.length > 0) bytes[0] = ((bytes[0] as number) & 0xf0) | m.value;
    } else if (m.op === 'type') {
      if (bytes.length > icmpAt + 1) {
        bytes[icmpAt] = m.type;
        bytes[icmpAt + 1] = m.code;
      }
    } else if (bytes.length > icmpAt) {
      bytes.set(withIcmpChecksum(bytes.subarray(icmpAt)), icmpAt);
    }
  }
  const recvNs = (nowMs + (d.stampMs ?? 0)) * 1e6;
  return { bytes, source: from, scopeId: 0, recvNs, ttl: 64, truncated: d.truncated, wireLength: bytes.length, errorQueue };
}

// ---- the oracle --------------------------------------------------------------------------

/**
 * The key `address|sequence` of the probe this datagram is a well-formed, in-time reply to,
 * judged independently of the engine: null when it is no such reply.
 */
function oracle(packet: ReceivedPacket, family: 4 | 6, kind: 'raw' | 'dgram', sent: readonly SentPacket[], size: number): string | null {
  if (packet.errorQueue !== null) return null;
  const d = decodeReceived(packet.bytes, family, kind === 'raw' && family === 4, packet.truncated);
  if (d.kind !== 'icmp' || d.message.kind !== 'echo-reply') return null;
  const m = d.message;
  if (m.identifier !== IDENTIFIER || m.checksumOk === false) return null;
  const from = d.ip !== null ? d.ip.source : packet.source;
  const probe = sent.find((p) => p.family === family && p.address === from && p.sequence === m.sequence);
  if (probe === undefined) return null;
  const n = Math.min(m.payload.length, 8, size);
  for (let i = 0; i < n; i++) if (m.payload[i] !== probe.payload[i]) return null;
  if (Math.max(0, packet.recvNs - probe.sentNs) > TIMEOUT_MS * 1e6) return null;
  return `${from}|${m.sequence}`;
}

// ---- the property ------------------------------------------------------------------------

function assertSummary(s: PingSummary): void {
  const shown = JSON.stringify(s);
  for (const key of ['transmitted', 'received', 'duplicates', 'corrupted', 'errors', 'late', 'loss', 'elapsedMs'] as const) {
    assert.ok(Number.isFinite(s[key]) && s[key] >= 0, `${key} ${s[key]}: ${shown}`);
  }
  assert.ok(s.received <= s.transmitted, `received <= transmitted: ${shown}`);
  assert.ok(s.loss >= 0 && s.loss <= 100, `loss: ${shown}`);
  assert.equal(s.rtt === null, s.received + s.duplicates === 0, `RTT figures exactly when replies came: ${shown}`);
  if (s.rtt !== null) {
    for (const key of ['min', 'avg', 'max', 'mdev'] as const) assert.ok(Number.isFinite(s.rtt[key]) && s.rtt[key] >= 0, `rtt.${key}: ${shown}`);
    assert.ok(s.rtt.min <= s.rtt.avg + 1e-9 && s.rtt.avg <= s.rtt.max + 1e-9, `min <= avg <= max: ${shown}`);
  }
}

/** True when some probe got a (non-advisory) ICMP error and then a 'timeout' as well. */
function hasErroredThenTimedOut(events: readonly PingEvent[]): boolean {
  const errored = new Set<string>();
  for (const e of events) {
    if (e.type === 'error' && !e.advisory) errored.add(`${e.address}|${e.sequence}`);
    if (e.type === 'timeout' && errored.has(`${e.address}|${e.sequence}`)) return true;
  }
  return false;
}

async function fuzzSession(deliveries: Delivery[], kind: 'raw' | 'dgram', answer: boolean): Promise<void> {
  const h = new Harness();
  h.network.kind = kind;
  // One target is also answered properly by the network, so real replies mix with the noise.
  if (answer) h.network.answer(V4[0] as string, 3);
  const cfg = config({ count: 4, intervalMs: 20, timeoutMs: TIMEOUT_MS, size: 56 });
  const running = h.start(
    TARGETS.map((t) => target(t)),
    cfg,
  );
  const qualifying = new Set<string>();
  // Every datagram the sockets get, the network's own replies included, goes past the oracle.
  for (const socket of h.network.sockets) {
    const original = socket.deliver.bind(socket);
    socket.deliver = (bytes, source, recvNs, extra) => {
      const packet: ReceivedPacket = {
        bytes,
        source,
        scopeId: 0,
        recvNs: recvNs ?? h.clock.now() * 1e6,
        ttl: -1,
        truncated: false,
        wireLength: bytes.length,
        errorQueue: null,
        ...extra,
      };
      const key = oracle(packet, socket.family, socket.kind, h.network.sent, cfg.size);
      if (key !== null) qualifying.add(key);
      original(bytes, source, recvNs, extra);
    };
  }
  const raw = (socket: FakeSocket, packet: ReceivedPacket): void => {
    // Through the oracle (above), then straight to the engine's handler, with every field as built (listen() stored it).
    socket.deliver(packet.bytes, packet.source, packet.recvNs, packet);
  };
  for (const d of deliveries) {
    if (d.advanceMs > 0) h.clock.advance(d.advanceMs);
    const socket = h.network.sockets.find((s) => s.family === d.family);
    if (socket === undefined) continue;
    const packet = build(d, h.network.sent, socket, h.clock.now());
    if (packet === null) continue;
    datagrams++;
    for (const decodeFamily of [4, 6] as const) {
      for (const withIp of [true, false]) {
        const decoded = decodeReceived(packet.bytes, decodeFamily, withIp, packet.truncated);
        if (decoded.kind === 'icmp') assert.ok(decoded.message.length >= 8 && decoded.message.length <= packet.bytes.length);
      }
    }
    raw(socket, packet);
    if (running.session.ended) break;
  }
  let steps = 0;
  while (!running.session.ended && steps++ < 10_000 && h.clock.advanceToNext()) {
    // run to the end: expiries, the network's replies, the linger
  }
  assert.ok(
    running.session.ended,
    `the session ends (after ${steps} steps at ${h.clock.now()} ms, ${h.clock.pending} timers pending): ` +
      `${JSON.stringify(running.session.snapshot().map((x) => [x.address, x.transmitted, x.received, x.errors, x.end]))}\n` +
      `events: ${h.events.map((e) => `${e.type}:${'sequence' in e ? e.sequence : ''}@${'address' in e ? e.address : ''}`).join(' ')}`,
  );
  assert.ok(!hasErroredThenTimedOut(h.events), 'a probe settled by an ICMP error never also times out');
  const summaries = await running.done;
  assert.equal(summaries.length, TARGETS.length);
  for (const s of summaries) assertSummary(s);

  const byTarget = new Map<string, ReplyEvent[]>();
  for (const e of h.events) {
    if (e.type !== 'reply') continue;
    replies++;
    assert.ok(qualifying.has(`${e.from}|${e.sequence}`), `a reply was counted for a datagram that is no reply to a real probe: ${JSON.stringify(e)}`);
    assert.equal(e.from, e.address, 'a reply is counted for the target it came from');
    assert.ok(Number.isFinite(e.rttMs) && e.rttMs >= 0 && e.rttMs <= TIMEOUT_MS, `RTT ${e.rttMs}`);
    const list = byTarget.get(e.address) ?? [];
    list.push(e);
    byTarget.set(e.address, list);
  }
  for (const s of summaries) {
    const list = byTarget.get(s.address) ?? [];
    assert.equal(list.length, s.received, `one reply event per reply counted (${s.address})`);
    assert.equal(new Set(list.map((e) => e.sequence)).size, list.length, 'each probe answered at most once');
  }
  // Whole counts, never NaN or negative, however hostile the input.
  for (const n of [h.engine.counters.malformed, h.engine.counters.foreign]) assert.ok(Number.isInteger(n) && n >= 0, String(n));
}

/** fc.assert, with the failing assertion itself in the message (node:test does not print `cause`). */
async function check<T>(property: fc.IAsyncProperty<T>, params: fc.Parameters<T>): Promise<void> {
  try {
    await fc.assert(property, params);
  } catch (error) {
    const cause = (error as Error).cause;
    throw new Error(`${(error as Error).message}\nCause: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`, { cause: error });
  }
}

describe('receive path under fuzzed datagrams', () => {
  test('raw sockets: random and mutated replies and errors from any source never throw or miscount', async () => {
    await check(
      fc.asyncProperty(fc.array(delivery, { minLength: 1, maxLength: 60, size: 'medium' }), fc.boolean(), async (deliveries, answer) => {
        await fuzzSession(deliveries, 'raw', answer);
      }),
      PARAMS,
    );
  });

  test('datagram sockets (no IP header, error-queue entries): the same properties', async () => {
    await check(
      fc.asyncProperty(fc.array(delivery, { minLength: 1, maxLength: 60, size: 'medium' }), fc.boolean(), async (deliveries, answer) => {
        await fuzzSession(deliveries, 'dgram', answer);
      }),
      { ...PARAMS, numRuns: Math.max(1, Math.round(RUNS / 2)) },
    );
  });

  test('pristine replies amid random noise all count: received equals transmitted', async () => {
    await check(
      fc.asyncProperty(
        fc.array(
          fc.record({
            bytes: fc.uint8Array({ maxLength: 120 }),
            source: fc.constantFrom(...TARGETS, ...STRANGERS),
            afterMs: fc.double({ min: 0, max: 10, noNaN: true }),
          }),
          { maxLength: 30 },
        ),
        fc.integer({ min: 0, max: 20 }),
        async (noise, delayMs) => {
          const h = new Harness();
          for (const t of TARGETS) h.network.answer(t, delayMs);
          const running = h.start(
            TARGETS.map((t) => target(t)),
            config({ count: 4, intervalMs: 20, timeoutMs: TIMEOUT_MS }),
          );
          for (const n of noise) {
            h.clock.advance(n.afterMs);
            const socket = h.network.sockets.find((s) => s.family === (n.source.includes(':') ? 6 : 4)) ?? h.network.sockets[0];
            datagrams++;
            socket?.deliver(n.bytes, n.source);
          }
          let steps = 0;
          while (!running.session.ended && steps++ < 10_000 && h.clock.advanceToNext()) {
            // to the end
          }
          const summaries = await running.done;
          for (const s of summaries) {
            assertSummary(s);
            assert.equal(s.transmitted, 4, JSON.stringify(s));
            assert.equal(s.received, 4, `every well-formed reply counts: ${JSON.stringify(s)}`);
            assert.equal(s.loss, 0);
          }
        },
      ),
      PARAMS,
    );
  });

  test('an ICMP error for some probes and silence for the others: the run still ends (found by this fuzzer)', async () => {
    const h = new Harness();
    // Probes 1-3 get Destination Host Unreachable at once; probe 4 gets nothing.
    h.network.responders.set(HOST4, (req) => {
      if (req.sequence <= 3) h.clock.setTimer(() => h.network.sockets[0]?.deliver(withIpv4Header(icmpErrorFor(req, 3, 1), '198.51.100.1'), '198.51.100.1'), 1);
      return null;
    });
    const running = h.start([target(HOST4)], config({ count: 4, intervalMs: 200, timeoutMs: 300 }));
    let steps = 0;
    while (!running.session.ended && steps++ < 1000 && h.clock.advanceToNext()) {
      // to the end
    }
    const timedOut = h.events.filter((e) => e.type === 'timeout').map((e) => (e as { sequence: number }).sequence);
    assert.deepEqual(timedOut, [4], 'only the unanswered probe times out');
    assert.ok(running.session.ended, `the run ends (it hangs at ${h.clock.now()} ms with ${h.clock.pending} timers pending)`);
    const [s] = await running.done;
    assert.deepEqual([s?.transmitted, s?.received, s?.errors], [4, 0, 3]);
  });
});
