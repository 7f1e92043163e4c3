// The only module that loads the compiled addon. Everything above it sees these types, never
// `any`: the shapes below are the whole native surface.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { AddonError } from '../errors.js';

/** Offsets into the per-packet metadata records of a receive batch (native/batch_layout.h). */
export interface NativeBatchLayout {
  stride: number;
  dataOffset: number;
  length: number;
  wireLength: number;
  flags: number;
  ttl: number;
  recvNs: number;
  addrOffset: number;
  scopeId: number;
  errno: number;
  origin: number;
  type: number;
  code: number;
  info: number;
  offenderOffset: number;
  /** queueSends: the stamp of the queued datagram sent on receiving this one (CLOCK_MONOTONIC ns), -errno when sendto failed, 0 for none. */
  sentAfter: number;
  flagTruncated: number;
  flagErrorQueue: number;
  flagSendReport: number;
  flagSendOwed: number;
  flagSendWithheld: number;
  /** Most packets one wake-up hands over: the staging arrays' size. */
  maxPacketsPerWake: number;
}

/**
 * A receive batch: packet bytes, `count` metadata records of `stride` numbers each, and the
 * kernel's drop counter for the socket as last read (32 bits, wrapping; see kernelDrops).
 */
export type NativeBatchHandler = (data: Uint8Array, meta: Float64Array, count: number, drops: number) => void;

/** An error shaped like Node's SystemError. */
export interface NativeSystemError extends Error {
  code: string;
  errno: number;
  syscall: string;
  address?: string;
}

/** The addon's socket class: syscalls only, no ICMP semantics. */
export interface NativeIcmpSocket {
  readonly fd: number;
  readonly closed: boolean;
  /**
   * Starts polling. With staging arrays, batches that fit are copied into them (valid only
   * during the onBatch call) instead of fresh arrays per wake-up.
   */
  start(data?: Uint8Array, meta?: Float64Array): void;
  /** Sends `bytes`; returns CLOCK_MONOTONIC nanoseconds taken just before sendto. Throws NativeSystemError. */
  send(bytes: Uint8Array, address: string, scopeId?: number): number;
  /**
   * Sends `addresses.length` packets of `packetLength` bytes each, laid end to end in
   * `packets`, with sendmmsg; `stampNs` is taken just before the first call. A failure stops
   * the batch: `sent` packets went and `error` is what the next one met.
   */
  sendBatch(packets: Uint8Array, packetLength: number, addresses: string[], scopeIds: number[]): { sent: number; stampNs: number; error?: NativeSystemError };
  close(): void;
  ref(): void;
  unref(): void;
  localAddress(): { address: string; port: number };
  setTtl(ttl: number): void;
  setTos(tos: number): void;
  setBroadcast(on: number): void;
  bind(address: string, scopeId?: number): void;
  bindDevice(name: string): void;
  setTypeFilter(passTypes: number[]): void;
  attachFilter(program: Uint8Array): void;
  setMaxPacketSize(bytes: number): void;
  /**
   * Sets the receive queue's limit with SO_RCVBUFFORCE (past net.core.rmem_max; needs
   * CAP_NET_ADMIN), else SO_RCVBUF (capped at rmem_max); `bytes` as setsockopt takes it.
   * Returns what getsockopt SO_RCVBUF reports after: the kernel doubles the value it was given.
   */
  setReceiveBuffer(bytes: number): number;
  /** The receive queue's limit, bytes, as getsockopt SO_RCVBUF reports it (the doubled value). */
  receiveBuffer(): number;
  /**
   * The kernel's count of datagrams it discarded at this socket because its receive queue was
   * full (SO_MEMINFO), 32 bits, wrapping. Batches carry the same counter as the kernel stamped
   * it on their datagrams (SO_RXQ_OVFL), which only raw sockets do, and only after a drop.
   */
  kernelDrops(): number;
  /** Reads what is queued now and hands it to the batch handler before returning (nothing from inside a batch). */
  drain(): void;
  /**
   * Adds `count` datagrams of `packetLength` bytes laid end to end in `packets` (copied) to the
   * queue, sent to `address` by the addon's receive thread one per datagram received, in
   * order, never after CLOCK_MONOTONIC `notAfterNs` (0: no such time); `kick` of them at once,
   * and one for each datagram received while nothing was queued (`flagSendOwed`).
   * Each is reported in the metadata of the datagram that let it go (`sentAfter`), or in a
   * record of its own (`flagSendReport`). A failed send ends the queue. Starts the thread.
   */
  queueSends(packets: Uint8Array, packetLength: number, count: number, address: string, scopeId: number, notAfterNs: number, kick: number): void;
  /**
   * Drops what is still queued and stops the receive thread; what it read reaches the batch
   * handler before this returns, or right after the batch being handled when called from
   * inside one: returns how many send reports are to come then.
   */
  unqueueSends(): number;
  /** The next `n` datagrams received get no send (each marked `flagSendWithheld`). */
  withholdSends(n: number): void;
  /** Whether the descriptor survives an exec (clears or sets FD_CLOEXEC). */
  setInheritable(on: boolean): void;
}

export interface NativeIcmpSocketConstructor {
  /** With `fd`, adopts an inherited socket (checked to be that ICMP socket) instead of opening one. */
  new (family: 4 | 6, kind: 'raw' | 'dgram', onBatch: NativeBatchHandler, onError: (error: NativeSystemError) => void, fd?: number): NativeIcmpSocket;
}

/** Capability sets of the calling thread, as bit masks. */
export interface NativeCapabilities {
  effective: bigint;
  permitted: bigint;
  inheritable: bigint;
}

export interface NativeAddon {
  IcmpSocket: NativeIcmpSocketConstructor;
  capabilities(): NativeCapabilities;
  /** Ends the process at once with `status` (_exit), without waiting for libuv's threads. */
  exitNow(status: number): never;
  /** `n` (0-256) bytes from getrandom(2). */
  randomBytes(n: number): Uint8Array;
  /** Clears ambient, effective, permitted and inheritable capabilities; sets no_new_privs. */
  dropCapabilities(): void;
  /** Replaces the process (execve); returns only by throwing. */
  execve(file: string, argv: string[], env: string[]): never;
  /** The local address a UDP socket connected to `address` gets (no packet sent). Throws NativeSystemError. */
  routeSource(family: 4 | 6, address: string, scopeId: number, broadcast: boolean): string;
  batchLayout: NativeBatchLayout;
}

let cached: NativeAddon | undefined;

/**
 * Loads build/Release/rawping.node (built by node-gyp at install) once per thread.
 * RAWPING_ADDON overrides the path, which the sanitizer build uses.
 * @throws AddonError when it cannot be loaded, with one line that says how to rebuild it
 */
export function loadAddon(): NativeAddon {
  if (cached === undefined) {
    const require = createRequire(import.meta.url);
    const path = process.env.RAWPING_ADDON ?? fileURLToPath(new URL('../../build/Release/rawping.node', import.meta.url));
    try {
      cached = require(path) as NativeAddon;
    } catch (error) {
      // Node's message runs on with a require stack; its first line is the reason.
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      const missing = (error as { code?: unknown }).code === 'MODULE_NOT_FOUND';
      throw new AddonError(
        path,
        `native addon ${missing ? 'not built' : 'cannot be loaded'} (${reason}); ` +
          'build it with `npm rebuild rawping` (needs python3, make and a C++ compiler)',
        { cause: error },
      );
    }
  }
  return cached;
}
