// The CLI's sockets across its re-exec: a process holding capabilities opens its sockets,
// restarts itself without any (see dropPrivileges), and the new image takes the descriptors
// over. What crosses is a description in the environment, which the new image reads as
// untrusted text: the addon checks every descriptor it names to be the ICMP socket it claims,
// and nothing in it says "privileged" (a raw socket proves that by itself).
import type { InheritableSocket } from '../runtime/socket-set.js';
import { UsageError } from './usage-error.js';

/** Name of the environment variable that hands sockets across the re-exec. */
export const INHERITED_SOCKETS_ENV = 'RAWPING_INHERITED_SOCKETS';

/** What the replaced process left: its sockets' descriptors and the echo identifier their filters use. */
export interface Handover {
  /** Echo identifier of the raw sockets (their kernel filters pass only it). */
  identifier: number;
  sockets: InheritableSocket[];
}

/** The text of a handover, for the environment of the process that replaces this one. */
export function handoverText(handover: Handover): string {
  return JSON.stringify(handover);
}

const isInteger = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/**
 * Reads a handover from its text. Throws UsageError, saying what is wrong, for anything that
 * is not a description rawping itself writes.
 */
export function parseHandover(text: string): Handover {
  const bad = (why: string): never => {
    throw new UsageError(`${INHERITED_SOCKETS_ENV} is not a socket handover (${why}); unset it`);
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return bad('not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return bad('not an object');
  const { identifier, sockets } = value as Record<string, unknown>;
  if (!isInteger(identifier, 1, 0xffff)) return bad('identifier: expected an integer from 1 to 65535');
  if (!Array.isArray(sockets) || sockets.length === 0 || sockets.length > 2) return bad('sockets: expected one or two');
  const list: InheritableSocket[] = [];
  for (const s of sockets as unknown[]) {
    if (s === null || typeof s !== 'object') return bad('sockets: expected objects');
    const { family, kind, fd } = s as Record<string, unknown>;
    if (family !== 4 && family !== 6) return bad('family: expected 4 or 6');
    if (kind !== 'raw' && kind !== 'dgram') return bad("kind: expected 'raw' or 'dgram'");
    if (!isInteger(fd, 3, 65535)) return bad('fd: expected a descriptor number from 3');
    if (list.some((l) => l.family === family)) return bad('one socket per family');
    list.push({ family, kind, fd });
  }
  return { identifier, sockets: list };
}
