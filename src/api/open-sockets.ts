import { defaultEngine } from '../runtime/process-engine.js';
import { LIBRARY_DEFAULTS, resolveOptions, type PingOptions } from '../options/validate-options.js';
import type { Engine, SocketSpec } from '../pinger/engine.js';
import type { SocketKind, SocketLike } from '../os/socket-like.js';

/** A socket opened ahead of time. */
export interface OpenedSocket {
  family: 4 | 6;
  kind: SocketKind;
  /** The echo identifier its probes carry. */
  identifier: number;
}

/** The outcome per family. */
export interface OpenSocketsResult {
  opened: OpenedSocket[];
  failed: { family: 4 | 6; error: unknown }[];
}

/**
 * Opens the shared sockets now, with the socket settings of `options` (mode, ttl, tos,
 * source, interface, broadcast), for each family in `families` (default both). Later pings
 * with the same settings use them. This lets a program open its sockets while privileged and
 * give up the privilege before it reads anything from the network; rawping's CLI does so.
 * Never throws for a family that fails: see `failed`.
 */
export function openSockets(options: PingOptions & { families?: (4 | 6)[] } = {}, context: { engine?: Engine } = {}): OpenSocketsResult {
  const { families = [4, 6], ...rest } = options;
  const resolved = resolveOptions(rest, LIBRARY_DEFAULTS);
  const { opened, failed } = openEachFamily(context.engine ?? defaultEngine(), resolved.socket, families);
  return { opened: opened.map(({ family, kind, identifier }) => ({ family, kind, identifier })), failed };
}

/**
 * The work of `openSockets`, keeping the sockets themselves (the CLI hands their descriptors
 * across its re-exec). Never throws for a family that fails: see `failed`.
 */
export function openEachFamily(
  engine: Engine,
  spec: SocketSpec,
  families: readonly (4 | 6)[],
): { opened: (OpenedSocket & { socket: SocketLike })[]; failed: OpenSocketsResult['failed'] } {
  const result: ReturnType<typeof openEachFamily> = { opened: [], failed: [] };
  for (const family of families) {
    try {
      const socket = engine.openSocket(family, spec);
      result.opened.push({ family, kind: socket.kind, identifier: socket.identifier, socket });
    } catch (error) {
      result.failed.push({ family, error });
    }
  }
  return result;
}
