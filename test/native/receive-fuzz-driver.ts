// The native receive fuzzer (issue 18, item 11): random datagrams through the addon's REAL
// receive path. Run by test/native/receive-fuzz.test.ts (and `npm run fuzz:native`) as root in
// a network namespace of its own, with loopback up, extra IPv6 addresses on it, kernel echo off
// and ping_group_range open:
//
//   node --import tsx test/native/receive-fuzz-driver.ts --seconds S --seed N
//
// Four sockets of the addon, used as the addon's own API offers them (no TypeScript wrapper in
// between): raw and datagram, IPv4 and IPv6, raw ones without kernel filters so that they see
// everything. test/helpers/raw-sender.py puts whole datagrams on loopback, IP header included:
// random ones from the header on, echo replies of any length up to 65535 bytes for the
// datagram sockets, ICMP errors quoting the probes the datagram sockets really send (the
// kernel queues those on the socket's error queue), random bytes. While it runs, JavaScript
// changes a socket's receive size and closes and reopens sockets from inside the batch
// callback, and starts sockets with no, small or normal staging arrays.
//
// Every batch is checked: the count, every offset and length inside the arrays, no two
// packets' regions overlapping, the stored length = min(datagram, receive slot), truncated
// exactly when it was cut, the error-queue flag only on datagram sockets, stamps between the
// start and now, TTLs in range. Every packet must be explained by receive-fuzz-oracle.ts: the
// bytes of a datagram that was sent (or of a probe, or an error the kernel made about one of
// ours), with that datagram's source, TTL, real length and error fields. Anything else stops
// the run with exit 1 and the seed. At the end it prints one line of JSON: what it did and saw.
import { readFileSync, readlinkSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadAddon, type NativeBatchLayout, type NativeIcmpSocket } from '../../src/os/native-binding.js';
import { RawSender, type RawDatagram } from '../helpers/raw-sender.js';
import { craft, craftAny, craftReply, probeMessage, Rng, type CraftContext, type Crafted, type Probe } from './receive-fuzz-datagrams.js';
import { addressBytes, foresee, hexKey, kernelErrorKey, type ErrorSight, type ReplySight, type RawSight } from './receive-fuzz-oracle.js';

type Name = 'raw4' | 'raw6' | 'dgram4' | 'dgram6';
const NAMES: readonly Name[] = ['raw4', 'raw6', 'dgram4', 'dgram6'];

/** What one socket saw, for the report. */
interface Seen {
  batches: number;
  packets: number;
  bytes: number;
  largestBatch: number;
  /** Packets matched to a datagram that was sent (or a probe). */
  matched: number;
  /** ICMP errors the kernel made about a datagram we sent (raw sockets). */
  kernelErrors: number;
  truncated: number;
  /** Packets whose real length exceeded the receive slot. */
  oversize: number;
  errorQueue: number;
  /** Errors the addon reported through onError, by code. */
  failures: Record<string, number>;
  reopened: number;
  resized: number;
  /** Datagrams the kernel dropped at the socket (a full receive buffer; raw IPv6: bad checksums too), from /proc/net/. */
  kernelDrops: number;
}

type Expectation = { kind: 'raw'; sight: RawSight } | { kind: 'reply'; sight: ReplySight } | { kind: 'error'; sight: ErrorSight };

/** One of the addon's sockets and what the fuzzer knows of it. */
class Watched {
  readonly family: 4 | 6;
  readonly raw: boolean;
  readonly native: NativeIcmpSocket;
  /** Receive slot size now (the addon's rule: max(4096, setMaxPacketSize)). */
  slot = DEFAULT_SLOT;
  /** Datagram sockets: the kernel's identifier. */
  port = -1;
  sequence = 0;

  /**
   * @param seen counts, kept across a reopen
   * @param expected packets expected, by key, each taken once; kept across a reopen too
   */
  constructor(
    readonly name: Name,
    readonly seen: Seen,
    readonly expected: Map<string, Expectation[]>,
  ) {
    this.family = name.endsWith('4') ? 4 : 6;
    this.raw = name.startsWith('raw');
    this.native = new addon.IcmpSocket(
      this.family,
      this.raw ? 'raw' : 'dgram',
      (data, meta, count) => onBatch(this, data, meta, count),
      (error) => {
        // A datagram socket reports a queued ICMP error as the result of a receive too; after a
        // few in one wake-up the addon passes one on. Those are the only failures allowed.
        check(!this.raw && SOFT_ERRORS.test(error.code), `${name}: the addon reported ${error.code}`, { syscall: error.syscall, message: error.message });
        seen.failures[error.code] = (seen.failures[error.code] ?? 0) + 1;
      },
    );
    if (!this.raw) {
      this.native.bind(this.family === 4 ? '0.0.0.0' : '::');
      this.port = this.native.localAddress().port;
    }
  }
}

function parseArgs(argv: string[]): { seconds: number; seed: number } {
  const out = { seconds: 3, seed: 1 };
  for (let i = 0; i < argv.length; i += 2) {
    const value = Number(argv[i + 1]);
    if (argv[i] === '--seconds' && value > 0) out.seconds = value;
    else if (argv[i] === '--seed' && Number.isInteger(value)) out.seed = value;
    else throw new Error(`usage: receive-fuzz-driver.ts [--seconds S] [--seed N] (got ${argv[i]} ${argv[i + 1]})`);
  }
  return out;
}

const { seconds, seed } = parseArgs(process.argv.slice(2));
// One generator for the datagrams, another for what the callbacks do: batch boundaries depend
// on timing, and must not change the datagrams a seed makes (the kernel's identifiers still may).
const rng = new Rng(seed);
const mischiefRng = new Rng(seed ^ 0x5bd1e995);
const addon = loadAddon();
const L: NativeBatchLayout = addon.batchLayout;
const DEFAULT_SLOT = 4096;
// What a datagram socket's receive may fail with when ICMP errors are queued (errno names).
const SOFT_ERRORS = /^E(HOSTUNREACH|NETUNREACH|PROTO|MSGSIZE|CONNREFUSED|HOSTDOWN|REMOTEIO|NOPROTOOPT|ACCES|PERM|TIMEDOUT)$/;
const startNs = Number(process.hrtime.bigint());
const sockets = new Map<Name, Watched>();
const probes: Record<4 | 6, Probe[]> = { 4: [], 6: [] };
// The kernel's own errors quote datagrams we sent: their keys, and when each was sent (ms),
// kept 90 s (reassembly time-outs come after 30 s for IPv4, 60 s for IPv6).
const quoted = new Map<string, number>();
const QUOTED_KEEP_MS = 90_000;
// Expectations by burst, to forget those of datagrams the kernel dropped.
const registered: { burst: number; socket: Watched; key: string; expectation: Expectation }[] = [];
let burst = 0;
let reopenBudget = 40;
// The last datagrams sent, to say which one an unexplained packet came from.
const recent: Crafted[] = [];

function fail(what: string, details: Record<string, unknown> = {}): never {
  // Bytes as hex (the holder's own value: a Buffer would have turned itself into JSON first).
  const shown = JSON.stringify({ seed, burst, what, ...details }, function (this: Record<string, unknown>, k: string, v: unknown) {
    const original = this[k];
    return original instanceof Uint8Array ? hexKey(original, 64) : v;
  });
  process.stderr.write(`receive-fuzz: FAIL (reproduce with --seed ${seed}): ${shown}\n`);
  process.exit(1);
}

function check(ok: boolean, what: string, details: Record<string, unknown> = {}): void {
  if (!ok) fail(what, details);
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

function prefixOf(prefix: Uint8Array, whole: Uint8Array): boolean {
  return prefix.length <= whole.length && same(prefix, whole.subarray(0, prefix.length));
}

function newSeen(): Seen {
  return {
    batches: 0,
    packets: 0,
    bytes: 0,
    largestBatch: 0,
    matched: 0,
    kernelErrors: 0,
    truncated: 0,
    oversize: 0,
    errorQueue: 0,
    failures: {},
    reopened: 0,
    resized: 0,
    kernelDrops: 0,
  };
}

// ---- sockets ----------------------------------------------------------------------------

// A reopened socket keeps its predecessor's counts and expectations: datagrams registered for
// the old one may reach the new one (a reopen happens in a batch callback, mid-burst).
function open(name: Name, seen: Seen = newSeen(), expected = new Map<string, Expectation[]>()): Watched {
  const watched = new Watched(name, seen, expected);
  const native = watched.native;
  // From the mischief generator: a reopen happens when a batch says so, which timing decides.
  if (mischiefRng.chance(0.3)) resize(watched, mischiefRng.pick([1, 4096, 5000, 9000, 65595, mischiefRng.int(1, 65595)]));
  // Staging arrays: none (a fresh pair per batch), too small for most batches, or the wrapper's.
  const staging = mischiefRng.int(0, 2);
  if (staging === 0) native.start();
  else if (staging === 1) native.start(new Uint8Array(mischiefRng.int(1, 9000)), new Float64Array(L.stride * mischiefRng.int(1, 3)));
  else native.start(new Uint8Array(256 * 1024), new Float64Array(L.maxPacketsPerWake * L.stride));
  sockets.set(name, watched);
  return watched;
}

function resize(watched: Watched, bytes: number): void {
  watched.native.setMaxPacketSize(bytes);
  watched.slot = Math.max(DEFAULT_SLOT, bytes);
  watched.seen.resized++;
}

function ports(): Set<number> {
  const out = new Set<number>();
  for (const s of sockets.values()) if (!s.raw) out.add(s.port);
  return out;
}

/** The kernel's drop counter of the socket behind `fd` (the last column of /proc/net/{raw,raw6,icmp,icmp6}). */
function kernelDrops(fd: number): number {
  const inode = /socket:\[(\d+)\]/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1];
  for (const table of ['raw', 'raw6', 'icmp', 'icmp6']) {
    for (const line of readFileSync(`/proc/net/${table}`, 'utf8').split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      if (columns[9] === inode) return Number(columns[12]);
    }
  }
  return 0;
}

/** Closes a socket, counting what the kernel dropped for it first. */
function close(socket: Watched): void {
  socket.seen.kernelDrops += kernelDrops(socket.native.fd);
  socket.native.close();
}

// ---- expectations -----------------------------------------------------------------------

function key(bytes: Uint8Array, wire: number): string {
  return `${hexKey(bytes, 24)}/${wire}`;
}

function expect(socket: Watched, k: string, expectation: Expectation): void {
  const list = socket.expected.get(k);
  if (list === undefined) socket.expected.set(k, [expectation]);
  else list.push(expectation);
  registered.push({ burst, socket, key: k, expectation });
}

function forget(before: number): void {
  const old = performance.now() - QUOTED_KEEP_MS;
  for (const [k, at] of quoted) {
    if (at >= old) break; // in the order they were sent
    quoted.delete(k);
  }
  let n = 0;
  while (n < registered.length && (registered[n] as (typeof registered)[number]).burst < before) n++;
  for (const r of registered.splice(0, n)) {
    const list = r.socket.expected.get(r.key);
    if (list === undefined) continue;
    const at = list.indexOf(r.expectation);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) r.socket.expected.delete(r.key);
  }
}

/** Registers what each socket may see of a crafted datagram. */
function foreseeCrafted(c: Crafted): void {
  const sights = foresee(c.family, c.datagram);
  if (sights.quoteKey !== '') {
    quoted.delete(sights.quoteKey);
    quoted.set(sights.quoteKey, performance.now());
  }
  const raw = sockets.get(c.family === 4 ? 'raw4' : 'raw6');
  if (raw !== undefined && sights.raw !== null) expect(raw, key(sights.raw.icmp, sights.raw.icmp.length), { kind: 'raw', sight: sights.raw });
  const dgram = sockets.get(c.family === 4 ? 'dgram4' : 'dgram6');
  if (dgram === undefined) return;
  if (sights.reply !== null && sights.reply.identifier === dgram.port) {
    expect(dgram, key(sights.reply.icmp, sights.reply.icmp.length), { kind: 'reply', sight: sights.reply });
  }
  if (sights.error !== null && sights.error.identifier === dgram.port) {
    expect(dgram, key(sights.error.payload, sights.error.payload.length), { kind: 'error', sight: sights.error });
  }
}

/** A datagram socket sends a probe; the raw socket of its family will see it. */
function sendProbe(dgram: Watched): void {
  const family = dgram.family;
  const source = family === 4 ? '127.0.0.1' : '::1';
  const destination = family === 4 ? (rng.chance(0.5) ? '127.0.0.1' : `127.${rng.int(0, 254)}.${rng.int(0, 255)}.${rng.int(1, 254)}`) : '::1';
  dgram.sequence = (dgram.sequence + 1) & 0xffff;
  const icmp = probeMessage(family, dgram.port, dgram.sequence, rng.bytes(rng.int(0, 200)), source, destination);
  dgram.native.send(icmp, destination);
  const list = probes[family];
  list.push({ family, source, destination, icmp });
  if (list.length > 32) list.shift();
  const raw = sockets.get(family === 4 ? 'raw4' : 'raw6');
  if (raw !== undefined) {
    const sight: RawSight = {
      icmp,
      source: addressBytes(family, source),
      header: family === 4 ? { ihl: 20, tos: 0, ttl: null, destination: addressBytes(4, destination) } : null,
      hopLimit: null,
    };
    expect(raw, key(icmp, icmp.length), { kind: 'raw', sight });
  }
}

// ---- receiving --------------------------------------------------------------------------

interface Packet {
  bytes: Uint8Array;
  wire: number;
  truncated: boolean;
  errorQueue: boolean;
  ttl: number;
  source: Uint8Array;
  offender: Uint8Array | null;
  errno: number;
  origin: number;
  type: number;
  code: number;
  info: number;
}

const isIndex = (n: number): boolean => Number.isInteger(n) && n >= 0;

function onBatch(socket: Watched, data: Uint8Array, meta: Float64Array, count: number): void {
  const nowNs = Number(process.hrtime.bigint());
  const where = { socket: socket.name, count, dataLength: data.length, metaLength: meta.length };
  check(sockets.get(socket.name) === socket, 'a batch from a socket that was closed', where);
  check(Number.isInteger(count) && count >= 1 && count <= L.maxPacketsPerWake && count * L.stride <= meta.length, 'batch count', where);
  socket.seen.batches++;
  socket.seen.largestBatch = Math.max(socket.seen.largestBatch, count);
  const addressBytesOf = socket.family === 4 ? 4 : 16;
  let end = 0; // every region of a packet starts at or after the end of the previous packet's
  for (let i = 0; i < count; i++) {
    const m = i * L.stride;
    const at = meta[m + L.dataOffset] as number;
    const length = meta[m + L.length] as number;
    const wire = meta[m + L.wireLength] as number;
    const flags = meta[m + L.flags] as number;
    const ttl = meta[m + L.ttl] as number;
    const recvNs = meta[m + L.recvNs] as number;
    const addrAt = meta[m + L.addrOffset] as number;
    const scope = meta[m + L.scopeId] as number;
    const offenderAt = meta[m + L.offenderOffset] as number;
    const fields = { ...where, packet: i, at, length, wire, flags, ttl, recvNs, addrAt, scope, offenderAt, slot: socket.slot };
    const errorQueue = (flags & L.flagErrorQueue) !== 0;
    const truncated = (flags & L.flagTruncated) !== 0;
    check(isIndex(at) && isIndex(length) && isIndex(wire) && isIndex(addrAt), 'offsets and lengths are integers >= 0', fields);
    check(addrAt >= end && addrAt + 16 <= data.length, 'the source address lies inside the batch, after the previous packet', fields);
    check(Number.isInteger(flags) && (flags & ~(L.flagTruncated | L.flagErrorQueue)) === 0, 'only known flags', fields);
    check(!errorQueue || !socket.raw, 'error-queue entries only on datagram sockets', fields);
    check(
      offenderAt === -1 || (errorQueue && offenderAt >= addrAt + 16 && offenderAt + 16 <= at),
      'the offender lies between the address and the data, on error-queue entries only',
      fields,
    );
    check(at >= addrAt + 16 && at + length <= data.length, 'the bytes lie inside the batch', fields);
    check(length === Math.min(wire, socket.slot), 'stored = min(real length, receive slot)', fields);
    check(truncated === wire > length, 'truncated exactly when the datagram was longer than what was stored', fields);
    check(Number.isInteger(ttl) && ttl >= -1 && ttl <= 255, 'TTL -1 or 0..255', fields);
    check(Number.isFinite(recvNs) && recvNs >= startNs && recvNs <= nowNs, 'the receive stamp is between the start and now', fields);
    check(Number.isInteger(scope) && scope >= 0 && scope <= 0xffffffff, 'scope id', fields);
    // The 16-byte address fields: IPv4 in the first 4 bytes, the rest zero.
    if (socket.family === 4)
      check(
        data.subarray(addrAt + 4, addrAt + 16).every((b) => b === 0),
        'an IPv4 address field is zero after 4 bytes',
        fields,
      );
    end = at + length;
    const packet: Packet = {
      bytes: data.slice(at, at + length),
      wire,
      truncated,
      errorQueue,
      ttl,
      source: data.slice(addrAt, addrAt + addressBytesOf),
      offender: offenderAt >= 0 ? data.slice(offenderAt, offenderAt + addressBytesOf) : null,
      errno: meta[m + L.errno] as number,
      origin: meta[m + L.origin] as number,
      type: meta[m + L.type] as number,
      code: meta[m + L.code] as number,
      info: meta[m + L.info] as number,
    };
    socket.seen.packets++;
    socket.seen.bytes += length;
    if (truncated) socket.seen.truncated++;
    if (wire > socket.slot) socket.seen.oversize++;
    if (errorQueue) socket.seen.errorQueue++;
    explain(socket, packet, fields);
  }
  mischief(socket);
}

/** Finds what the packet is: an expected one (taken, checked field by field), or a kernel error about one of ours. */
function explain(socket: Watched, p: Packet, fields: Record<string, unknown>): void {
  const ihl = socket.raw && socket.family === 4 ? ((p.bytes[0] as number) & 0x0f) * 4 : 0;
  const k = key(p.bytes.subarray(ihl), p.wire - ihl);
  const candidates = socket.expected.get(k) ?? [];
  const problems: string[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const problem = mismatch(socket, p, candidates[i] as Expectation);
    if (problem === null) {
      candidates.splice(i, 1);
      if (candidates.length === 0) socket.expected.delete(k);
      socket.seen.matched++;
      return;
    }
    problems.push(problem);
  }
  if (socket.raw && !p.truncated) {
    const quotedKey = kernelErrorKey(socket.family, p.bytes);
    if (quotedKey !== null && quoted.has(quotedKey)) {
      socket.seen.kernelErrors++;
      return;
    }
  }
  fail(`${socket.name}: a packet that matches nothing sent`, {
    ...fields,
    problems,
    bytes: p.bytes,
    source: p.source,
    offender: p.offender,
    type: p.type,
    code: p.code,
    info: p.info,
    sentAs: whence(p.bytes.subarray(ihl, ihl + 16)),
  });
}

/** The recent datagrams that carry `bytes`, and what the oracle said of them: for a failure's report. */
function whence(bytes: Uint8Array): unknown[] {
  const needle = Buffer.from(bytes);
  return recent
    .filter((c) => Buffer.from(c.datagram.buffer, c.datagram.byteOffset, c.datagram.length).includes(needle))
    .slice(-3)
    .map((c) => {
      const s = foresee(c.family, c.datagram);
      return {
        kind: c.kind,
        length: c.datagram.length,
        head: hexKey(c.datagram, 80),
        raw: s.raw !== null,
        reply: s.reply?.identifier ?? null,
        error: s.error?.identifier ?? null,
      };
    });
}

/** Null when the packet is exactly what the expectation says, else what differs. */
function mismatch(socket: Watched, p: Packet, e: Expectation): string | null {
  if (e.kind === 'raw') {
    const s = e.sight;
    if (p.errorQueue) return 'raw: from the error queue';
    if (s.header !== null) {
      const b = p.bytes;
      const h = s.header;
      if (((b[0] as number) & 0x0f) * 4 !== h.ihl) return 'raw: header length';
      if (b[1] !== h.tos) return 'raw: TOS';
      if (h.ttl !== null && b[8] !== h.ttl) return 'raw: TTL in the header';
      if (b[9] !== 1) return 'raw: protocol';
      if (!same(b.subarray(12, 16), s.source) || !same(b.subarray(16, 20), h.destination)) return 'raw: header addresses';
      if (!prefixOf(b.subarray(h.ihl), s.icmp)) return 'raw: ICMP bytes';
      if (p.wire !== h.ihl + s.icmp.length) return 'raw: real length';
      if (p.ttl !== -1) return 'raw IPv4: a TTL control message';
    } else {
      if (!prefixOf(p.bytes, s.icmp) || p.wire !== s.icmp.length) return 'raw: ICMPv6 bytes or length';
      if (s.hopLimit !== null && p.ttl !== s.hopLimit) return `raw: hop limit ${p.ttl}, sent ${s.hopLimit}`;
    }
    if (!same(p.source, s.source)) return 'raw: source address';
    return null;
  }
  if (e.kind === 'reply') {
    const s = e.sight;
    if (p.errorQueue) return 'reply: from the error queue';
    if (!prefixOf(p.bytes, s.icmp) || p.wire !== s.icmp.length) return 'reply: bytes or real length';
    if (!same(p.source, s.source)) return 'reply: source address';
    if (p.ttl !== s.ttl) return `reply: TTL ${p.ttl}, sent ${s.ttl}`;
    return null;
  }
  const s = e.sight;
  if (!p.errorQueue) return 'error: not from the error queue';
  if (!prefixOf(p.bytes, s.payload) || p.wire !== s.payload.length) return 'error: bytes or real length';
  if (!same(p.source, s.destination)) return 'error: address (the quoted destination)';
  if (p.offender === null || !same(p.offender, s.offender)) return 'error: offender';
  if (p.origin !== (socket.family === 4 ? 2 : 3)) return `error: origin ${p.origin}`;
  if (p.type !== s.type || p.code !== s.code) return `error: type/code ${p.type}/${p.code}, sent ${s.type}/${s.code}`;
  if (p.info !== s.info) return `error: info ${p.info}, sent ${s.info}`;
  if (!(p.errno > 0 && p.errno < 200)) return `error: errno ${p.errno}`;
  if (p.ttl !== s.ttl) return `error: TTL ${p.ttl}, sent ${s.ttl}`;
  return null;
}

/** From inside the batch callback: what an application may do there. */
function mischief(socket: Watched): void {
  if (mischiefRng.chance(0.02)) resize(socket, mischiefRng.pick([1, 4096, 4097, 5000, 8192, 9000, 30000, 65535, 65595, mischiefRng.int(1, 65595)]));
  if (mischiefRng.chance(0.005)) {
    // Out of range: refused, and nothing changes.
    const bad = mischiefRng.pick([0, -1, 65596, 1e9, Number.NaN]);
    let threw = false;
    try {
      socket.native.setMaxPacketSize(bad);
    } catch (error) {
      threw = error instanceof RangeError;
    }
    check(threw, `setMaxPacketSize(${bad}) is refused with a RangeError`);
  }
  if (reopenBudget > 0 && mischiefRng.chance(0.004)) {
    reopenBudget--;
    close(socket);
    socket.native.close(); // idempotent
    check(socket.native.closed, 'closed after close()');
    sockets.delete(socket.name);
    const again = open(socket.name, socket.seen, socket.expected);
    again.seen.reopened++;
  }
}

// ---- the run ----------------------------------------------------------------------------

function context(): CraftContext {
  return {
    rng,
    ports: ports(),
    probes,
    port: { 4: sockets.get('dgram4')?.port ?? -1, 6: sockets.get('dgram6')?.port ?? -1 },
  };
}

function destinationBytes(c: Crafted): Uint8Array {
  return addressBytes(c.family, c.destination);
}

/** Lets the loop run until the sockets have been read (loopback delivers within the sender's sendto). */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

async function main(): Promise<void> {
  for (const name of NAMES) open(name);
  const sender = await RawSender.start();
  const crafted: Record<string, number> = {};
  let sent = 0;
  let refused = 0;
  let probesSent = 0;
  const deadline = performance.now() + seconds * 1000;
  // The first burst holds one of each kind that the end of the run must have seen: a reply of
  // 60000 bytes and an error for each datagram socket, so even a short run exercises them.
  let first = true;
  while (first || performance.now() < deadline) {
    burst++;
    for (const name of ['dgram4', 'dgram6'] as const) {
      const dgram = sockets.get(name);
      if (dgram === undefined) continue;
      for (let n = first ? 2 : rng.int(0, 2); n > 0; n--) {
        sendProbe(dgram);
        probesSent++;
      }
    }
    await settle();
    const batch: Crafted[] = [];
    if (first) {
      const ctx = context();
      for (const kind of ['v4-reply', 'v4-error', 'v6-reply', 'v6-error', 'v4-random', 'v6-random'] as const) batch.push(craft(ctx, kind));
      batch.push(craftReply(ctx, 4, 60000), craftReply(ctx, 6, 60000));
    } else {
      // Bounded by the sockets' receive buffers (212992 bytes by default; a datagram of 64 KiB
      // takes 128 KiB of it): at most one large datagram per family per burst.
      const ctx = context();
      let bytes = 0;
      const large = { 4: 0, 6: 0 };
      for (let n = rng.int(1, 40); n > 0 && bytes < 96 * 1024; n--) {
        const c = craftAny(ctx);
        if (c.datagram.length > 16 * 1024 && large[c.family]++ > 0) continue;
        batch.push(c);
        bytes += c.datagram.length;
      }
    }
    for (const c of batch) {
      crafted[c.kind] = (crafted[c.kind] ?? 0) + 1;
      foreseeCrafted(c);
      recent.push(c);
    }
    if (recent.length > 2000) recent.splice(0, recent.length - 2000);
    const acks = await sender.send(batch.map((c): RawDatagram => ({ family: c.family, destination: destinationBytes(c), datagram: c.datagram })));
    for (const ok of acks) {
      if (ok) sent++;
      else refused++;
    }
    await settle();
    forget(burst - 64);
    first = false;
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  const senderSummary = await sender.close();
  const seen: Record<string, Seen> = {};
  for (const s of sockets.values()) {
    seen[s.name] = s.seen;
    close(s);
    // The counts agree: every packet was matched, or (raw sockets) a kernel error about ours;
    // truncated exactly when larger than the slot; error-queue entries only on datagram sockets.
    const n = s.seen;
    check(n.packets === n.matched + n.kernelErrors, `${s.name}: packets = matched + kernel errors`, { seen: n });
    check(n.truncated === n.oversize && n.errorQueue <= n.matched && (s.raw ? n.errorQueue === 0 : n.kernelErrors === 0), `${s.name}: counters agree`, {
      seen: n,
    });
  }
  // Which addon ran, and whether AddressSanitizer was in the process (npm run test:asan).
  const maps = readFileSync('/proc/self/maps', 'utf8');
  const addonPath = /\s(\/\S*rawping\.node)$/m.exec(maps)?.[1] ?? null;
  const sanitized = /libasan/.test(maps);
  const report = { seed, seconds, addon: addonPath, sanitized, bursts: burst, probes: probesSent, crafted, sent, refused, sender: senderSummary, seen };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error: unknown) => fail('the driver threw', { error: error instanceof Error ? error.stack : String(error) }));
