import { constants } from 'node:os';
import { SocketError } from '../errors.js';
import { formatIpv4, formatIpv6 } from '../packet/address.js';
import { identifierFilter, ICMP_PASS_TYPES, ICMPV6_PASS_TYPES } from '../packet/kernel-filter.js';
import { loadAddon, type NativeBatchLayout, type NativeIcmpSocket } from './native-binding.js';
import { routeSource } from './route-source.js';
import { callNative, mapNativeError } from './map-native-error.js';
import type { BatchSendResult, ErrorQueueInfo, PmtuMode, ReceivedPacket, SocketKind, SocketLike, SocketSettings } from './socket-like.js';

/** Socket options applied when a socket is opened: the settings, and which socket. */
export interface IcmpSocketOptions extends SocketSettings {
  /** 4 or 6. */
  family: 4 | 6;
  /** 'raw' or 'dgram'. */
  kind: SocketKind;
  /** Echo identifier for raw sockets (16-bit); datagram sockets get theirs from the kernel. */
  identifier: number;
  /**
   * The echo identifier a datagram socket binds to (its "port", ping -e); 1-65535. Default: one
   * the kernel picks. Raw sockets use `identifier`.
   */
  dgramIdentifier?: number;
  /**
   * A descriptor this process inherited with the socket already set up (the CLI's re-exec
   * without capabilities): adopted as it is, its options left untouched.
   */
  inheritedFd?: number;
}

// Linux's IP_PMTUDISC_* values, the same for IPV6_PMTUDISC_*.
const PMTU_VALUES: Readonly<Record<PmtuMode, number>> = { dont: 0, want: 1, do: 2, probe: 3 };

/** The receive thread stops after a whole period of this many ms without a batch to send (so 20 to 40 ms after the last). */
const THREAD_IDLE_MS = 20;

const EBADF = constants.errno.EBADF;

/** Staging bytes for a batch; a larger batch gets fresh arrays from the addon instead. */
const STAGING_BYTES = 256 * 1024;

let errnoNames: Map<number, string> | undefined;

/** A failed sendto of a queued datagram, from the errno the addon reported with the batch. */
function sendError(errno: number, address: string): SocketError {
  errnoNames ??= new Map(Object.entries(constants.errno).map(([name, value]) => [value, name]));
  const code = errnoNames.get(errno) ?? `E${errno}`;
  return new SocketError(code, -errno, 'sendto', `sendto ${code} ${address}`, { detail: address });
}

/**
 * An ICMP or ICMPv6 socket over the addon. Opening throws SocketError (for example with
 * errnoCode 'EPERM' when the process may not open this kind); `openIcmpSocket` turns that
 * into a PermissionError that says what to do.
 */
export class IcmpSocket implements SocketLike {
  readonly family: 4 | 6;
  readonly kind: SocketKind;
  readonly identifier: number;
  readonly #native: NativeIcmpSocket;
  readonly #layout: NativeBatchLayout;
  #onPackets: (packets: ReceivedPacket[], kernelDrops?: number) => void = () => {};
  #onError: (error: Error) => void = () => {};
  // What the first send does (ping -B, -C, -F need the destination): null once done.
  #firstSend: ((address: string, scopeId: number) => void) | null = null;
  readonly #userLatency: boolean;
  // Where the queued datagrams go: the detail of a failed send's error.
  #queuedTo = '';
  // Datagrams are queued to go one per datagram received (a flood): the receive thread is theirs.
  #clocking = false;
  // Batches given to the receive thread, oldest first, with their callbacks and addresses (a
  // failure's detail): the reports come in this order.
  readonly #threadBatches: { addresses: string[]; done: (result: BatchSendResult) => void }[] = [];
  // A batch came since the idle check last looked.
  #batchSinceCheck = false;
  #idleTimer: NodeJS.Timeout | null = null;
  readonly #onIdleCheck = (): void => this.#idleCheck();

  constructor(options: IcmpSocketOptions) {
    const addon = loadAddon();
    this.family = options.family;
    this.kind = options.kind;
    this.#layout = addon.batchLayout;
    this.#userLatency = options.userLatency === true;
    this.#native = callNative(
      () =>
        new addon.IcmpSocket(
          options.family,
          options.kind,
          (data, meta, count, drops) => this.#deliver(data, meta, count, drops),
          (error) => this.#onError(mapNativeError(error) as Error),
          options.inheritedFd,
        ),
    );
    try {
      this.identifier = callNative(() => this.#configure(options));
    } catch (error) {
      this.#native.close();
      throw error;
    }
  }

  #configure(options: IcmpSocketOptions): number {
    const native = this.#native;
    if (options.inheritedFd !== undefined) {
      return options.kind === 'raw' ? options.identifier & 0xffff : native.localAddress().port;
    }
    if (options.interface !== undefined) native.bindDevice(options.interface);
    if (options.ttl !== undefined) {
      native.setTtl(options.ttl);
      // As ping -t: multicast probes get the same TTL as unicast ones.
      native.setOption('MULTICAST_TTL', options.ttl);
    }
    if (options.tos !== undefined) native.setTos(options.tos);
    if (options.broadcast === true) native.setBroadcast(1);
    if (options.pmtu !== undefined) native.setOption('MTU_DISCOVER', PMTU_VALUES[options.pmtu]);
    if (options.mark !== undefined) native.setOption('SO_MARK', options.mark);
    if (options.sendBuffer !== undefined) native.setOption('SO_SNDBUF', options.sendBuffer);
    if (options.debug === true) native.setOption('SO_DEBUG', 1);
    if (options.dontRoute === true) native.setOption('SO_DONTROUTE', 1);
    if (options.multicastLoop === false) native.setOption('MULTICAST_LOOP', 0);
    if (options.ipOptions !== undefined && options.family === 4) native.setOption('IP_OPTIONS', options.ipOptions);
    this.#firstSend = this.#firstSendSteps(options);
    if (options.kind === 'raw') {
      if (options.source !== undefined) native.bind(options.source);
      native.setTypeFilter([...(options.family === 4 ? ICMP_PASS_TYPES : ICMPV6_PASS_TYPES)]);
      native.attachFilter(identifierFilter(options.family, options.identifier));
      return options.identifier & 0xffff;
    }
    // A datagram socket's identifier is its local "port": bind now so it is known before the
    // first send, and read it back.
    native.bind(options.source ?? (options.family === 4 ? '0.0.0.0' : '::'), 0, options.dgramIdentifier ?? 0);
    return native.localAddress().port;
  }

  // The options that need the destination (bind to its route's source, connect, flow label)
  // are applied when the first probe goes: a socket is opened before its target is resolved.
  #firstSendSteps(options: IcmpSocketOptions): ((address: string, scopeId: number) => void) | null {
    const { strictSource, connect } = options;
    const flowLabel = options.family === 6 ? options.flowLabel : undefined;
    if (strictSource !== true && connect !== true && flowLabel === undefined) return null;
    const native = this.#native;
    return (address, scopeId) => {
      if (strictSource === true && options.source === undefined) {
        native.bind(routeSource(options.family, address, scopeId, options.broadcast === true), scopeId);
      }
      if (connect === true) native.connect(address, scopeId);
      // The kernel wants the label's destination; an exclusive label lingers for a while after
      // its socket closes, so taking the same one again soon fails (EPERM), as it does for ping.
      if (flowLabel !== undefined) native.setFlowLabel(flowLabel, address);
    };
  }

  listen(onPackets: (packets: ReceivedPacket[], kernelDrops?: number) => void, onError: (error: Error) => void): void {
    this.#onPackets = onPackets;
    this.#onError = onError;
    // Staging arrays the addon copies each batch into, so a wake-up allocates nothing there;
    // the batch is then copied out once, and no packet shares memory with a later one.
    const { stride, maxPacketsPerWake } = this.#layout;
    callNative(() => this.#native.start(new Uint8Array(STAGING_BYTES), new Float64Array(maxPacketsPerWake * stride)));
  }

  /**
   * Applies now what waits for the first destination (-B's bind, -C's connect, -F's label),
   * so that a failure is the caller's to report before anything is sent. Idempotent; without
   * it the first send does the same. Throws SocketError.
   */
  prepareFor(address: string, scopeId = 0): void {
    callNative(() => this.#takeFirstSend(address, scopeId));
  }

  // Runs the first-send steps once, whichever way the first datagram goes. Throws the native error.
  #takeFirstSend(address: string, scopeId: number): void {
    const first = this.#firstSend;
    if (first === null) return;
    this.#firstSend = null;
    first(address, scopeId);
  }

  send(bytes: Uint8Array, address: string, scopeId = 0): number {
    try {
      this.#takeFirstSend(address, scopeId);
      return this.#native.send(bytes, address, scopeId);
    } catch (error) {
      throw mapNativeError(error);
    }
  }

  /**
   * A datagram socket reports an ICMP error that came for an earlier datagram (a router's Time
   * Exceeded, say) as the failure of the next send: the kernel keeps it as the socket's
   * pending error (sk_err) besides queueing it for the error queue, and the send that meets it
   * consumes it and sends nothing. A trace's probes follow each other within microseconds of
   * their routers' answers, so on a datagram socket a failed send is made once more at once: a
   * pending report does not come back (it is still in the error queue, for the receive path),
   * and a failure of this send's own repeats.
   */
  sendWithHopLimit(bytes: Uint8Array, address: string, scopeId: number, hopLimit: number): number {
    for (let attempt = 0; ; attempt++) {
      try {
        return this.#native.sendWithHopLimit(bytes, address, scopeId, hopLimit);
      } catch (error) {
        if (this.kind === 'raw' || attempt > 0 || (error as { syscall?: unknown }).syscall !== 'sendmsg') throw mapNativeError(error);
      }
    }
  }

  sendBatch(packets: Uint8Array, packetLength: number, addresses: string[], scopeIds: number[]): BatchSendResult {
    if (addresses.length > 0) {
      try {
        this.#takeFirstSend(addresses[0] as string, scopeIds[0] ?? 0);
      } catch (error) {
        return { sent: 0, stampNs: 0, error: mapNativeError(error) as Error };
      }
    }
    const result = callNative(() => this.#native.sendBatch(packets, packetLength, addresses, scopeIds));
    return result.error === undefined ? result : { sent: result.sent, stampNs: result.stampNs, error: mapNativeError(result.error) as Error };
  }

  setMaxPacketSize(bytes: number): void {
    callNative(() => this.#native.setMaxPacketSize(bytes));
  }

  setReceiveBuffer(bytes: number): number {
    return callNative(() => {
      const now = this.#native.receiveBuffer();
      // setsockopt takes half of what getsockopt reports: the kernel doubles it.
      return now >= bytes ? now : this.#native.setReceiveBuffer(Math.ceil(bytes / 2));
    });
  }

  kernelDrops(): number {
    return callNative(() => this.#native.kernelDrops());
  }

  drain(): void {
    if (!this.#native.closed) this.#native.drain();
  }

  /**
   * Not while datagrams are queued to go one per reply (the thread is the flood's then), nor
   * before the steps of the first send are taken (sendBatch takes them, and reports their
   * failure).
   */
  sendBatchOnThread(packets: Uint8Array, packetLength: number, addresses: string[], scopeIds: number[], done: (result: BatchSendResult) => void): boolean {
    if (this.#native.closed || this.#clocking || this.#firstSend !== null || addresses.length === 0) return false;
    try {
      // Nothing was queued when it throws (an address it cannot parse, a thread it cannot start).
      if (!this.#native.sendBatchOnThread(packets, packetLength, addresses, scopeIds)) return false;
    } catch {
      return false;
    }
    this.#threadBatches.push({ addresses, done });
    this.#batchSinceCheck = true;
    if (this.#idleTimer === null) this.#armIdleCheck();
    return true;
  }

  // The thread stops once no batch came in a whole THREAD_IDLE_MS: then the loop thread reads the
  // socket again itself, which costs a few system calls less per wake-up than hearing from
  // another thread (an exporter's steady probes, after the burst of its start).
  #armIdleCheck(): void {
    this.#idleTimer = setTimeout(this.#onIdleCheck, THREAD_IDLE_MS);
    this.#idleTimer.unref();
  }

  #idleCheck(): void {
    this.#idleTimer = null;
    if (this.#native.closed || this.#clocking) return;
    if (this.#threadBatches.length > 0 || this.#batchSinceCheck) {
      this.#batchSinceCheck = false;
      this.#armIdleCheck();
      return;
    }
    this.#native.unqueueSends();
  }

  queueSends(packets: Uint8Array, packetLength: number, count: number, address: string, scopeId: number, notAfterNs: number, kick: number): void {
    this.#queuedTo = address;
    callNative(() => {
      this.#takeFirstSend(address, scopeId);
      this.#native.queueSends(packets, packetLength, count, address, scopeId, notAfterNs, kick);
    });
    this.#clocking = true;
  }

  unqueueSends(): number {
    this.#clocking = false;
    return this.#native.closed ? 0 : this.#native.unqueueSends();
  }

  withholdSends(n: number): void {
    if (!this.#native.closed) this.#native.withholdSends(n);
  }

  ref(): void {
    if (!this.#native.closed) this.#native.ref();
  }

  unref(): void {
    if (!this.#native.closed) this.#native.unref();
  }

  close(): void {
    this.#native.close();
    this.#clocking = false;
    if (this.#idleTimer !== null) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
    // Batches not reported yet: reported as not sent, so nobody waits for them (the thread may
    // have sent some: what it had read and reported is dropped with the socket).
    for (const batch of this.#threadBatches.splice(0)) batch.done({ sent: 0, stampNs: 0, error: sendError(EBADF, batch.addresses[0] ?? '') });
  }

  get closed(): boolean {
    return this.#native.closed;
  }

  /** The descriptor number. */
  get fd(): number {
    return this.#native.fd;
  }

  /** Whether the descriptor survives an exec (for the CLI's re-exec without capabilities). */
  setInheritable(on: boolean): void {
    callNative(() => this.#native.setInheritable(on));
  }

  #address(data: Uint8Array, offset: number): string {
    return this.family === 4 ? formatIpv4(data, offset) : formatIpv6(data, offset);
  }

  #deliver(staging: Uint8Array, meta: Float64Array, count: number, drops: number): void {
    const L = this.#layout;
    // One copy per batch, out of the staging array that the next batch overwrites; every
    // packet's bytes are a view into that copy, which nothing else ever writes to.
    const last = (count - 1) * L.stride;
    const used = count > 0 ? (meta[last + L.dataOffset] as number) + (meta[last + L.length] as number) : 0;
    // Buffer.from copies a small batch into Node's shared 8 KiB pool: a flood's one-packet
    // batches then cost no ArrayBuffer (and no malloc) each.
    const pooled = Buffer.from(staging.subarray(0, used));
    const data = new Uint8Array(pooled.buffer, pooled.byteOffset, used);
    const packets = new Array<ReceivedPacket>(count);
    // ping -U: the time the program reads the reply, on the send stamps' clock (CLOCK_MONOTONIC).
    const readNs = this.#userLatency ? Number(process.hrtime.bigint()) : 0;
    for (let i = 0; i < count; i++) {
      const m = i * L.stride;
      const at = meta[m + L.dataOffset] as number;
      const length = meta[m + L.length] as number;
      const flags = meta[m + L.flags] as number;
      let errorQueue: ErrorQueueInfo | null = null;
      if ((flags & L.flagErrorQueue) !== 0) {
        const offenderAt = meta[m + L.offenderOffset] as number;
        errorQueue = {
          errno: meta[m + L.errno] as number,
          origin: meta[m + L.origin] as number,
          type: meta[m + L.type] as number,
          code: meta[m + L.code] as number,
          info: meta[m + L.info] as number,
          offender: offenderAt >= 0 ? this.#address(data, offenderAt) : null,
        };
      }
      if ((flags & L.flagBatchReport) !== 0) {
        packets[i] = this.#batchReport(data.subarray(at, at), meta, m);
        continue;
      }
      const sentAfter = meta[m + L.sentAfter] as number;
      const sendReport = (flags & L.flagSendReport) !== 0;
      packets[i] = {
        bytes: data.subarray(at, at + length),
        source: sendReport ? '' : this.#address(data, meta[m + L.addrOffset] as number),
        scopeId: meta[m + L.scopeId] as number,
        recvNs: this.#userLatency ? readNs : (meta[m + L.recvNs] as number),
        ttl: meta[m + L.ttl] as number,
        truncated: (flags & L.flagTruncated) !== 0,
        wireLength: meta[m + L.wireLength] as number,
        errorQueue,
        sentAfterNs: sentAfter > 0 ? sentAfter : 0,
        sentAfterError: sentAfter < 0 ? sendError(-sentAfter, this.#queuedTo) : undefined,
        sendReport,
        sendOwed: (flags & L.flagSendOwed) !== 0,
        sendWithheld: (flags & L.flagSendWithheld) !== 0,
        batchReport: undefined,
      };
    }
    this.#onPackets(packets, drops);
  }

  // The record of a batch the thread sent (in the order given): what went, for its callback.
  #batchReport(empty: Uint8Array, meta: Float64Array, m: number): ReceivedPacket {
    const L = this.#layout;
    const batch = this.#threadBatches.shift();
    const sent = meta[m + L.batchSent] as number;
    const errno = meta[m + L.errno] as number;
    const stampNs = meta[m + L.recvNs] as number;
    const result: BatchSendResult = errno !== 0 ? { sent, stampNs, error: sendError(errno, batch?.addresses[sent] ?? '') } : { sent, stampNs };
    return {
      bytes: empty,
      source: '',
      scopeId: 0,
      recvNs: 0,
      ttl: -1,
      truncated: false,
      wireLength: 0,
      errorQueue: null,
      // A record with nothing to report to (never, while the addon keeps the order) is skipped as a report.
      sendReport: true,
      batchReport: batch === undefined ? undefined : { result, done: batch.done },
    };
  }
}
