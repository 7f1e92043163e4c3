import { decodeReceived } from '../packet/decode-received.js';
import { COOKIE_BYTES } from '../packet/echo-request.js';
import { errorKind, isErrorMessage, type QuotedProbe } from '../packet/icmp-message.js';
import { parseQueuedProbe } from '../packet/quoted-probe.js';
import { decodeIpOptions } from '../packet/ip-options.js';
import type { ReceivedPacket, SocketLike } from '../os/socket-like.js';
import type { PmtuMode, SocketMode } from '../os/socket-like.js';
import { type Clock, realClock } from './clock.js';
import type { IcmpErrorReport } from './reply-accounting.js';
import type { Session } from './session.js';
import type { SessionTransport } from './session-transport.js';

/** Socket-level settings: sessions that agree on them share one socket per family. */
export interface SocketSpec {
  /** 'raw', 'dgram' or 'auto' (raw when permitted, else dgram). */
  mode: SocketMode;
  /** Unicast TTL / hop limit. */
  ttl?: number;
  /** TOS / traffic class. */
  tos?: number;
  /** Source address to bind. */
  source?: string;
  /** Interface to bind (SO_BINDTODEVICE). */
  interface?: string;
  /** Allow broadcast destinations. */
  broadcast?: boolean;
  /** Echo identifier of the socket (raw: in every probe; datagram: the port bound), 0-65535; default: the engine's random one (raw), the kernel's (datagram). */
  identifier?: number;
  /** Path MTU discovery. */
  pmtu?: PmtuMode;
  /** SO_MARK. */
  mark?: number;
  /** SO_SNDBUF, bytes. */
  sendBuffer?: number;
  /** SO_DEBUG. */
  debug?: boolean;
  /** SO_DONTROUTE. */
  dontRoute?: boolean;
  /** false: no multicast loopback. */
  multicastLoop?: boolean;
  /** IPv4 options of every probe (record route, timestamps), as bytes. */
  ipOptions?: Uint8Array;
  /** IPv6 flow label. */
  flowLabel?: number;
  /** connect() to the first destination. */
  connect?: boolean;
  /** bind() to the first destination's route source. */
  strictSource?: boolean;
  /** Receive stamps taken in user space. */
  userLatency?: boolean;
}

// The settings above besides those specKey names one by one: two specs that differ in any of
// them get different sockets.
const MORE_SETTINGS = [
  'identifier',
  'pmtu',
  'mark',
  'sendBuffer',
  'debug',
  'dontRoute',
  'multicastLoop',
  'flowLabel',
  'connect',
  'strictSource',
  'userLatency',
] as const;

/** The settings of `spec` beyond ttl, tos, source, interface and broadcast, as text (for keys and messages). */
export function moreSettingsText(spec: SocketSpec): string {
  const parts: string[] = [];
  for (const key of MORE_SETTINGS) if (spec[key] !== undefined) parts.push(`${key} ${String(spec[key])}`);
  if (spec.ipOptions !== undefined) parts.push(`ipOptions ${Buffer.from(spec.ipOptions).toString('hex')}`);
  return parts.join(', ');
}

/** Opens a socket for a family and spec; the identifier is what raw sockets should use. */
export type SocketOpener = (family: 4 | 6, spec: SocketSpec, identifier: number) => SocketLike;

/** Counters of what the engine dropped, for diagnostics and tests. */
export interface EngineCounters {
  /** Datagrams that did not decode (bad IP header, short ICMP...). */
  malformed: number;
  /** Well-formed ICMP that was not for any session (foreign identifier, cookie, source...). */
  foreign: number;
}

interface SocketEntry {
  key: string;
  family: 4 | 6;
  socket: SocketLike;
  sessions: Set<Session>;
  maxPacket: number;
}

function specKey(family: 4 | 6, spec: SocketSpec): string {
  return JSON.stringify([
    family,
    spec.mode,
    spec.ttl ?? null,
    spec.tos ?? null,
    spec.source ?? null,
    spec.interface ?? null,
    spec.broadcast === true,
    moreSettingsText(spec),
  ]);
}

function cookieKey(bytes: Uint8Array): number {
  return (((bytes[0] as number) << 24) | ((bytes[1] as number) << 16) | ((bytes[2] as number) << 8) | (bytes[3] as number)) >>> 0;
}

/**
 * The process-wide half of the pinger: one socket per family (and per socket spec), shared by
 * every session, and the demultiplexer that hands each received packet to the session whose
 * identifier, cookie, source address and sequence it carries.
 */
export class Engine {
  readonly clock: Clock;
  /** Echo identifier used on raw sockets: random per engine, not the PID (PIDs collide in containers). */
  readonly identifier: number;
  readonly counters: EngineCounters = { malformed: 0, foreign: 0 };
  readonly #open: SocketOpener;
  readonly #entries = new Map<string, SocketEntry>();
  readonly #byCookie = new Map<number, Session>();
  readonly #sessionEntries = new Map<Session, SocketEntry[]>();

  readonly #random: (bytes: number) => Uint8Array;

  /**
   * @param options.random source of random bytes (default: Web Crypto's getRandomValues; the
   *   process's engine passes the addon's getrandom, as node:crypto is slow to load)
   */
  constructor(options: { openSocket: SocketOpener; clock?: Clock; identifier?: number; random?: (bytes: number) => Uint8Array }) {
    this.#open = options.openSocket;
    this.clock = options.clock ?? realClock;
    // globalThis.crypto loads Web Crypto only when first used.
    this.#random = options.random ?? ((n) => globalThis.crypto.getRandomValues(new Uint8Array(n)));
    const id = this.#random(2);
    this.identifier = options.identifier ?? ((((id[0] as number) << 8) | (id[1] as number)) % 0xffff) + 1;
  }

  /**
   * Opens (or finds) the socket for `family` and `spec` now; it stays open while the engine
   * lives (nothing closes it, and a closed one is never reopened: DESIGN.md), so a caller can
   * open sockets while privileged and drop privileges after.
   */
  openSocket(family: 4 | 6, spec: SocketSpec): SocketLike {
    return this.#entry(family, spec).socket;
  }

  /** Uses `socket` for `family` and `spec` from now on (a socket opened elsewhere, or inherited). */
  adoptSocket(family: 4 | 6, spec: SocketSpec, socket: SocketLike): void {
    this.#entries.set(specKey(family, spec), this.#listen(family, specKey(family, spec), socket));
  }

  /** A fresh cookie whose first four bytes no live session uses. */
  newCookie(): Uint8Array {
    for (;;) {
      const cookie = this.#random(COOKIE_BYTES);
      if (!this.#byCookie.has(cookieKey(cookie))) return Uint8Array.from(cookie);
    }
  }

  /** The transport sessions with this socket spec send through (sockets open on first use). */
  transport(spec: SocketSpec): SessionTransport {
    const cache = new Map<4 | 6, SocketEntry>();
    const entry = (family: 4 | 6): SocketEntry => {
      let found = cache.get(family);
      if (found === undefined) {
        found = this.#entry(family, spec);
        cache.set(family, found);
      }
      return found;
    };
    return {
      identifier: (family) => entry(family).socket.identifier,
      send: (family, bytes, address, scopeId) => entry(family).socket.send(bytes, address, scopeId),
      sendBatch: (family, packets, packetLength, addresses, scopeIds) => {
        const socket = entry(family).socket;
        return socket.sendBatch === undefined ? null : socket.sendBatch(packets, packetLength, addresses, scopeIds);
      },
    };
  }

  /** Attaches a session: opens its sockets (may throw PermissionError) and registers its cookie. */
  attach(session: Session, spec: SocketSpec): void {
    const entries: SocketEntry[] = [];
    for (const family of session.families()) {
      const entry = this.#entry(family, spec);
      entries.push(entry);
    }
    for (const entry of entries) {
      entry.sessions.add(session);
      const needed = session.config.size + 8 + 60 + 40;
      if (needed > entry.maxPacket) {
        entry.socket.setMaxPacketSize(Math.min(65535 + 60, needed));
        entry.maxPacket = needed;
      }
      entry.socket.ref();
    }
    this.#sessionEntries.set(session, entries);
    if (session.config.size >= 4) this.#byCookie.set(cookieKey(session.cookie), session);
  }

  /** Detaches a finished session; sockets nobody uses stop holding the process open. */
  detach(session: Session): void {
    const entries = this.#sessionEntries.get(session) ?? [];
    this.#sessionEntries.delete(session);
    if (this.#byCookie.get(cookieKey(session.cookie)) === session) this.#byCookie.delete(cookieKey(session.cookie));
    for (const entry of entries) {
      entry.sessions.delete(session);
      if (entry.sessions.size === 0) entry.socket.unref();
    }
  }

  #entry(family: 4 | 6, spec: SocketSpec): SocketEntry {
    const key = specKey(family, spec);
    const existing = this.#entries.get(key);
    if (existing !== undefined) return existing;
    const entry = this.#listen(family, key, this.#open(family, spec, this.identifier));
    this.#entries.set(key, entry);
    return entry;
  }

  #listen(family: 4 | 6, key: string, socket: SocketLike): SocketEntry {
    const entry: SocketEntry = { key, family, socket, sessions: new Set(), maxPacket: 0 };
    socket.listen(
      (packets) => this.#receive(entry, packets),
      () => {
        // A failing receive is not fatal for the sessions: their probes time out and are
        // reported as such. The socket stays open for sends.
      },
    );
    socket.unref();
    return entry;
  }

  // Offers a payload to the session its cookie names, or, for payloads under four bytes (tiny
  // -s, or cut short), to every session on this socket until one takes it. True when one did.
  #offer(entry: SocketEntry, payload: Uint8Array, take: (session: Session) => boolean): boolean {
    if (payload.length >= 4) {
      const session = this.#byCookie.get(cookieKey(payload));
      return session !== undefined && take(session);
    }
    for (const session of entry.sessions) if (take(session)) return true;
    return false;
  }

  #receive(entry: SocketEntry, packets: ReceivedPacket[]): void {
    for (const packet of packets) {
      if (packet.errorQueue !== null) {
        this.#receiveQueuedError(entry, packet);
        continue;
      }
      const decoded = decodeReceived(packet.bytes, entry.family, entry.socket.kind === 'raw' && entry.family === 4, packet.truncated);
      if (decoded.kind === 'ignored') {
        this.counters.malformed++;
        continue;
      }
      const message = decoded.message;
      const ttl = decoded.ip !== null ? decoded.ip.ttl : packet.ttl;
      const from = decoded.ip !== null ? decoded.ip.source : packet.source;
      let matched = false;
      if (message.kind === 'echo-reply') {
        if (message.identifier === entry.socket.identifier) {
          // The ICMP length as sent, not as kept: a datagram cut to fit still shows its size.
          const wireBytes = Math.max(message.length, packet.wireLength - (decoded.ip?.headerLength ?? 0));
          matched = this.#offer(entry, message.payload, (session) =>
            session.onEchoReply(
              entry.family,
              from,
              message,
              ttl,
              packet.recvNs,
              decoded.truncated,
              wireBytes,
              // IPv4 options (record route, timestamps) come only with raw IPv4 sockets' headers.
              decoded.ip !== null && decoded.ip.headerLength > 20 ? decodeIpOptions(decoded.ip.options) : null,
            ),
          );
        }
      } else if (isErrorMessage(message) && message.quoted !== null) {
        const info = message.mtu ?? message.pointer ?? 0;
        matched = this.#deliverError(entry, from, message.quoted, {
          kind: message.kind,
          type: message.type,
          code: message.code,
          info,
          gateway: message.gateway,
        });
      }
      if (!matched) this.counters.foreign++;
    }
  }

  #deliverError(entry: SocketEntry, from: string, quoted: QuotedProbe, facts: IcmpErrorReport): boolean {
    if (quoted.identifier !== entry.socket.identifier) return false;
    return this.#offer(entry, quoted.payload, (session) => session.onIcmpError(entry.family, from, quoted, facts));
  }

  // A datagram socket's ICMP errors come from its error queue: the bytes are our own echo
  // request as quoted, the source is the destination it was sent to, the offender the router.
  #receiveQueuedError(entry: SocketEntry, packet: ReceivedPacket): void {
    const error = packet.errorQueue;
    const icmpOrigin = entry.family === 4 ? 2 : 3; // SO_EE_ORIGIN_ICMP, SO_EE_ORIGIN_ICMP6
    const quoted = error?.origin === icmpOrigin ? parseQueuedProbe(packet.bytes, entry.family, packet.source) : null;
    const kind = error === null ? null : errorKind(entry.family, error.type);
    if (error === null || quoted === null || kind === null) {
      this.counters.foreign++;
      return;
    }
    const matched = this.#deliverError(entry, error.offender ?? packet.source, quoted, {
      kind,
      type: error.type,
      code: error.code,
      info: error.info,
      gateway: null,
    });
    if (!matched) this.counters.foreign++;
  }
}
