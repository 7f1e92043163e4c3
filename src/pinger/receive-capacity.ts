// How many replies the kernel's receive queue of a shared socket holds, and so how many probes
// the engine lets be in flight at once. Pure: numbers in, numbers out; the engine asks the
// socket for its queue and hands the result to its pacer.

/**
 * The receive queue the engine asks for on each shared socket, bytes, as the kernel counts it
 * (getsockopt SO_RCVBUF; setsockopt is given half, which the kernel doubles). A limit, not an
 * allocation: the kernel charges only what is queued. Root gets it (SO_RCVBUFFORCE); other
 * users get at most twice net.core.rmem_max.
 */
export const DEFAULT_RECEIVE_BUFFER_BYTES = 32 * 1024 * 1024;

/**
 * The most probes sent and not yet answered before the engine lets the event loop turn (and
 * read their replies): a burst of thousands of sessions goes out in steps of this.
 */
export const DEFAULT_MAX_BURST = 512;

/**
 * The most probes handed to sockets' threads and not yet reported (a sweep's batches): 4
 * batches of 64, under 2 ms of sendmmsg on loopback. Enough that the thread seldom waits for
 * the loop thread; few enough that the targets they hold die young. Measured on a /16 sweep at
 * --rate 0 (bench/README.md): 128 to 320 take the same time and peak RSS; at 512 a target lives
 * through V8's young-generation collections, its objects are promoted, and the peak RSS goes
 * from 64 to 82-86 MB.
 */
export const MAX_HANDED_OVER = 256;

/**
 * The share of the receive queue the probes in flight may fill with their replies; the rest is
 * room for ICMP errors, duplicates, and the kernel's own rounding, which it checks only before
 * each datagram (a queue may end one datagram over its limit).
 */
export const RECEIVE_QUEUE_SHARE = 0.75;

/** What the engine's limits are made of: a program's settings, the rest defaults. */
export interface EngineLimits {
  /**
   * Most probes in flight at once; when set, the receive queue's size no longer bounds them.
   * Default: as many as the smallest receive queue holds, no other bound.
   */
  maxInFlight?: number;
  /** The receive queue to ask for on each socket, bytes as getsockopt reports it. */
  receiveBufferBytes?: number;
  /**
   * Sweeps' large batches go from the sockets' receive threads (default false). The CLI's
   * engine sets it. The library's does not: under node's default flags a /16 through pingEach
   * then peaks 7 MB higher, and under the CLI's flags a long one (a /12) keeps its targets past
   * V8's young generation (bench/README.md, "Why a sweep's probes go from the receive thread").
   */
  sendFromThread?: boolean;
}

/**
 * The room one reply of an echo request with `payload` bytes takes in a receive queue, bytes:
 * the kernel charges a datagram's "truesize", its buffer rounded up to a power of two plus
 * about 576 bytes of bookkeeping. Measured on loopback (Linux 6.18, x86-64): 832 bytes for 84
 * bytes of IPv4, about 1.4-2.3 KB for 1-1.5 KB, 8448 for 4 KB, 16640 for 9 KB, 65832 for
 * 64 KB; this estimate is at or above each of those.
 */
export function replyQueueBytes(family: 4 | 6, payload: number): number {
  const ipBytes = (family === 4 ? 20 : 40) + 8 + payload;
  return 576 + 2 ** Math.ceil(Math.log2(ipBytes + 192));
}

/** The most bytes of replies in flight a receive queue of `queueBytes` (as getsockopt reports it) takes safely. */
export function inFlightBytesFor(queueBytes: number): number {
  return Math.floor(queueBytes * RECEIVE_QUEUE_SHARE);
}
