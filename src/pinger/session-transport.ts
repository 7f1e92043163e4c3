import type { BatchSendResult } from '../os/socket-like.js';

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
}
