import { readFileSync } from 'node:fs';
import { PermissionError, SocketError } from '../errors.js';
import { IcmpSocket, type IcmpSocketOptions } from './icmp-socket.js';
import type { SocketKind, SocketMode } from './socket-like.js';

const DENIED = new Set(['EPERM', 'EACCES']);

function isDenied(error: unknown): error is SocketError {
  return error instanceof SocketError && DENIED.has(error.errnoCode) && error.syscall === 'socket';
}

// Read only on the failure path, to make the message exact.
function pingGroupRange(): string {
  try {
    return readFileSync('/proc/sys/net/ipv4/ping_group_range', 'utf8').trim().replace(/\s+/g, ' ');
  } catch {
    return 'unreadable';
  }
}

/** The one actionable message for "no ICMP socket may be opened". */
function permissionMessage(family: 4 | 6, tried: string): string {
  const groups = [...new Set([process.getgid?.() ?? -1, ...(process.getgroups?.() ?? [])])].join(' ');
  return (
    `no permission to open an ICMP${family === 6 ? 'v6' : ''} socket (${tried}): ` +
    'run it with sudo, or grant CAP_NET_RAW (in a container: --cap-add=NET_RAW), ' +
    'or allow ICMP datagram sockets for your group: ' +
    `sysctl -w net.ipv4.ping_group_range="0 2147483647" (now "${pingGroupRange()}"; your groups: ${groups})`
  );
}

/**
 * Opens an ICMP socket in the given mode. 'auto' tries raw first and falls back to a
 * datagram socket only when raw is refused for lack of privilege.
 *
 * @throws PermissionError when no allowed kind may be opened; SocketError for other failures
 */
export function openIcmpSocket(mode: SocketMode, options: Omit<IcmpSocketOptions, 'kind'>): IcmpSocket {
  const kinds: SocketKind[] = mode === 'auto' ? ['raw', 'dgram'] : [mode];
  const refused: string[] = [];
  let last: SocketError | undefined;
  for (const kind of kinds) {
    try {
      return new IcmpSocket({ ...options, kind });
    } catch (error) {
      if (!isDenied(error)) throw error;
      refused.push(`${kind}: ${error.errnoCode}`);
      last = error;
    }
  }
  throw new PermissionError(permissionMessage(options.family, refused.join(', ')), { cause: last });
}
