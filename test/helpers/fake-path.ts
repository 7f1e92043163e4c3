// A path of routers on a virtual clock, for traces without the addon: a socket whose datagrams
// carry a hop limit each, walked hop by hop. A probe whose TTL ends at a router gets that
// router's Time Exceeded (unless it is filtered, or its ICMP rate limit says no, modelled as
// Linux's token bucket); one that reaches the destination gets its echo reply; a router holding
// an unreachable route answers with its error. Links can drop probes. Answers arrive as the
// kernel hands them over: raw IPv4 with the IP header, raw IPv6 without, and on datagram
// sockets an echo reply without a header or an error-queue entry (the probe as sent, and who
// sent the error).
import { SocketError } from '../../src/errors.js';
import type { SocketOpener } from '../../src/pinger/engine.js';
import type { ReceivedPacket, SocketKind, SocketLike } from '../../src/os/socket-like.js';
import { concat, icmpEcho, icmpMessage, icmpv6Echo, icmpv6Message, ipv4Datagram, ipv6Packet, NH_ICMPV6, rest32 } from './packet-builders.js';
import type { VirtualClock } from './virtual-clock.js';

/** A token bucket as Linux keeps one per destination for the ICMP errors a router sends. */
export interface RateLimit {
  /** Milliseconds one answer costs (net.ipv4.icmp_ratelimit; Linux's default 1000). */
  costMs: number;
  /** Answers the bucket holds when full (Linux: 6). */
  burst: number;
}

/** Linux's default: one answer a second, a burst of six. */
export const LINUX_DEFAULT_RATE_LIMIT: RateLimit = { costMs: 1000, burst: 6 };

/** A router of the path. */
export interface FakeRouter {
  /** The address its answers come from; a function of the virtual time for a path that changes. */
  address: string | ((nowMs: number) => string);
  /** Answers nothing (a filter on its ICMP). */
  filtered?: boolean;
  /** Its ICMP rate limit (default: none). */
  rateLimit?: RateLimit;
  /** Answers every probe that reaches it with this ICMP error instead of forwarding (an unreachable route). */
  error?: { type: number; code: number; info?: number };
  /** Not on the path before this virtual time (the path grows a hop then). */
  joinsAtMs?: number;
}

/** A path: routers in order, then the destination. */
export interface FakePathSpec {
  family: 4 | 6;
  kind: SocketKind;
  /** The address the client sends from. */
  source: string;
  /** The destination's address (the probes' destination). */
  destination: string;
  routers: FakeRouter[];
  /** The destination does not answer echo requests. */
  silentDestination?: boolean;
  /** Drops the probe on the link into hop `hop` (1: the first router; routers + 1: the destination); `n` counts probes crossing that link, from 0. */
  drop?: (hop: number, n: number) => boolean;
  /** One-way delay of each link, ms (default 0.05). */
  linkMs?: number;
}

/** A probe the socket was asked to send. */
export interface SentProbe {
  hopLimit: number;
  sequence: number;
  atMs: number;
  bytes: Uint8Array;
}

class PathSocket implements SocketLike {
  readonly family: 4 | 6;
  readonly kind: SocketKind;
  readonly identifier: number;
  closed = false;
  #onPackets: (packets: ReceivedPacket[]) => void = () => {};
  readonly #path: FakePath;

  constructor(path: FakePath, family: 4 | 6, kind: SocketKind, identifier: number) {
    this.#path = path;
    this.family = family;
    this.kind = kind;
    this.identifier = identifier;
  }

  send(): number {
    throw new SocketError('EINVAL', -22, 'sendto', 'a trace path takes sends with a hop limit only');
  }

  sendWithHopLimit(bytes: Uint8Array, address: string, _scopeId: number, hopLimit: number): number {
    if (this.closed) throw new SocketError('EBADF', -9, 'sendmsg', 'sendmsg EBADF');
    return this.#path.carry(this, Uint8Array.from(bytes), address, hopLimit);
  }

  listen(onPackets: (packets: ReceivedPacket[]) => void): void {
    this.#onPackets = onPackets;
  }

  setMaxPacketSize(): void {}
  ref(): void {}
  unref(): void {}
  close(): void {
    this.closed = true;
  }

  deliver(packet: Omit<ReceivedPacket, 'scopeId' | 'ttl' | 'truncated' | 'wireLength'>): void {
    this.#onPackets([{ scopeId: 0, ttl: 64, truncated: false, wireLength: packet.bytes.length, ...packet }]);
  }
}

/** The path, its sockets, and what went over it. */
export class FakePath {
  readonly clock: VirtualClock;
  readonly spec: FakePathSpec;
  /** Every probe sent, in order. */
  readonly sent: SentProbe[] = [];
  /** Time Exceeded (or error) answers each router gave. */
  readonly answers: number[];
  /** Identifier a datagram socket gets from the "kernel". */
  readonly dgramIdentifier = 0x5a5a;
  readonly #tokens: number[];
  readonly #refilledMs: number[];
  readonly #crossed: number[];

  constructor(clock: VirtualClock, spec: FakePathSpec) {
    this.clock = clock;
    this.spec = spec;
    this.answers = spec.routers.map(() => 0);
    this.#tokens = spec.routers.map((r) => (r.rateLimit === undefined ? Infinity : r.rateLimit.burst * r.rateLimit.costMs));
    this.#refilledMs = spec.routers.map(() => clock.now());
    this.#crossed = new Array<number>(spec.routers.length + 1).fill(0);
  }

  /** The opener to give an Engine or socketSetOn. */
  readonly open: SocketOpener = (family, _spec, identifier) =>
    new PathSocket(this, family, this.spec.kind, this.spec.kind === 'raw' ? identifier : this.dgramIdentifier);

  /** The address router `i` (0-based) answers from now. */
  routerAddress(i: number): string {
    const address = (this.spec.routers[i] as FakeRouter).address;
    return typeof address === 'string' ? address : address(this.clock.now());
  }

  /** Walks a probe along the path and schedules what comes back. */
  carry(socket: PathSocket, bytes: Uint8Array, address: string, hopLimit: number): number {
    const now = this.clock.now();
    // A datagram socket's kernel writes its own identifier (and checksum) into the request.
    if (socket.kind === 'dgram') {
      bytes[4] = this.dgramIdentifier >> 8;
      bytes[5] = this.dgramIdentifier & 0xff;
    }
    this.sent.push({ hopLimit, sequence: ((bytes[6] as number) << 8) | (bytes[7] as number), atMs: now, bytes });
    if (address !== this.spec.destination) return now * 1e6;
    const link = this.spec.linkMs ?? 0.05;
    const indices = this.spec.routers.map((_, i) => i).filter((i) => (this.spec.routers[i]?.joinsAtMs ?? 0) <= now);
    const routers = indices.map((i) => this.spec.routers[i] as FakeRouter);
    for (let hop = 1; hop <= routers.length + 1; hop++) {
      const n = this.#crossed[hop - 1] as number;
      this.#crossed[hop - 1] = n + 1;
      if (this.spec.drop?.(hop, n) === true) return now * 1e6;
      const back = 2 * hop * link;
      if (hop === routers.length + 1) {
        if (this.spec.silentDestination !== true) this.#later(back, () => this.#echoReply(socket, bytes));
        return now * 1e6;
      }
      const router = routers[hop - 1] as FakeRouter;
      const index = indices[hop - 1] as number;
      if (router.error !== undefined || hop === hopLimit) {
        const from = this.routerAddress(index);
        if (router.filtered !== true && this.#allows(index)) {
          this.answers[index] = (this.answers[index] as number) + 1;
          const error = router.error ?? { type: this.spec.family === 4 ? 11 : 3, code: 0 };
          this.#later(back, () => this.#error(socket, bytes, from, error));
        }
        return now * 1e6;
      }
    }
    return now * 1e6;
  }

  // Linux's inet_peer_xrlim_allow: tokens in ms, refilled by the time passed, capped at the
  // burst; an answer costs one interval's worth.
  #allows(i: number): boolean {
    const limit = (this.spec.routers[i] as FakeRouter).rateLimit;
    if (limit === undefined) return true;
    const now = this.clock.now();
    const tokens = Math.min(limit.burst * limit.costMs, (this.#tokens[i] as number) + now - (this.#refilledMs[i] as number));
    this.#refilledMs[i] = now;
    if (tokens < limit.costMs) {
      this.#tokens[i] = tokens;
      return false;
    }
    this.#tokens[i] = tokens - limit.costMs;
    return true;
  }

  #later(ms: number, fn: () => void): void {
    this.clock.setTimer(fn, ms);
  }

  #echoReply(socket: PathSocket, request: Uint8Array): void {
    const identifier = ((request[4] as number) << 8) | (request[5] as number);
    const sequence = ((request[6] as number) << 8) | (request[7] as number);
    const payload = request.subarray(8);
    const { family, destination, source } = this.spec;
    const recvNs = this.clock.now() * 1e6;
    if (family === 4) {
      const reply = icmpEcho(0, identifier, sequence, payload);
      const bytes = socket.kind === 'raw' ? ipv4Datagram({ source: destination, destination: source, ttl: 60 }, reply) : reply;
      socket.deliver({ bytes, source: destination, recvNs, errorQueue: null });
    } else {
      socket.deliver({ bytes: icmpv6Echo(129, identifier, sequence, payload), source: destination, recvNs, errorQueue: null });
    }
  }

  #error(socket: PathSocket, request: Uint8Array, from: string, error: { type: number; code: number; info?: number }): void {
    const { family, destination, source } = this.spec;
    const recvNs = this.clock.now() * 1e6;
    if (socket.kind === 'dgram') {
      // The error queue hands back the request as sent; the entry names the router.
      socket.deliver({
        bytes: request,
        source: destination,
        recvNs,
        errorQueue: { errno: 113, origin: family === 4 ? 2 : 3, type: error.type, code: error.code, info: error.info ?? 0, offender: from },
      });
      return;
    }
    if (family === 4) {
      // Linux quotes the whole probe (up to 576 bytes in all), IP header first.
      const quoted = ipv4Datagram({ source, destination, ttl: 1 }, request);
      const message = icmpMessage(error.type, error.code, rest32(error.info ?? 0), quoted);
      socket.deliver({ bytes: ipv4Datagram({ source: from, destination: source, ttl: 64 }, message), source: from, recvNs, errorQueue: null });
    } else {
      const quoted = ipv6Packet({ source, destination, hopLimit: 1 }, [], NH_ICMPV6, request);
      socket.deliver({ bytes: icmpv6Message(error.type, error.code, rest32(error.info ?? 0), concat(quoted)), source: from, recvNs, errorQueue: null });
    }
  }
}
