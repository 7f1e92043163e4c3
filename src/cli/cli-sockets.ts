// The CLI's sockets: opened while it still holds its privilege, or, after the re-exec that
// sheds it, taken over from the process it replaced.
import { defaultEngine } from '../runtime/process-engine.js';
import { openEachFamily } from '../api/open-sockets.js';
import { LIBRARY_DEFAULTS, resolveOptions, type PingOptions } from '../options/validate-options.js';
import type { SocketSpec } from '../pinger/engine.js';
import { IcmpSocket } from '../os/icmp-socket.js';
import type { SocketKind } from '../os/socket-like.js';

/** The sockets the CLI holds, and why a family has none. */
export interface CliSockets {
  opened: { family: 4 | 6; kind: SocketKind; identifier: number; socket: IcmpSocket }[];
  failed: { family: 4 | 6; error: unknown }[];
}

/** Name of the environment variable that hands sockets across the re-exec. */
export const INHERITED_SOCKETS_ENV = 'RAWPING_INHERITED_SOCKETS';

interface Handover {
  identifier: number;
  /** The replaced process had root or CAP_NET_RAW: ping's limits for users do not apply. */
  privileged: boolean;
  sockets: { family: 4 | 6; kind: SocketKind; fd: number }[];
}

/** True when this process replaced a privileged one that handed its sockets over. */
export function handedOverPrivileged(env: NodeJS.ProcessEnv): boolean {
  const text = env[INHERITED_SOCKETS_ENV];
  if (text === undefined) return false;
  try {
    return (JSON.parse(text) as Partial<Handover>).privileged === true;
  } catch {
    return false;
  }
}

/** The socket settings the run will ask the engine for (the same key the pinger uses later). */
export function socketSpec(options: PingOptions): SocketSpec {
  return resolveOptions(options, LIBRARY_DEFAULTS).socket;
}

/**
 * Opens the CLI's sockets on the process's engine (which opens IcmpSockets, so the cast holds).
 * Never throws for a family: see `failed`.
 */
export function openCliSockets(spec: SocketSpec, families: (4 | 6)[]): CliSockets {
  return openEachFamily(defaultEngine(), spec, families) as CliSockets;
}

/** The handover for the process that will replace this one: descriptors kept open across exec. */
export function handOver(sockets: CliSockets, privileged: boolean): string {
  const handover: Handover = { identifier: defaultEngine().identifier, privileged, sockets: [] };
  for (const s of sockets.opened) {
    s.socket.setInheritable(true);
    handover.sockets.push({ family: s.family, kind: s.kind, fd: s.socket.fd });
  }
  return JSON.stringify(handover);
}

/**
 * Takes over the sockets of the process this one replaced, if it left any (and removes the
 * variable, so nothing started from here inherits the claim). Null when there is none.
 */
export function takeOverSockets(env: NodeJS.ProcessEnv, spec: SocketSpec): CliSockets | null {
  const text = env[INHERITED_SOCKETS_ENV];
  if (text === undefined) return null;
  delete env[INHERITED_SOCKETS_ENV];
  const handover = JSON.parse(text) as Handover;
  const engine = defaultEngine(handover.identifier);
  const result: CliSockets = { opened: [], failed: [] };
  for (const h of handover.sockets) {
    try {
      const socket = new IcmpSocket({ family: h.family, kind: h.kind, identifier: handover.identifier, inheritedFd: h.fd });
      engine.adoptSocket(h.family, spec, socket);
      result.opened.push({ family: h.family, kind: h.kind, identifier: socket.identifier, socket });
    } catch (error) {
      result.failed.push({ family: h.family, error });
    }
  }
  return result;
}
