// The only module that loads the compiled addon. Everything above it sees these types, never
// `any`: the shapes below are the whole native surface.
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AddonError } from '../errors.js';
import { isUnprivilegedProcess } from './unprivileged-process.js';

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
  /** Batch reports (`flagBatchReport`): how many of the batch went; their stamp is at `recvNs`, the errno of the first that failed at `errno` (0: none). */
  batchSent: number;
  flagTruncated: number;
  flagErrorQueue: number;
  flagSendReport: number;
  flagSendOwed: number;
  flagSendWithheld: number;
  /** A record without a datagram: the report of a batch given to sendBatchOnThread, in the order given. */
  flagBatchReport: number;
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
  /**
   * As send, with this datagram's TTL / hop limit (1-255) given as a control message (IP_TTL,
   * IPV6_HOPLIMIT) to sendmsg instead of the socket's; returns the send stamp. Throws NativeSystemError.
   */
  sendWithHopLimit(bytes: Uint8Array, address: string, scopeId: number, hopLimit: number): number;
  close(): void;
  ref(): void;
  unref(): void;
  localAddress(): { address: string; port: number };
  setTtl(ttl: number): void;
  setTos(tos: number): void;
  setBroadcast(on: number): void;
  /** Binds the local address; `port` is a datagram socket's echo identifier (0: the kernel's choice). */
  bind(address: string, scopeId?: number, port?: number): void;
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
  /**
   * As sendBatch, but the receive thread sends the packets (copied now) and reports what it did
   * in a record of its own (`flagBatchReport`) of the batches handed to the batch handler,
   * before any datagram it reads after them. Starts the thread; it stops with unqueueSends.
   * False when it cannot take the batch now (from inside a delivery of the loop thread's own
   * reads, or after the thread ended on an error): nothing is sent, nothing will be reported.
   */
  sendBatchOnThread(packets: Uint8Array, packetLength: number, addresses: string[], scopeIds: number[]): boolean;
  /** Whether the descriptor survives an exec (clears or sets FD_CLOEXEC). */
  setInheritable(on: boolean): void;
  /**
   * One setsockopt of a named option for the socket's family: SO_MARK, SO_SNDBUF, SO_DEBUG,
   * SO_DONTROUTE, MTU_DISCOVER (IP_/IPV6_MTU_DISCOVER), MULTICAST_LOOP, MULTICAST_TTL (integers)
   * or IP_OPTIONS (bytes, IPv4 only). Throws NativeSystemError (its detail: the name).
   */
  setOption(name: NativeOptionName, value: number | Uint8Array): void;
  /** connect(2): from now on the socket sends to and hears from `address` only. */
  connect(address: string, scopeId?: number): void;
  /** IPv6: takes flow label `label` towards `destination` (IPV6_FLOWLABEL_MGR) and sends it from now on; returns the label granted. */
  setFlowLabel(label: number, destination: string): number;
}

/** The socket options setOption() knows (native/icmp_socket_options.cc). */
export type NativeOptionName = 'SO_MARK' | 'SO_SNDBUF' | 'SO_DEBUG' | 'SO_DONTROUTE' | 'MTU_DISCOVER' | 'MULTICAST_LOOP' | 'MULTICAST_TTL' | 'IP_OPTIONS';

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
  /** Whether descriptor `fd` is a terminal (isatty); false for a bad descriptor. */
  isTerminal(fd: number): boolean;
  /** `n` (0-256) bytes from getrandom(2). */
  randomBytes(n: number): Uint8Array;
  /** Clears ambient, effective, permitted and inheritable capabilities; sets no_new_privs. */
  dropCapabilities(): void;
  /** Replaces the process (execve); returns only by throwing. */
  execve(file: string, argv: string[], env: string[]): never;
  /** The local address a UDP socket connected to `address` gets (no packet sent). Throws NativeSystemError. */
  routeSource(family: 4 | 6, address: string, scopeId: number, broadcast: boolean): string;
  /** The path MTU the kernel knows towards `address` (IP_MTU of a connected UDP socket; nothing sent). Throws NativeSystemError. */
  routeMtu(family: 4 | 6, address: string, scopeId: number): number;
  /** The index of the interface called `name` (if_nametoindex), 0 when there is none. */
  interfaceIndex(name: string): number;
  batchLayout: NativeBatchLayout;
}

let cached: NativeAddon | undefined;

/** The package's root: two levels above this file (dist/os/ in the package, dist/cli/ for the CLI's bundle). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where a test or sanitizer run may name another addon file: honoured only unprivileged (see loadAddon). */
export const ADDON_OVERRIDE_ENV = 'RAWPING_ADDON';

/**
 * The C library this Node runs on: musl when node's ELF interpreter is musl's loader
 * (Alpine and the like), else glibc. Read from the first page of the running binary, where
 * the interpreter's path is; the presence of a musl loader on the machine says nothing.
 */
function runtimeLibc(): 'glibc' | 'musl' {
  let fd: number | undefined;
  try {
    fd = openSync('/proc/self/exe', 'r');
    const head = Buffer.alloc(4096);
    const read = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, read).includes('/ld-musl-') ? 'musl' : 'glibc';
  } catch {
    return 'glibc';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The files tried, in order: the override when it is honoured (then nothing else), else the
 * addon built from source in this package (node-gyp, at install or in a checkout), then the
 * prebuilt binary the package ships for this platform, architecture and C library
 * (scripts/build-prebuilds.mjs, at `npm pack`).
 */
function candidates(): string[] {
  // Checked before the environment is read at all: a privileged process (root, setuid,
  // capabilities) loads only the package's own files, whatever its environment says.
  if (isUnprivilegedProcess()) {
    const override = process.env[ADDON_OVERRIDE_ENV];
    if (override !== undefined && override !== '') return [override];
  }
  const built = join(PACKAGE_ROOT, 'build', 'Release', 'rawping.node');
  const prebuilt = join(PACKAGE_ROOT, 'prebuilds', `${process.platform}-${process.arch}`, `rawping.${runtimeLibc()}.node`);
  return [built, prebuilt];
}

/**
 * Loads the native addon once per thread: build/Release/rawping.node when it was built from
 * source, else the prebuilt binary for this platform, architecture and C library
 * (prebuilds/<platform>-<arch>/rawping.<glibc|musl>.node).
 *
 * RAWPING_ADDON, a test seam (the sanitizer build, the benchmark's in-process echo), names
 * another file instead; it is read only when the process holds no privilege (not root, real
 * and effective ids equal, no capability), so it can never make a privileged process load
 * code of the caller's choosing. A privileged process does not look at it.
 * @throws AddonError when nothing loads: one line naming each file tried and why it failed,
 * and how to build the addon
 */
export function loadAddon(): NativeAddon {
  if (cached === undefined) {
    const require = createRequire(import.meta.url);
    const tried = candidates();
    const failures: { path: string; error: unknown; missing: boolean }[] = [];
    for (const path of tried) {
      try {
        cached = require(path) as NativeAddon;
        break;
      } catch (error) {
        failures.push({ path, error, missing: (error as { code?: unknown }).code === 'MODULE_NOT_FOUND' });
      }
    }
    if (cached === undefined) throw addonError(tried, failures);
  }
  return cached;
}

function addonError(tried: string[], failures: { path: string; error: unknown; missing: boolean }[]): AddonError {
  // Node's message runs on with a require stack; its first line is the reason.
  const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const found = failures.find((f) => !f.missing);
  const main = found ?? failures[0];
  const reasons =
    failures.length === 1
      ? reason(failures[0]?.error)
      : failures
          .map((f) => `${f.path.startsWith(PACKAGE_ROOT) ? f.path.slice(PACKAGE_ROOT.length) : f.path}: ${f.missing ? 'not found' : reason(f.error)}`)
          .join('; ');
  return new AddonError(
    main?.path ?? '',
    `native addon ${found === undefined ? 'not built' : 'cannot be loaded'} (${reasons}); ` +
      'build it with `npm rebuild rawping` (needs python3, make and a C++ compiler)',
    { cause: main?.error, tried },
  );
}
