// A set of ICMP sockets as a value: opened at one moment (typically while the process still
// holds its privilege), then handed to the runs that use it. A set is sealed: a run given it
// uses its sockets and no others, and one that needs a socket the set does not hold fails with
// a message that says so instead of opening another. Whether a set is privileged is a fact of
// its sockets (a raw socket proves CAP_NET_RAW) or of the process that opened them, never a
// claim read from the environment.
import { OptionError } from '../errors.js';
import { IcmpSocket } from '../os/icmp-socket.js';
import { openIcmpSocket } from '../os/open-icmp-socket.js';
import { hasNetRaw } from '../os/capabilities.js';
import { randomBytes } from '../os/random-bytes.js';
import type { SocketKind, SocketLike } from '../os/socket-like.js';
import type { Clock } from '../pinger/clock.js';
import { Engine, moreSettingsText, type SocketOpener, type SocketSpec } from '../pinger/engine.js';
import type { EngineLimits } from '../pinger/receive-capacity.js';

/** A socket of a set. */
export interface OpenedSocket {
  family: 4 | 6;
  kind: SocketKind;
  /** The echo identifier its probes carry. */
  identifier: number;
}

/** A family the set could not open, and why (a PermissionError, a SocketError). */
export interface FailedSocket {
  family: 4 | 6;
  error: unknown;
}

/**
 * A socket of a set with its descriptor, as the CLI hands it across its re-exec.
 * @internal
 */
export interface InheritableSocket {
  family: 4 | 6;
  kind: SocketKind;
  fd: number;
}

function describeSpec(spec: SocketSpec): string {
  const parts = [`mode ${spec.mode}`];
  if (spec.ttl !== undefined) parts.push(`ttl ${spec.ttl}`);
  if (spec.tos !== undefined) parts.push(`tos ${spec.tos}`);
  if (spec.source !== undefined) parts.push(`source ${spec.source}`);
  if (spec.interface !== undefined) parts.push(`interface ${spec.interface}`);
  if (spec.broadcast === true) parts.push('broadcast');
  const more = moreSettingsText(spec);
  if (more !== '') parts.push(more);
  return parts.join(', ');
}

function sameSpec(a: SocketSpec, b: SocketSpec): boolean {
  return describeSpec(a) === describeSpec(b);
}

type HeldSocket = OpenedSocket & { socket: SocketLike };

let create: (engine: Engine, sockets: HeldSocket[], failed: FailedSocket[], privileged: boolean) => SocketSet;
let internals: (set: SocketSet) => { engine: Engine; sockets: readonly HeldSocket[] };

/**
 * ICMP sockets opened ahead of the runs that use them (see `openSockets`). Pass the set as the
 * `sockets` option of ping, pingMany, pingEach, createPinger or isReachable: the run sends
 * and receives on these sockets only.
 */
export class SocketSet {
  /** Families opened, with their socket kind and echo identifier. */
  readonly opened: readonly OpenedSocket[];
  /** Families that could not be opened, and why. */
  readonly failed: readonly FailedSocket[];
  /**
   * True when the set proves the process may send raw ICMP: it holds a raw socket, or it was
   * opened while the process was root or held CAP_NET_RAW.
   */
  readonly privileged: boolean;
  readonly #engine: Engine;
  readonly #sockets: readonly HeldSocket[];

  // Sets are made by openSockets() only; the runtime reaches their engine through the
  // functions below, so nothing of the engine shows in the public type.
  private constructor(engine: Engine, sockets: HeldSocket[], failed: FailedSocket[], privileged: boolean) {
    this.#engine = engine;
    this.#sockets = sockets;
    this.opened = sockets.map(({ family, kind, identifier }) => ({ family, kind, identifier }));
    this.failed = failed;
    this.privileged = privileged || sockets.some((s) => s.kind === 'raw');
  }

  /**
   * Reads the kernel's drop counters of the set's sockets now, and returns how far they rose
   * since the set was opened: datagrams the kernel discarded because a receive queue was full.
   * Not 0 means some replies may never have reached rawping, so some loss counted by runs on
   * this set was this machine's, not the hosts'. The kernel's own figure, an upper bound: on
   * raw sockets it also counts datagrams for other programs that arrived while the queue was
   * full, and some kernels count one datagram twice.
   */
  kernelDrops(): number {
    return this.#engine.kernelDrops();
  }

  /** Closes the set's sockets for good; runs given the set afterwards fail. Idempotent. */
  close(): void {
    for (const s of this.#sockets) s.socket.close();
  }

  static {
    create = (engine, sockets, failed, privileged) => new SocketSet(engine, sockets, failed, privileged);
    internals = (set) => ({ engine: set.#engine, sockets: set.#sockets });
  }
}

/**
 * The engine a set's sockets belong to.
 * @internal
 */
export function engineOf(set: SocketSet): Engine {
  return internals(set).engine;
}

/**
 * Applies to the set's `family` socket what it does at its first send to `address` (bind to
 * the route's source, connect, the IPv6 flow label), now, so a failure can be reported before
 * the run starts. Throws SocketError.
 * @internal
 */
export function prepareSockets(set: SocketSet, family: 4 | 6, address: string, scopeId: number): void {
  for (const s of internals(set).sockets) if (s.family === family && s.socket instanceof IcmpSocket) s.socket.prepareFor(address, scopeId);
}

/**
 * The set's sockets with their descriptors, made to survive an exec (the CLI's re-exec).
 * @internal
 */
export function inheritableSockets(set: SocketSet): InheritableSocket[] {
  return internals(set).sockets.map((s) => {
    if (!(s.socket instanceof IcmpSocket)) throw new Error('only sockets of the addon can be inherited');
    s.socket.setInheritable(true);
    return { family: s.family, kind: s.kind, fd: s.socket.fd };
  });
}

/**
 * An engine whose only sockets are those it is given: a run asking for another family or
 * other socket settings gets an OptionError naming what the set lacks.
 */
function sealedEngine(spec: SocketSpec, identifier: number | undefined, holds: () => readonly OpenedSocket[], clock?: Clock, limits?: EngineLimits): Engine {
  return new Engine({
    ...(identifier !== undefined ? { identifier } : {}),
    ...(limits !== undefined ? { limits } : {}),
    ...(clock !== undefined ? { clock } : { random: randomBytes }),
    openSocket: (family, wanted) => {
      const held =
        holds()
          .map((s) => `IPv${s.family} ${s.kind}`)
          .join(', ') || 'no socket';
      if (!sameSpec(wanted, spec)) {
        throw new OptionError(
          'sockets',
          `this run asks for sockets with ${describeSpec(wanted)}, and the socket set given was opened with ${describeSpec(spec)}: open a set with the run's settings`,
        );
      }
      throw new OptionError('sockets', `this run needs an IPv${family} socket, and the socket set given has none (it holds ${held})`);
    },
  });
}

/**
 * Opens a sealed set: one socket per family in `families`, with the settings of `spec`, now,
 * and the engine's limits (probes in flight, receive queue). Never throws for a family that
 * fails: see `failed`.
 * @internal
 */
export function openSocketSet(spec: SocketSpec, families: readonly (4 | 6)[], limits?: EngineLimits): SocketSet {
  let privileged = (process.geteuid?.() ?? -1) === 0;
  try {
    privileged ||= hasNetRaw();
  } catch {
    // No capability information: only the sockets themselves can tell.
  }
  const sockets: HeldSocket[] = [];
  const failed: FailedSocket[] = [];
  const engine = sealedEngine(spec, spec.identifier, () => sockets, undefined, limits);
  const { mode, ...settings } = spec;
  for (const family of families) {
    try {
      const socket = openIcmpSocket(mode, { ...settings, family, identifier: engine.identifier, dgramIdentifier: spec.identifier });
      engine.adoptSocket(family, spec, socket);
      sockets.push({ family, kind: socket.kind, identifier: socket.identifier, socket });
    } catch (error) {
      failed.push({ family, error });
    }
  }
  return create(engine, sockets, failed, privileged);
}

/**
 * Takes over sockets this process inherited (the CLI's re-exec without capabilities), each
 * checked by the addon to be the ICMP socket of its family and kind. Privileged only when one
 * of them is raw. Never throws for a socket that fails: see `failed`.
 *
 * @param identifier the echo identifier the inherited raw sockets' filters were made for
 * @internal
 */
export function adoptSocketSet(spec: SocketSpec, inherited: readonly InheritableSocket[], identifier: number, limits?: EngineLimits): SocketSet {
  const sockets: HeldSocket[] = [];
  const failed: FailedSocket[] = [];
  const engine = sealedEngine(spec, identifier, () => sockets, undefined, limits);
  for (const h of inherited) {
    try {
      const socket = new IcmpSocket({ family: h.family, kind: h.kind, identifier, inheritedFd: h.fd });
      engine.adoptSocket(h.family, spec, socket);
      sockets.push({ family: h.family, kind: h.kind, identifier: socket.identifier, socket });
    } catch (error) {
      failed.push({ family: h.family, error });
    }
  }
  return create(engine, sockets, failed, false);
}

/**
 * A sealed set over sockets from any opener (a fake network) on any clock (a virtual one): the
 * seam that runs the public API without the addon in tests.
 * @internal
 */
export function socketSetOn(
  source: { openSocket: SocketOpener; clock: Clock; identifier?: number; limits?: EngineLimits },
  spec: SocketSpec = { mode: 'auto' },
  families: readonly (4 | 6)[] = [4, 6],
): SocketSet {
  const sockets: HeldSocket[] = [];
  const failed: FailedSocket[] = [];
  const engine = sealedEngine(spec, source.identifier, () => sockets, source.clock, source.limits);
  for (const family of families) {
    try {
      const socket = source.openSocket(family, spec, engine.identifier);
      engine.adoptSocket(family, spec, socket);
      sockets.push({ family, kind: socket.kind, identifier: socket.identifier, socket });
    } catch (error) {
      failed.push({ family, error });
    }
  }
  return create(engine, sockets, failed, false);
}
