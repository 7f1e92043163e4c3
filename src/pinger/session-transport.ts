import type { BatchSendResult } from '../os/socket-like.js';
import type { SequenceHolder } from './probe-table.js';

/** The sequence numbers a session may draw, when its probes carry no cookie to tell them apart. */
export interface SharedSequences extends SequenceHolder {
  /** True when no other cookieless session on the engine holds `sequence`. */
  isFree(sequence: number): boolean;
}

/** What a session needs from the engine: identifiers and a way to send. */
export interface SessionTransport {
  /** Echo identifier on the socket of this family. */
  identifier(family: 4 | 6): number;
  /** Sends; returns the send stamp (CLOCK_MONOTONIC ns). Throws SocketError. */
  send(family: 4 | 6, bytes: Uint8Array, address: string, scopeId: number): number;
  /**
   * Optional: sends packets of one length laid end to end, in as few system calls as it can;
   * null when the socket cannot (then the session sends one by one). See SocketLike.sendBatch.
   */
  sendBatch?(family: 4 | 6, packets: Uint8Array, packetLength: number, addresses: string[], scopeIds: number[]): BatchSendResult | null;
  /**
   * Optional: as sendBatch, but the socket's thread makes the system calls, and `done` hears
   * what they did later, from the engine's receive path, before any reply to the batch. False
   * when the socket cannot (nothing was sent). See SocketLike.sendBatchOnThread.
   */
  sendBatchOnThread?(
    family: 4 | 6,
    packets: Uint8Array,
    packetLength: number,
    addresses: string[],
    scopeIds: number[],
    done: (result: BatchSendResult) => void,
  ): boolean;
  /**
   * Set for a session whose payload is too short for a cookie: it draws only sequences that
   * are free here, and tells this when a sequence enters and leaves its probe table.
   */
  sequences?: SharedSequences;
  /** Optional: reads the kernel's drop counters of the sockets now (before counting a probe lost). */
  pollDrops?(): void;
  /**
   * Optional: true when the socket of `family` can send probes queued ahead for this session
   * alone (see queueSends): it can, and no other session shares it, whose replies would clock
   * this session's probes.
   */
  canQueueSends?(family: 4 | 6): boolean;
  /**
   * Optional: probes for the socket of `family` to send one per datagram it receives, after
   * those queued, `kick` of them at once (see SocketLike.queueSends); each is reported to the
   * session as it goes (Session.onQueuedSent). False when the socket cannot, or is shared.
   */
  queueSends?(
    family: 4 | 6,
    packets: Uint8Array,
    packetLength: number,
    count: number,
    address: string,
    scopeId: number,
    notAfterNs: number,
    kick: number,
  ): boolean;
  /** Optional: drops what this session still has queued on the socket of `family`; returns how many reports of probes it sent are still to come. */
  unqueueSends?(family: 4 | 6): number;
  /** Optional: the socket of `family` sends nothing on the next `n` datagrams it receives (see SocketLike.withholdSends). */
  withholdSends?(family: 4 | 6, n: number): void;
  /**
   * Optional: reads the replies queued on the sockets now (before counting a probe lost, or
   * ending at a deadline), unless the engine is already handing over a batch.
   */
  drain?(): void;
}
