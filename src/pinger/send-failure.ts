// What a failed send means for its probe: lack of buffer space is passing (the probe did not
// leave and is tried again after a back-off); anything else is that probe's result.
import type { SocketError } from '../errors.js';

const BUSY_CODES = new Set(['ENOBUFS', 'EAGAIN', 'EWOULDBLOCK', 'ENOMEM']);
const BLOCKED_CODES = new Set(['EPERM', 'EACCES']);

/** True when the probe did not leave for lack of buffer space and is to be sent again later. */
export function isBusySendError(error: SocketError): boolean {
  return BUSY_CODES.has(error.errnoCode);
}

/**
 * The message of a send error as reported: EPERM or EACCES on a socket already open is a local
 * firewall rule or a prohibit route, not a privilege problem.
 */
export function sendFailureMessage(error: SocketError): string {
  if (BLOCKED_CODES.has(error.errnoCode)) return 'blocked locally (a firewall rule or a prohibit route)';
  return error.message;
}
