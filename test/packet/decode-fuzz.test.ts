// Property-based fuzzing of the decoders (DESIGN: decoding is total; docs/hostile-inputs.md #8-#18).
// Every input is wrapped in a Proxy that throws on any index read outside [0, length), so a
// read past the received length fails the property even where JS would quietly give
// `undefined`. Inputs sit inside a larger buffer between canary bytes, so a view that
// escapes the received bytes is caught too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeReceived } from '../../src/packet/decode-received.js';
import { isErrorMessage } from '../../src/packet/icmp-message.js';
import {
  type ExtensionHeader,
  authHeader,
  concat,
  destinationOptions,
  fragmentHeader,
  hopByHop,
  icmpError,
  icmpMessage,
  icmpv6Message,
  icmpv6Redirect,
  ipv4Datagram,
  quotedEchoV4,
  quotedEchoV6,
  recordRoute,
  redirectedHeaderOption,
  routingHeader,
} from '../helpers/packet-builders.js';

const NUM_RUNS = 2000;
const CANARY = 16;

const NUMERIC_KEY = /^-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|Infinity|NaN)$/;

/** A Uint8Array whose out-of-range index reads throw; its subarrays are guarded as well. */
function guarded(target: Uint8Array): Uint8Array {
  return new Proxy(target, {
    get(t, prop) {
      if (typeof prop === 'string' && NUMERIC_KEY.test(prop)) {
        const i = Number(prop);
        if (!Number.isInteger(i) || i < 0 || i >= t.length) throw new RangeError(`read of index ${prop} in ${t.length} bytes`);
        return t[i];
      }
      const value: unknown = Reflect.get(t, prop, t);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(t, args);
        return result instanceof Uint8Array && result !== t ? guarded(result) : result;
      };
    },
  });
}

/** `bytes` copied between canaries into a bigger buffer, then guarded. */
function received(bytes: Uint8Array): Uint8Array {
  const backing = new Uint8Array(bytes.length + 2 * CANARY).fill(0x45);
  backing.set(bytes, CANARY);
  return guarded(backing.subarray(CANARY, CANARY + bytes.length));
}

function assertWithin(view: Uint8Array, input: Uint8Array, what: string): void {
  assert.equal(view.buffer, input.buffer, `${what} is a view of the input`);
  assert.ok(view.byteOffset >= input.byteOffset, `${what} starts inside the input`);
  assert.ok(view.byteOffset + view.length <= input.byteOffset + input.length, `${what} ends inside the input`);
}

/** What one input decoded to, for checking that the generators reach the deep paths. */
type Outcome = 'ignored' | 'echo' | 'error-with-probe' | 'error' | 'other';

function check(bytes: Uint8Array, family: 4 | 6, withIpHeader: boolean, truncated: boolean): Outcome {
  const input = received(bytes);
  const d = decodeReceived(input, family, withIpHeader, truncated);
  if (d.kind === 'ignored') {
    assert.equal(typeof d.reason, 'string');
    return 'ignored';
  }
  assert.equal(d.kind, 'icmp');
  const m = d.message;
  assert.equal(m.family, family);
  assert.ok(m.length >= 8 && m.length <= bytes.length, `length ${m.length} of ${bytes.length}`);
  assert.equal(m.type, bytes[d.ip === null ? 0 : d.ip.headerLength]);
  if (d.ip !== null) {
    assert.ok(family === 4 && withIpHeader);
    assert.ok(d.ip.headerLength + m.length <= bytes.length);
    assertWithin(d.ip.options, input, 'options');
  }
  if (family === 6 || truncated) assert.equal(m.checksumOk, null);
  if (m.kind === 'echo-reply' || m.kind === 'echo-request') {
    assertWithin(m.payload, input, 'echo payload');
    assert.equal(m.payload.length, m.length - 8);
    assert.ok(m.identifier >= 0 && m.identifier <= 0xffff && m.sequence >= 0 && m.sequence <= 0xffff);
    return 'echo';
  }
  if (isErrorMessage(m)) {
    if (m.quoted !== null) {
      assertWithin(m.quoted.payload, input, 'quoted payload');
      assert.ok(m.quoted.identifier >= 0 && m.quoted.identifier <= 0xffff);
    }
    if (m.mtu !== null) assert.ok(Number.isInteger(m.mtu) && m.mtu >= 0 && m.mtu <= 0xffffffff);
    if (m.pointer !== null) assert.ok(Number.isInteger(m.pointer) && m.pointer >= 0 && m.pointer <= 0xffffffff);
    return m.quoted !== null ? 'error-with-probe' : 'error';
  }
  return 'other';
}

function tally(): { count: (o: Outcome) => void; seen: Record<Outcome, number> } {
  const seen: Record<Outcome, number> = { ignored: 0, echo: 0, 'error-with-probe': 0, error: 0, other: 0 };
  return {
    seen,
    count: (o) => {
      seen[o]++;
    },
  };
}

test('the guard itself catches reads past the end and hands out guarded views', () => {
  const g = received(Uint8Array.from([1, 2, 3]));
  assert.equal(g[2], 3);
  assert.throws(() => g[3], RangeError);
  assert.throws(() => g[-1], RangeError);
  const sub = g.subarray(1);
  assert.equal(sub.length, 2);
  assert.throws(() => sub[2], RangeError);
  assert.equal(g.length, 3);
});

test('property: any bytes (up to 2000), either family, with or without IP header, truncated or not: never throws, stays in bounds', () => {
  // Short inputs hit the length checks; 'max' sizes spread lengths over 0..2000.
  const bytes = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 2000, size: 'max' }));
  fc.assert(
    fc.property(bytes, fc.constantFrom<4 | 6>(4, 6), fc.boolean(), fc.boolean(), (raw, family, withIpHeader, truncated) => {
      check(Uint8Array.from(raw), family, withIpHeader, truncated);
    }),
    { numRuns: NUM_RUNS },
  );
});

// Mutations applied to well-formed packets so the fuzz reaches deep code paths.
const mutation = fc.record({
  // Left whole 3 times in 4: a cut anywhere usually ends the walk early.
  cut: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.nat(), weight: 1 }),
  flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
  tail: fc.uint8Array({ maxLength: 24 }),
});

function mutate(bytes: Uint8Array, m: { cut: number | undefined; flips: Array<[number, number]>; tail: Uint8Array }): Uint8Array {
  let out = concat(bytes, m.tail);
  if (out.length > 0) for (const [at, value] of m.flips) out[at % out.length] = value;
  if (m.cut !== undefined) out = out.subarray(0, m.cut % (out.length + 1));
  return Uint8Array.from(out);
}

const ipv4Options = fc.integer({ min: 0, max: 10 }).chain((words) =>
  fc.oneof(
    fc.constant(new Array<number>(words * 4).fill(1)),
    fc.uint8Array({ minLength: words * 4, maxLength: words * 4 }).map((a) => Array.from(a)),
    fc
      .integer({ min: 0, max: 255 })
      .map((pointer) => (words >= 3 ? [...recordRoute(2, pointer), ...new Array<number>(words * 4 - 11).fill(0)] : new Array<number>(words * 4).fill(0))),
  ),
);

const icmpV4Packet = fc.record({
  type: fc.constantFrom(0, 3, 4, 5, 8, 11, 12, 13, 42),
  code: fc.integer({ min: 0, max: 255 }),
  rest: fc.uint8Array({ minLength: 4, maxLength: 4 }),
  outerOptions: ipv4Options,
  innerOptions: ipv4Options,
  innerProtocol: fc.constantFrom(1, 1, 1, 6, 17),
  identifier: fc.integer({ min: 0, max: 0xffff }),
  sequence: fc.integer({ min: 0, max: 0xffff }),
  payload: fc.uint8Array({ maxLength: 64 }),
  totalLengthDelta: fc.option(fc.integer({ min: -40, max: 40 }), { nil: undefined }),
});

test('property: IPv4 datagrams built right and then damaged (options, errors, quotes, lengths): never throws, stays in bounds', () => {
  const { seen, count } = tally();
  fc.assert(
    fc.property(icmpV4Packet, mutation, fc.boolean(), fc.boolean(), (p, m, withIpHeader, truncated) => {
      const isError = [3, 4, 5, 11, 12].includes(p.type);
      const body = isError
        ? quotedEchoV4({ options: p.innerOptions, protocol: p.innerProtocol, identifier: p.identifier, sequence: p.sequence, payload: p.payload })
        : p.payload;
      const icmp = isError ? icmpError(p.type, p.code, body, p.rest) : icmpMessage(p.type, p.code, p.rest, body);
      const datagram = ipv4Datagram({ options: p.outerOptions }, icmp);
      if (p.totalLengthDelta !== undefined) {
        const total = Math.max(0, Math.min(0xffff, datagram.length + p.totalLengthDelta));
        datagram[2] = total >> 8;
        datagram[3] = total & 0xff;
      }
      count(check(mutate(withIpHeader ? datagram : icmp, m), 4, withIpHeader, truncated));
    }),
    { numRuns: NUM_RUNS },
  );
  // The generator must reach the deep paths, or the property proves little.
  assert.ok(seen.echo > NUM_RUNS / 20 && seen['error-with-probe'] > NUM_RUNS / 20 && seen.ignored > 0 && seen.other > 0, JSON.stringify(seen));
});

const extension = fc.constantFrom<() => ExtensionHeader>(
  () => hopByHop(0),
  () => hopByHop(2),
  () => routingHeader(2),
  () => fragmentHeader(0, true),
  () => fragmentHeader(5, false),
  () => destinationOptions(1),
  () => authHeader(4),
);

const icmpV6Packet = fc.record({
  type: fc.constantFrom(1, 2, 3, 4, 128, 129, 137, 135, 200),
  code: fc.integer({ min: 0, max: 255 }),
  rest: fc.uint8Array({ minLength: 4, maxLength: 4 }),
  extensions: fc.oneof({ arbitrary: fc.array(extension, { maxLength: 3 }), weight: 3 }, { arbitrary: fc.array(extension, { maxLength: 10 }), weight: 1 }),
  upperProtocol: fc.constantFrom(58, 58, 58, 6, 17, 59),
  identifier: fc.integer({ min: 0, max: 0xffff }),
  sequence: fc.integer({ min: 0, max: 0xffff }),
  payload: fc.uint8Array({ maxLength: 64 }),
});

test('property: ICMPv6 messages built right and then damaged (extension header chains, redirects): never throws, stays in bounds', () => {
  const { seen, count } = tally();
  fc.assert(
    fc.property(icmpV6Packet, mutation, fc.boolean(), (p, m, truncated) => {
      const quoted = quotedEchoV6({
        extensions: p.extensions.map((make) => make()),
        upperProtocol: p.upperProtocol,
        identifier: p.identifier,
        sequence: p.sequence,
        payload: p.payload,
      });
      const message =
        p.type === 137
          ? icmpv6Redirect('fe80::1', '2001:db8::2', [redirectedHeaderOption(quoted)])
          : icmpv6Message(p.type, p.code, p.rest, p.type < 128 ? quoted : p.payload);
      count(check(mutate(message, m), 6, false, truncated));
    }),
    { numRuns: NUM_RUNS },
  );
  assert.ok(seen.echo > NUM_RUNS / 20 && seen['error-with-probe'] > NUM_RUNS / 20 && seen.error > 0 && seen.other > 0, JSON.stringify(seen));
});
