import { decodeReceived } from '../packet/decode-received.js';
import { COOKIE_BYTES } from '../packet/echo-request.js';
import { errorKind, isErrorMessage, type QuotedProbe } from '../packet/icmp-message.js';
import { parseQueuedProbe } from '../packet/quoted-probe.js';
import { decodeIpOptions, type IpOption } from '../packet/ip-options.js';
import type { ReceivedPacket, SocketLike } from '../os/socket-like.js';
import type { SocketMode, SocketSettings } from '../os/socket-like.js';
import type { EchoMessage } from '../packet/icmp-message.js';
import { type Clock, realClock } from './clock.js';
import { DEFAULT_MAX_BURST, DEFAULT_RECEIVE_BUFFER_BYTES, type EngineLimits, inFlightBytesFor, MAX_HANDED_OVER } from './receive-capacity.js';
import type { IcmpErrorReport } from './reply-accounting.js';
import { SendPacer } from './send-pacer.js';
import { SequenceLedger } from './sequence-ledger.js';
// Runs of every kind attach through one interface (ping sessions, trace sessions); only a
// ping session queues probes on a socket (a flood clocked by its replies).
import type { EngineClient } from './engine-client.js';
import type { Session } from './session.js';
import type { SessionTransport } from './session-transport.js';

/** Socket-level settings: sessions that agree on them share one socket per family. */
export interface SocketSpec extends SocketSettings {
  /** 'raw', 'dgram' or 'auto' (raw when permitted, else dgram). */
  mode: SocketMode;
  /** Echo identifier of the socket (raw: in every probe; datagram: the port bound), 0-65535; default: the engine's random one (raw), the kernel's (datagram). */
  identifier?: number;
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

/** Counters of what the engine dropped, and what the kernel did, for diagnostics and tests. */
export interface EngineCounters {
  /** Datagrams that did not decode (bad IP header, short ICMP...). */
  malformed: number;
  /** Well-formed ICMP that was not for any session (foreign identifier, cookie, source...). */
  foreign: number;
  /**
   * How far the kernel's drop counters of the engine's sockets rose while the engine held them:
   * datagrams discarded because a receive queue was full (see SocketLike.kernelDrops).
   */
  kernelDrops: number;
}

// The kernel's default receive queue (net.core.rmem_default as getsockopt reports it), assumed
// for a socket that cannot say what it has.
const KERNEL_DEFAULT_QUEUE_BYTES = 212992;

interface SocketEntry {
  key: string;
  family: 4 | 6;
  socket: SocketLike;
  sessions: Set<EngineClient>;
  maxPacket: number;
  /** Its receive queue, bytes as getsockopt reports it; Infinity when the socket has none to size (a fake). */
  queueBytes: number;
  /** The kernel's drop counter as last seen (32 bits), or -1 before the first reading. */
  drops: number;
  /** The session whose probes are queued on it (queueSends; its only session then), or null. */
  queueOwner: Session | null;
  /** Reports still to come of probes it sent before its queue was dropped; -1 while the queue is live. */
  queueReports: number;
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

// Only a ping session queues probes on a socket (a flood clocked by its replies); a trace sends each itself.
function queues(client: EngineClient): client is Session {
  return 'onQueuedSent' in client;
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
  readonly counters: EngineCounters = { malformed: 0, foreign: 0, kernelDrops: 0 };
  /** The one pacer every session's sends pass through. */
  readonly pacer: SendPacer;
  readonly #open: SocketOpener;
  readonly #entries = new Map<string, SocketEntry>();
  readonly #byCookie = new Map<number, EngineClient>();
  readonly #sessionEntries = new Map<EngineClient, SocketEntry[]>();
  // Sessions whose probes carry no cookie, by the owner number the ledger knows them by.
  readonly #cookieless = new Map<number, EngineClient>();
  readonly #ledger = new SequenceLedger();
  #nextOwner = 1;
  readonly #receiveBufferBytes: number;
  // Inside #receive (a batch being handed over): a drain asked for then is that batch's.
  #receiving = 0;
  readonly #boundedByQueue: boolean;
  readonly #sendFromThread: boolean;

  readonly #random: (bytes: number) => Uint8Array;
  #pool: Uint8Array = new Uint8Array(0);
  #poolAt = 0;

  /**
   * @param options.random source of random bytes (default: Web Crypto's getRandomValues; the
   *   process's engine passes the addon's getrandom, as node:crypto is slow to load)
   * @param options.limits probes in flight and receive queue size (defaults: receive-capacity.ts)
   */
  constructor(options: { openSocket: SocketOpener; clock?: Clock; identifier?: number; random?: (bytes: number) => Uint8Array; limits?: EngineLimits }) {
    this.#open = options.openSocket;
    this.clock = options.clock ?? realClock;
    const limits = options.limits ?? {};
    this.#receiveBufferBytes = limits.receiveBufferBytes ?? DEFAULT_RECEIVE_BUFFER_BYTES;
    // A program that sets its own count takes the risk of the queue: drops are then reported.
    this.#boundedByQueue = limits.maxInFlight === undefined;
    this.#sendFromThread = limits.sendFromThread === true;
    this.pacer = new SendPacer(this.clock, {
      maxInFlight: limits.maxInFlight ?? Infinity,
      maxInFlightBytes: Infinity,
      maxBurst: DEFAULT_MAX_BURST,
      maxHandedOver: MAX_HANDED_OVER,
    });
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
      // Drawn from a pool: one getrandom (at most 256 bytes) for 32 sessions, not one each: thousands may start at once.
      if (this.#pool.length - this.#poolAt < COOKIE_BYTES) {
        this.#pool = this.#random(COOKIE_BYTES * 32);
        this.#poolAt = 0;
      }
      const cookie = this.#pool.slice(this.#poolAt, this.#poolAt + COOKIE_BYTES);
      this.#poolAt += COOKIE_BYTES;
      if (!this.#byCookie.has(cookieKey(cookie))) return cookie;
    }
  }

  /**
   * The transport a session with this socket spec sends through (sockets open on first use).
   * `cookieless`: the session's payload is too short for a cookie, so it draws sequences
   * no other such session holds (its replies are told apart by identifier and sequence alone);
   * `owner` is then the number it is known by (from newOwner()).
   */
  transport(spec: SocketSpec, cookieless: { owner: number } | null = null): SessionTransport {
    const cache = new Map<4 | 6, SocketEntry>();
    const entry = (family: 4 | 6): SocketEntry => {
      let found = cache.get(family);
      if (found === undefined) {
        found = this.#entry(family, spec);
        cache.set(family, found);
      }
      return found;
    };
    const ledger = this.#ledger;
    const sendBatchOnThread: NonNullable<SessionTransport['sendBatchOnThread']> = (family, packets, packetLength, addresses, scopeIds, done) =>
      entry(family).socket.sendBatchOnThread?.(packets, packetLength, addresses, scopeIds, done) ?? false;
    return {
      identifier: (family) => entry(family).socket.identifier,
      send: (family, bytes, address, scopeId) => entry(family).socket.send(bytes, address, scopeId),
      sendBatch: (family, packets, packetLength, addresses, scopeIds) => {
        const socket = entry(family).socket;
        return socket.sendBatch === undefined ? null : socket.sendBatch(packets, packetLength, addresses, scopeIds);
      },
      ...(this.#sendFromThread ? { sendBatchOnThread } : {}),
      pollDrops: () => {
        for (const found of cache.values()) this.#pollDrops(found);
      },
      canQueueSends: (family) => {
        const found = entry(family);
        return found.socket.queueSends !== undefined && found.sessions.size === 1 && !(found.queueOwner !== null && found.queueReports >= 0);
      },
      queueSends: (family, packets, packetLength, count, address, scopeId, notAfterNs, kick) => {
        const found = entry(family);
        if (found.socket.queueSends === undefined || found.sessions.size !== 1 || (found.queueOwner !== null && found.queueReports >= 0)) return false;
        for (const session of found.sessions) if (queues(session)) found.queueOwner = session;
        if (found.queueOwner === null) return false;
        found.queueReports = -1;
        found.socket.queueSends(packets, packetLength, count, address, scopeId, notAfterNs, kick);
        return true;
      },
      unqueueSends: (family) => this.#unqueue(entry(family)),
      withholdSends: (family, n) => {
        const found = entry(family);
        if (found.queueOwner !== null && found.queueReports < 0) found.socket.withholdSends?.(n);
      },
      drain: () => {
        if (this.#receiving > 0) return;
        for (const found of cache.values()) if (!found.socket.closed) found.socket.drain?.();
      },
      ...(cookieless !== null
        ? {
            sequences: {
              isFree: (sequence) => ledger.isFreeFor(sequence, cookieless.owner),
              claim: (sequence) => ledger.claim(sequence, cookieless.owner),
              release: (sequence) => ledger.release(sequence, cookieless.owner),
            },
          }
        : {}),
    };
  }

  /** A number to know a cookieless session by (see transport()). */
  newOwner(): number {
    return this.#nextOwner++;
  }

  /** Sequences held by cookieless sessions now (diagnostics and tests). */
  get heldSequences(): number {
    return this.#ledger.size;
  }

  /** Attaches a session: opens its sockets (may throw PermissionError) and registers its cookie. */
  attach(session: EngineClient, spec: SocketSpec): void {
    const entries: SocketEntry[] = [];
    for (const family of session.families()) {
      const entry = this.#entry(family, spec);
      entries.push(entry);
    }
    this.#sessionEntries.set(session, []);
    for (const entry of entries) this.#join(session, entry);
    if (session.config.size >= 4) this.#byCookie.set(cookieKey(session.cookie), session);
    else if (session.owner !== null) this.#cookieless.set(session.owner, session);
  }

  /**
   * Attaches an attached session to one more family (a stream of targets brought its first
   * target of that family): opens that socket (may throw PermissionError).
   */
  attachFamily(session: EngineClient, family: 4 | 6, spec: SocketSpec): void {
    const entry = this.#entry(family, spec);
    const entries = this.#sessionEntries.get(session);
    if (entries === undefined || entries.includes(entry)) return;
    this.#join(session, entry);
  }

  #join(session: EngineClient, entry: SocketEntry): void {
    // Probes queued on the socket are clocked by every datagram it receives: once a second
    // session shares it, they could leave on its replies, so they go back to their session.
    const owner = entry.queueOwner;
    if (owner !== null && entry.queueReports < 0) owner.onQueueDropped(this.#unqueue(entry));
    entry.sessions.add(session);
    const needed = session.config.size + 8 + 60 + 40;
    if (needed > entry.maxPacket) {
      entry.socket.setMaxPacketSize(Math.min(65535 + 60, needed));
      entry.maxPacket = needed;
    }
    // The first session on it makes the socket hold the process open (the last one leaving lets go).
    if (entry.sessions.size === 1) entry.socket.ref();
    this.#sessionEntries.get(session)?.push(entry);
  }

  /** Detaches a finished session; sockets nobody uses stop holding the process open. */
  detach(session: EngineClient): void {
    const entries = this.#sessionEntries.get(session) ?? [];
    this.#sessionEntries.delete(session);
    if (this.#byCookie.get(cookieKey(session.cookie)) === session) this.#byCookie.delete(cookieKey(session.cookie));
    if (session.owner !== null) this.#cookieless.delete(session.owner);
    for (const entry of entries) {
      if (entry.queueOwner === session) {
        if (entry.queueReports < 0) entry.socket.unqueueSends?.();
        entry.queueOwner = null;
        entry.queueReports = -1;
      }
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
    let queueBytes = Infinity;
    if (socket.setReceiveBuffer !== undefined) {
      try {
        queueBytes = socket.setReceiveBuffer(this.#receiveBufferBytes);
      } catch {
        queueBytes = KERNEL_DEFAULT_QUEUE_BYTES;
      }
    }
    const entry: SocketEntry = { key, family, socket, sessions: new Set(), maxPacket: 0, queueBytes, drops: -1, queueOwner: null, queueReports: -1 };
    socket.listen(
      (packets, drops) => this.#receive(entry, packets, drops),
      () => {
        // A failing receive is not fatal for the sessions: their probes time out and are
        // reported as such. The socket stays open for sends.
      },
    );
    socket.unref();
    this.#noteDrops(entry, socket.kernelDrops === undefined ? 0 : this.#readDrops(socket));
    this.#fitPacerToQueues(entry);
    return entry;
  }

  // The probes in flight bring back replies the sockets' receive queues must hold: the
  // smallest queue bounds the bytes in flight, unless the program set its own count.
  #fitPacerToQueues(added: SocketEntry): void {
    if (!this.#boundedByQueue) return;
    let smallest = added.queueBytes;
    for (const entry of this.#entries.values()) smallest = Math.min(smallest, entry.queueBytes);
    this.pacer.setInFlightBytes(smallest === Infinity ? Infinity : inFlightBytesFor(smallest));
  }

  #readDrops(socket: SocketLike): number {
    try {
      return socket.kernelDrops?.() ?? -1;
    } catch {
      return -1;
    }
  }

  #pollDrops(entry: SocketEntry): void {
    if (entry.socket.kernelDrops !== undefined && !entry.socket.closed) this.#noteDrops(entry, this.#readDrops(entry.socket));
  }

  // The kernel's counter is 32 bits and may be read out of order (a datagram's stamp is from
  // when it was queued, which can be before a reading made since): only a rise counts.
  #noteDrops(entry: SocketEntry, counter: number | undefined): void {
    if (counter === undefined || counter < 0) return;
    if (entry.drops < 0) {
      entry.drops = counter;
      return;
    }
    const rise = (counter - entry.drops) | 0;
    if (rise <= 0) return;
    entry.drops = counter;
    this.counters.kernelDrops += rise;
    for (const session of entry.sessions) session.onKernelDrops(entry.family, rise, this.counters.kernelDrops);
  }

  /** Reads every socket's drop counter now; returns how far they rose in all while the engine held them. */
  kernelDrops(): number {
    for (const entry of this.#entries.values()) this.#pollDrops(entry);
    return this.counters.kernelDrops;
  }

  // An echo reply to the session its cookie names, or, for payloads under four bytes (tiny
  // -s, or cut short), by its sequence alone. True when a session took it. No closure per
  // reply: this runs for every packet of a flood.
  #offerReply(
    entry: SocketEntry,
    from: string,
    message: EchoMessage,
    ttl: number,
    recvNs: number,
    truncated: boolean,
    wireBytes: number,
    ipOptions: IpOption[] | null,
  ): boolean {
    const payload = message.payload;
    const session = payload.length >= 4 ? this.#byCookie.get(cookieKey(payload)) : this.#shortOwner(entry, from, message.sequence);
    return session !== undefined && session.onEchoReply(entry.family, from, message, ttl, recvNs, truncated, wireBytes, ipOptions);
  }

  // The session a reply (or quote) without a cookie is for: the cookieless session holding
  // its sequence; else, for a cookie cut off on the way, the one session of this socket
  // awaiting that sequence from that address. When two could be meant, neither is.
  #shortOwner(entry: SocketEntry, from: string, sequence: number): EngineClient | undefined {
    const owner = this.#ledger.ownerOf(sequence);
    if (owner !== undefined) return this.#cookieless.get(owner);
    let found: EngineClient | undefined;
    for (const session of entry.sessions) {
      if (session.owner !== null || !session.awaits(entry.family, from, sequence)) continue;
      if (found !== undefined) return undefined;
      found = session;
    }
    return found;
  }

  #receive(entry: SocketEntry, packets: ReceivedPacket[], drops: number | undefined): void {
    this.#receiving++;
    try {
      this.#receiveBatch(entry, packets, drops);
    } finally {
      this.#receiving--;
    }
  }

  #receiveBatch(entry: SocketEntry, packets: ReceivedPacket[], drops: number | undefined): void {
    // First what the kernel discarded, so that it is known before any probe is counted.
    if (drops !== undefined) this.#noteDrops(entry, drops);
    for (const packet of packets) {
      // What became of a batch the socket's thread sent: in its turn, before the replies to it.
      if (packet.batchReport !== undefined) {
        packet.batchReport.done(packet.batchReport.result);
        continue;
      }
      // A probe the socket sent on this datagram, before handing it over: its session hears
      // first that this datagram is not to prompt another, then that the probe left. A report
      // alone (a probe sent because one was owed) carries no datagram.
      const clocked = entry.queueOwner !== null && ((packet.sentAfterNs ?? 0) > 0 || packet.sentAfterError !== undefined);
      if (packet.sendReport === true) {
        if (clocked) this.#queuedSent(entry, packet);
        continue;
      }
      // Or nothing went: the queue was empty (one is owed), or the session had it withheld.
      const live = entry.queueOwner !== null && entry.queueReports < 0;
      const owed = live && packet.sendOwed === true;
      const withheld = live && packet.sendWithheld === true;
      if (clocked || owed || withheld) entry.queueOwner?.expectQueuedSend();
      this.#receiveOne(entry, packet);
      if (clocked) this.#queuedSent(entry, packet);
      else if (owed) entry.queueOwner?.onSendOwed();
      else if (withheld) entry.queueOwner?.onSendWithheld();
    }
  }

  #receiveOne(entry: SocketEntry, packet: ReceivedPacket): void {
    if (packet.errorQueue !== null) {
      this.#receiveQueuedError(entry, packet);
      return;
    }
    const decoded = decodeReceived(packet.bytes, entry.family, entry.socket.kind === 'raw' && entry.family === 4, packet.truncated);
    if (decoded.kind === 'ignored') {
      this.counters.malformed++;
      return;
    }
    const message = decoded.message;
    const ttl = decoded.ip !== null ? decoded.ip.ttl : packet.ttl;
    const from = decoded.ip !== null ? decoded.ip.source : packet.source;
    let matched = false;
    if (message.kind === 'echo-reply') {
      if (message.identifier === entry.socket.identifier) {
        // The ICMP length as sent, not as kept: a datagram cut to fit still shows its size.
        const wireBytes = Math.max(message.length, packet.wireLength - (decoded.ip?.headerLength ?? 0));
        // IPv4 options (record route, timestamps) come only with raw IPv4 sockets' headers.
        const ipOptions = decoded.ip !== null && decoded.ip.headerLength > 20 ? decodeIpOptions(decoded.ip.options) : null;
        matched = this.#offerReply(entry, from, message, ttl, packet.recvNs, decoded.truncated, wireBytes, ipOptions);
      }
    } else if (isErrorMessage(message) && message.quoted !== null) {
      const info = message.mtu ?? message.pointer ?? 0;
      matched = this.#deliverError(entry, from, message.quoted, packet.recvNs, {
        kind: message.kind,
        type: message.type,
        code: message.code,
        info,
        gateway: message.gateway,
      });
    }
    if (!matched) this.counters.foreign++;
  }

  // Drops a socket's queue; the reports of what it sent reach its session before this returns
  // (while the entry still says it is queued), except from inside a batch: returns how many
  // are still to come then.
  #unqueue(entry: SocketEntry): number {
    if (entry.queueOwner === null || entry.queueReports >= 0) return 0;
    const pending = entry.socket.unqueueSends?.() ?? 0;
    entry.queueReports = pending;
    if (pending === 0) entry.queueOwner = null;
    return pending;
  }

  // A report of a probe a socket sent from its queue: to the session that queued it.
  #queuedSent(entry: SocketEntry, packet: ReceivedPacket): void {
    const owner = entry.queueOwner;
    if (owner === null) return;
    if (entry.queueReports > 0 && --entry.queueReports === 0) entry.queueOwner = null;
    owner.onQueuedSent(packet.sentAfterNs ?? 0, packet.sentAfterError);
  }

  #deliverError(entry: SocketEntry, from: string, quoted: QuotedProbe, recvNs: number, facts: IcmpErrorReport): boolean {
    if (quoted.identifier !== entry.socket.identifier) return false;
    const session = quoted.payload.length >= 4 ? this.#byCookie.get(cookieKey(quoted.payload)) : this.#shortOwner(entry, quoted.destination, quoted.sequence);
    return session !== undefined && session.onIcmpError(entry.family, from, quoted, facts, recvNs);
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
    const matched = this.#deliverError(entry, error.offender ?? packet.source, quoted, packet.recvNs, {
      kind,
      type: error.type,
      code: error.code,
      info: error.info,
      gateway: null,
    });
    if (!matched) this.counters.foreign++;
  }
}
