// The native receive fuzzer's datagrams (test/native/receive-fuzz-driver.ts): whole IPv4 and
// IPv6 datagrams, IP header included, that the raw sender (test/helpers/raw-sender.py) puts on
// loopback inside the fuzzer's namespace. Some are random from the IP header on; some are echo
// replies and ICMP errors aimed at the datagram sockets, the errors quoting the probes those
// sockets really sent (so the kernel queues them on the socket's error queue). Lengths run up
// to the 65535 bytes an IP datagram can hold. Every byte comes from the seeded Rng, so a seed
// replays a run. What each socket should make of a datagram is receive-fuzz-oracle.ts's
// business, not this file's: it decides from the bytes alone.
import { checksum, icmpv6Message, v4, v6 } from '../helpers/packet-builders.js';

/** A small seeded generator (mulberry32): fast, and the same sequence for the same seed. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer from `lo` to `hi`, both included. */
  int(lo: number, hi: number): number {
    return lo + (this.next() % (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() / 0x100000000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.next() % items.length] as T;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const r = this.next();
      out[i] = r & 0xff;
      if (i + 1 < n) out[i + 1] = (r >>> 8) & 0xff;
      if (i + 2 < n) out[i + 2] = (r >>> 16) & 0xff;
      if (i + 3 < n) out[i + 3] = r >>> 24;
    }
    return out;
  }

  /**
   * A body length: mostly small, often around the receive slots' sizes (4096 and what the
   * fuzzer sets), sometimes anything up to `max`.
   */
  length(max: number): number {
    const roll = this.next() % 100;
    if (roll < 45) return Math.min(max, this.int(0, 64));
    if (roll < 70) return Math.min(max, this.int(64, 1500));
    if (roll < 90) return Math.min(max, this.int(3900, 9300));
    return this.int(0, max);
  }
}

/** Addresses the fuzzer's namespace has on its loopback (see receive-fuzz-driver.ts). */
export const V6_LOCAL = ['::1', 'fd00:250:ff::1', 'fd00:250:ff::2', 'fd00:250:ff::3'];

/** A probe one of the datagram sockets sent, as the kernel sent it (its identifier, its checksum). */
export interface Probe {
  family: 4 | 6;
  /** Source and destination of the probe, as text. */
  source: string;
  destination: string;
  /** The ICMP or ICMPv6 echo request. */
  icmp: Uint8Array;
}

/** What the generator needs to know of the sockets. */
export interface CraftContext {
  rng: Rng;
  /** The datagram sockets' identifiers now; random datagrams never carry them by chance. */
  ports: ReadonlySet<number>;
  /** Recent probes of the datagram sockets, by family. */
  probes: Record<4 | 6, readonly Probe[]>;
  /** The datagram socket's identifier, by family (-1 while it has none). */
  port: Record<4 | 6, number>;
}

/** One datagram to send. */
export interface Crafted {
  family: 4 | 6;
  kind: CraftKind;
  /** Where it is sent (also the destination in its header), as text. */
  destination: string;
  /** The whole datagram, IP header first. */
  datagram: Uint8Array;
}

export const CRAFT_KINDS = ['v4-random', 'v4-reply', 'v4-error', 'v4-garbage', 'v6-random', 'v6-reply', 'v6-error', 'v6-garbage'] as const;
export type CraftKind = (typeof CRAFT_KINDS)[number];

// ICMP types that make the kernel answer (echo and timestamp requests, information and
// address mask requests; ICMPv6 echo request, MLD, neighbour discovery and the other types
// from 130 on): the answers would be packets nobody crafted, so random messages avoid them.
const V4_ANSWERED = new Set([8, 13, 15, 17]);
const V6_ANSWERED = (type: number): boolean => type === 128 || (type >= 130 && type <= 160);
const V4_ERRORS = [3, 4, 5, 11, 12];
// An ICMPv6 body that fits one IPv6 datagram behind the most extension headers extensions6 adds (3 of 32 bytes).
const MAX_ICMP6_BODY = 65535 - 8 - 96;
const V6_ERRORS = [1, 2, 3, 4];

function u16(out: Uint8Array, at: number, value: number): void {
  out[at] = (value >> 8) & 0xff;
  out[at + 1] = value & 0xff;
}

function u32(out: Uint8Array, at: number, value: number): void {
  u16(out, at, (value >>> 16) & 0xffff);
  u16(out, at + 2, value & 0xffff);
}

function join(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A random address in 127.0.0.0/8 that is neither the network nor the broadcast address. */
function loopback4(rng: Rng): string {
  return `127.${rng.int(0, 254)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

/** An identifier that is none of the datagram sockets'. */
function foreignId(ctx: CraftContext): number {
  for (;;) {
    const id = ctx.rng.int(0, 0xffff);
    if (!ctx.ports.has(id)) return id;
  }
}

// ---- IPv4 -------------------------------------------------------------------------------

/** IPv4 options: valid NOP/EOL padding most of the time, random bytes sometimes. */
function options4(rng: Rng): Uint8Array {
  const words = rng.chance(0.7) ? 0 : rng.int(1, 10);
  const out = new Uint8Array(words * 4);
  if (rng.chance(0.5))
    out.fill(1); // NOPs
  else out.set(rng.bytes(out.length));
  return out;
}

interface Header4 {
  source: string;
  destination: string;
  ttl: number;
  protocol?: number;
  options?: Uint8Array;
  fragment?: boolean;
}

/** An IPv4 header for a payload of `payload` bytes; the kernel rewrites total length and checksum anyway. */
function header4(rng: Rng, h: Header4, payload: number): Uint8Array {
  const options = h.options ?? new Uint8Array(0);
  const out = new Uint8Array(20 + options.length);
  out[0] = 0x40 | (out.length / 4);
  out[1] = rng.chance(0.7) ? 0 : rng.int(0, 255);
  u16(out, 2, out.length + payload);
  u16(out, 4, rng.int(1, 0xffff)); // never 0: the kernel would choose one
  // DF or not; a fragment (MF, or an offset) only when asked for.
  const flags = (rng.chance(0.5) ? 0x4000 : 0) | (h.fragment === true ? (rng.chance(0.5) ? 0x2000 : 0) | rng.int(1, 0x1fff) : 0);
  u16(out, 6, flags);
  out[8] = h.ttl;
  out[9] = h.protocol ?? 1;
  out.set(v4(h.source), 12);
  out.set(v4(h.destination), 16);
  out.set(options, 20);
  u16(out, 10, checksum(out));
  return out;
}

/** An ICMP message with a correct checksum (unless `bad`). */
function icmp4(type: number, code: number, rest: Uint8Array, body: Uint8Array, bad = false): Uint8Array {
  const m = join(Uint8Array.of(type, code, 0, 0), rest, body);
  const sum = checksum(m);
  u16(m, 2, bad ? sum ^ 0x5a5a : sum);
  return m;
}

/** Rest-of-header whose identifier field (bytes 0-1) is none of the datagram sockets'. */
function rest4(ctx: CraftContext): Uint8Array {
  const rest = ctx.rng.bytes(4);
  u16(rest, 0, foreignId(ctx));
  return rest;
}

function v4Random(ctx: CraftContext): Crafted {
  const { rng } = ctx;
  const destination = rng.chance(0.6) ? '127.0.0.1' : loopback4(rng);
  const options = options4(rng);
  const room = 65535 - 20 - options.length - 8;
  let type = rng.int(0, 255);
  while (V4_ANSWERED.has(type)) type = rng.int(0, 255);
  let body: Uint8Array;
  if (V4_ERRORS.includes(type) && rng.chance(0.6)) {
    // An error quoting a random datagram: a random inner header, then an ICMP-like message
    // whose identifier is none of ours.
    const inner = header4(
      rng,
      {
        source: loopback4(rng),
        destination: loopback4(rng),
        ttl: rng.int(0, 255),
        protocol: rng.pick([1, 1, 1, 6, 17, rng.int(0, 255)]),
        options: options4(rng),
      },
      0,
    );
    if (rng.chance(0.2)) inner[0] = rng.int(0, 255); // any version and IHL
    const upper = rng.bytes(rng.length(room - inner.length));
    if (upper.length >= 6) u16(upper, 4, foreignId(ctx));
    body = join(inner, upper);
  } else {
    body = rng.bytes(rng.length(room));
  }
  const message = icmp4(type, rng.int(0, 255), rest4(ctx), body, rng.chance(0.1));
  const source = loopback4(rng);
  const header = header4(
    rng,
    { source, destination, ttl: rng.int(0, 255), protocol: rng.chance(0.95) ? 1 : rng.int(0, 255), options, fragment: rng.chance(0.03) },
    message.length,
  );
  return { family: 4, kind: 'v4-random', destination, datagram: join(header, message) };
}

function v4Reply(ctx: CraftContext, length?: number): Crafted {
  const { rng } = ctx;
  const probe = ctx.probes[4].length > 0 && rng.chance(0.5) ? rng.pick(ctx.probes[4]) : null;
  const port = ctx.port[4] >= 0 ? ctx.port[4] : foreignId(ctx);
  // An answer to a real probe (its sequence and payload, sometimes made longer), or any reply
  // with the socket's identifier, of any length.
  const sequence = probe !== null ? ((probe.icmp[6] as number) << 8) | (probe.icmp[7] as number) : rng.int(0, 0xffff);
  const payload =
    length !== undefined
      ? join(probe?.icmp.subarray(8) ?? new Uint8Array(0), rng.bytes(length)).subarray(0, length)
      : probe !== null && rng.chance(0.6)
        ? join(probe.icmp.subarray(8), rng.chance(0.3) ? rng.bytes(rng.length(60000)) : new Uint8Array(0))
        : rng.bytes(rng.length(65535 - 20 - 8));
  const rest = new Uint8Array(4);
  u16(rest, 0, port);
  u16(rest, 2, sequence);
  const message = icmp4(0, 0, rest, payload.subarray(0, 65535 - 20 - 8));
  const source = probe?.destination ?? loopback4(rng);
  const header = header4(rng, { source, destination: probe?.source ?? '127.0.0.1', ttl: rng.int(1, 255) }, message.length);
  return { family: 4, kind: 'v4-reply', destination: probe?.source ?? '127.0.0.1', datagram: join(header, message) };
}

function v4Error(ctx: CraftContext): Crafted {
  const { rng } = ctx;
  const probe = ctx.probes[4].length > 0 ? rng.pick(ctx.probes[4]) : null;
  if (probe === null) return v4Random(ctx);
  const type = rng.pick(V4_ERRORS);
  const code = type === 3 ? rng.int(0, 15) : type === 5 ? rng.int(0, 3) : rng.int(0, 1);
  const rest = rng.bytes(4);
  if (type === 3 && code === 4) u16(rest, 2, rng.int(0, 0xffff)); // next-hop MTU
  // The probe as it left: our header (sometimes with options, as a router may quote them),
  // then as much of the echo request as a router quotes (8 bytes at least, up to all of it),
  // sometimes with bytes after it.
  const inner = header4(
    rng,
    { source: probe.source, destination: probe.destination, ttl: rng.int(1, 64), options: rng.chance(0.2) ? options4(rng) : undefined },
    probe.icmp.length,
  );
  const cut = rng.chance(0.3) ? 8 : rng.int(8, probe.icmp.length);
  const tail = rng.chance(0.1) ? rng.bytes(rng.length(2000)) : new Uint8Array(0);
  const message = icmp4(type, code, rest, join(inner, probe.icmp.subarray(0, cut), tail));
  const header = header4(rng, { source: loopback4(rng), destination: probe.source, ttl: rng.int(1, 255) }, message.length);
  return { family: 4, kind: 'v4-error', destination: probe.source, datagram: join(header, message) };
}

function v4Garbage(ctx: CraftContext): Crafted {
  const { rng } = ctx;
  const destination = rng.chance(0.5) ? '127.0.0.1' : loopback4(rng);
  const datagram = rng.bytes(rng.int(20, rng.chance(0.9) ? 200 : 65535));
  const ihl = rng.int(5, 15) * 4;
  datagram[0] = 0x40 | (ihl / 4);
  datagram.set(v4(loopback4(rng)), 12);
  datagram.set(v4(destination), 16);
  if (rng.chance(0.8)) datagram[9] = 1;
  // Never a fragment (the kernel would hold it for reassembly, and a later one might complete it).
  datagram[6] = (datagram[6] as number) & 0x40;
  datagram[7] = 0;
  // Never an identifier of ours where the kernel would look for one.
  if (ihl + 6 <= datagram.length) u16(datagram, ihl + 4, foreignId(ctx));
  const inner = ihl + 8 + ((datagram[ihl + 8] ?? 0) & 0x0f) * 4;
  if (inner + 6 <= datagram.length) u16(datagram, inner + 4, foreignId(ctx));
  return { family: 4, kind: 'v4-garbage', destination, datagram };
}

// ---- IPv6 -------------------------------------------------------------------------------

/** An IPv6 header; `payload` is what follows it (extension headers and upper layer). */
function header6(rng: Rng, source: string, destination: string, nextHeader: number, payload: number, hopLimit: number): Uint8Array {
  const out = new Uint8Array(40);
  // Random traffic class and flow label: the flow label makes each header unique, which is how
  // the oracle recognises the kernel's own errors quoting it.
  u32(out, 0, (6 << 28) | (rng.int(0, 255) << 20) | rng.int(0, 0xfffff));
  u16(out, 4, payload);
  out[6] = nextHeader;
  out[7] = hopLimit;
  out.set(v6(source), 8);
  out.set(v6(destination), 24);
  return out;
}

/** 0-3 extension headers that the kernel passes: options of PadN (or a random skippable option), routing with no segments left, atomic fragments. */
function extensions6(rng: Rng, upper: number): { first: number; bytes: Uint8Array } {
  const chain: { protocol: number; bytes: Uint8Array }[] = [];
  const count = rng.chance(0.6) ? 0 : rng.int(1, 3);
  for (let i = 0; i < count; i++) {
    const protocol = rng.pick(i === 0 ? [0, 60, 43, 44] : [60, 43, 44]);
    let bytes: Uint8Array;
    if (protocol === 44) {
      bytes = new Uint8Array(8);
      u32(bytes, 4, rng.next());
    } else {
      bytes = new Uint8Array(8 * rng.int(1, 4));
      bytes[1] = bytes.length / 8 - 1;
      if (protocol === 43) {
        bytes[2] = rng.int(0, 255); // routing type
        bytes[3] = 0; // segments left
      } else if (rng.chance(0.8)) {
        bytes[2] = 1; // PadN over the rest
        bytes[3] = bytes.length - 4;
      } else {
        // A random option whose type says "skip if unknown" (top bits 00), then PadN.
        const length = bytes.length - 4 - 2;
        let type = rng.int(2, 0x3f);
        while (type === 5) type = rng.int(2, 0x3f); // not router alert
        bytes[2] = type;
        bytes[3] = length;
        bytes.set(rng.bytes(length), 4);
        bytes[bytes.length - 2] = 1;
        bytes[bytes.length - 1] = 0;
      }
    }
    chain.push({ protocol, bytes });
  }
  chain.forEach((e, i) => {
    e.bytes[0] = chain[i + 1]?.protocol ?? upper;
  });
  return { first: chain[0]?.protocol ?? upper, bytes: join(...chain.map((e) => e.bytes)) };
}

function datagram6(rng: Rng, source: string, destination: string, message: Uint8Array, hopLimit: number, badChecksum: boolean): Uint8Array {
  if (badChecksum && message.length >= 4) message[2] = (message[2] as number) ^ 0x5a;
  const ext = extensions6(rng, 58);
  const room = 65535 - ext.bytes.length;
  const upper = message.subarray(0, room);
  return join(header6(rng, source, destination, ext.first, ext.bytes.length + upper.length, hopLimit), ext.bytes, upper);
}

/** An ICMPv6 message with its checksum over the pseudo-header of `source` and `destination`. */
function icmp6(type: number, code: number, rest: Uint8Array, body: Uint8Array, source: string, destination: string): Uint8Array {
  return icmpv6Message(type, code, rest, body, { source, destination });
}

function v6Random(ctx: CraftContext): Crafted {
  const { rng } = ctx;
  const source = rng.pick(V6_LOCAL);
  const destination = rng.pick(V6_LOCAL);
  let type = rng.int(0, 255);
  while (V6_ANSWERED(type)) type = rng.int(0, 255);
  let body: Uint8Array;
  if (V6_ERRORS.includes(type) && rng.chance(0.6)) {
    // An error quoting a random packet: an IPv6 header, perhaps extension headers, then anything.
    const ext = extensions6(rng, rng.pick([58, 58, 6, 17, 59, rng.int(0, 255)]));
    const upper = join(Uint8Array.of(rng.pick([128, 129, rng.int(0, 255)]), 0), rng.bytes(2), new Uint8Array(2), rng.bytes(rng.length(1200)));
    u16(upper, 4, foreignId(ctx));
    body = join(
      header6(rng, rng.pick(V6_LOCAL), rng.pick(V6_LOCAL), ext.first, rng.chance(0.8) ? ext.bytes.length + upper.length : rng.int(0, 0xffff), rng.int(0, 255)),
      ext.bytes,
      upper,
    );
  } else {
    body = rng.bytes(rng.length(MAX_ICMP6_BODY));
  }
  const rest = rng.bytes(4);
  u16(rest, 0, foreignId(ctx));
  const message = icmp6(type, rng.int(0, 255), rest, body, source, destination);
  return { family: 6, kind: 'v6-random', destination, datagram: datagram6(rng, source, destination, message, rng.int(0, 255), rng.chance(0.05)) };
}

function v6Reply(ctx: CraftContext, length?: number): Crafted {
  const { rng } = ctx;
  const probe = ctx.probes[6].length > 0 && rng.chance(0.5) ? rng.pick(ctx.probes[6]) : null;
  const port = ctx.port[6] >= 0 ? ctx.port[6] : foreignId(ctx);
  const sequence = probe !== null ? ((probe.icmp[6] as number) << 8) | (probe.icmp[7] as number) : rng.int(0, 0xffff);
  const payload =
    length !== undefined
      ? join(probe?.icmp.subarray(8) ?? new Uint8Array(0), rng.bytes(length)).subarray(0, length)
      : probe !== null && rng.chance(0.6)
        ? join(probe.icmp.subarray(8), rng.chance(0.3) ? rng.bytes(rng.length(60000)) : new Uint8Array(0))
        : rng.bytes(rng.length(MAX_ICMP6_BODY));
  const rest = new Uint8Array(4);
  u16(rest, 0, port);
  u16(rest, 2, sequence);
  const source = probe?.destination ?? rng.pick(V6_LOCAL);
  const destination = probe?.source ?? '::1';
  const message = icmp6(129, 0, rest, payload.subarray(0, MAX_ICMP6_BODY), source, destination);
  return { family: 6, kind: 'v6-reply', destination, datagram: datagram6(rng, source, destination, message, rng.int(1, 255), false) };
}

function v6Error(ctx: CraftContext): Crafted {
  const { rng } = ctx;
  const probe = ctx.probes[6].length > 0 ? rng.pick(ctx.probes[6]) : null;
  if (probe === null) return v6Random(ctx);
  const type = rng.pick(V6_ERRORS);
  const code = type === 1 ? rng.int(0, 7) : type === 3 ? rng.int(0, 1) : type === 4 ? rng.int(0, 3) : 0;
  const rest = rng.bytes(4);
  // The probe as it left (perhaps behind extension headers a router quotes with it), as much of
  // it as an error quotes, and sometimes bytes after it.
  const cut = rng.chance(0.3) ? 8 : rng.int(8, probe.icmp.length);
  const ext = extensions6(rng, 58);
  const quoted = probe.icmp.subarray(0, cut);
  const inner = header6(rng, probe.source, probe.destination, ext.first, ext.bytes.length + probe.icmp.length, 64);
  const tail = rng.chance(0.1) ? rng.bytes(rng.length(1000)) : new Uint8Array(0);
  const source = rng.pick(V6_LOCAL);
  const message = icmp6(type, code, rest, join(inner, ext.bytes, quoted, tail), source, probe.source);
  return { family: 6, kind: 'v6-error', destination: probe.source, datagram: datagram6(rng, source, probe.source, message, rng.int(1, 255), false) };
}

function v6Garbage(ctx: CraftContext): Crafted {
  const { rng } = ctx;
  const destination = rng.pick(V6_LOCAL);
  const datagram = rng.bytes(rng.int(40, rng.chance(0.9) ? 240 : 65535));
  datagram[0] = 0x60 | ((datagram[0] as number) & 0x0f);
  datagram.set(v6(rng.pick(V6_LOCAL)), 8);
  datagram.set(v6(destination), 24);
  if (rng.chance(0.7)) datagram[6] = 58;
  if (rng.chance(0.7)) u16(datagram, 4, datagram.length - 40);
  // Never a fragment header, never an identifier of ours where the kernel would look for one.
  if (datagram[6] === 44) datagram[6] = 58;
  if (datagram.length >= 46) u16(datagram, 44, foreignId(ctx));
  if (datagram[40] === 128 || datagram[40] === 129) datagram[40] = 200;
  return { family: 6, kind: 'v6-garbage', destination, datagram };
}

const MAKERS: Record<CraftKind, (ctx: CraftContext) => Crafted> = {
  'v4-random': v4Random,
  'v4-reply': v4Reply,
  'v4-error': v4Error,
  'v4-garbage': v4Garbage,
  'v6-random': v6Random,
  'v6-reply': v6Reply,
  'v6-error': v6Error,
  'v6-garbage': v6Garbage,
};

/** An echo reply for the datagram socket of `family` with `length` bytes of payload (a real probe's first, when there is one). */
export function craftReply(ctx: CraftContext, family: 4 | 6, length: number): Crafted {
  return family === 4 ? v4Reply(ctx, length) : v6Reply(ctx, length);
}

/** One datagram of `kind`. */
export function craft(ctx: CraftContext, kind: CraftKind): Crafted {
  return MAKERS[kind](ctx);
}

/** A datagram of a kind drawn with the fuzzer's weights: random headers and errors quoting probes most. */
export function craftAny(ctx: CraftContext): Crafted {
  const roll = ctx.rng.int(0, 99);
  const kind: CraftKind =
    roll < 24
      ? 'v4-random'
      : roll < 36
        ? 'v4-reply'
        : roll < 48
          ? 'v4-error'
          : roll < 51
            ? 'v4-garbage'
            : roll < 74
              ? 'v6-random'
              : roll < 86
                ? 'v6-reply'
                : roll < 97
                  ? 'v6-error'
                  : 'v6-garbage';
  return craft(ctx, kind);
}

/** An echo request as a datagram socket's kernel sends it: `identifier` and the checksum filled in. */
export function probeMessage(family: 4 | 6, identifier: number, sequence: number, payload: Uint8Array, source: string, destination: string): Uint8Array {
  const rest = new Uint8Array(4);
  u16(rest, 0, identifier);
  u16(rest, 2, sequence);
  return family === 4 ? icmp4(8, 0, rest, payload) : icmp6(128, 0, rest, payload, source, destination);
}
