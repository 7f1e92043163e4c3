// The one way the public API reaches the engine: resolve targets with the run's options, pick
// the engine (the socket set the run was given, or the process's), start a session on it.
import { OptionError } from '../errors.js';
import type { ValidatedOptions } from '../options/validate-options.js';
import { checkSizeForFamily } from '../options/parse-value.js';
import type { Engine } from '../pinger/engine.js';
import type { PingEvent, PingSummary } from '../pinger/ping-event.js';
import { runSession, type RunningSession, type RunSessionOptions } from '../pinger/run-session.js';
import type { ResolvedTarget } from '../pinger/resolved-target.js';
import { TargetState } from '../pinger/target-state.js';
import { resolveLiteral, resolveTarget } from '../targets/resolve-target.js';
import { escapeText } from '../wording/escape-text.js';
import { processEngine } from './process-engine.js';
import { engineOf, SocketSet } from './socket-set.js';

/** The engine a run uses: that of the socket set it was given, else the process's. */
export function engineFor(options: Pick<ValidatedOptions, 'sockets'>): Engine {
  if (options.sockets === undefined) return processEngine();
  if (!(options.sockets instanceof SocketSet)) throw new OptionError('sockets', 'invalid sockets: expected a socket set from openSockets()');
  return engineOf(options.sockets);
}

/** Resolves an IP literal synchronously (null for a name), with the same checks as resolveOne. */
export function resolveLiteralOne(target: string, options: ValidatedOptions): ResolvedTarget | null {
  const resolved = resolveLiteral(target, { family: options.family, broadcast: options.broadcast, interface: options.socket.interface });
  if (resolved !== null) checkSizeForFamily(options.session.size, resolved.family);
  return resolved;
}

/** Resolves one target with the options' family, timeout, broadcast rule and lookup, then checks the size for its family. */
export async function resolveOne(target: string, options: ValidatedOptions): Promise<ResolvedTarget> {
  const resolved = await resolveTarget(target, {
    family: options.family,
    timeoutMs: options.resolveTimeoutMs,
    broadcast: options.broadcast,
    interface: options.socket.interface,
    signal: options.signal,
    ...(options.lookup !== undefined ? { lookup: options.lookup } : {}),
  });
  checkSizeForFamily(options.session.size, resolved.family);
  return resolved;
}

/** How startTargets reports. */
export interface StartOptions {
  /** Hears the run's events; without it only the summaries are made. */
  emit?: (event: PingEvent) => void;
  /** Per-probe events too (default: when `emit` is given). */
  detail?: boolean;
  /** Keep finished targets for the final list (default true); a sweep lets them go. */
  retain?: boolean;
  /** A session fed from a stream (more targets through session.add()): see RunSessionOptions. */
  feed?: RunSessionOptions['feed'];
}

/** Starts a session over resolved targets on the run's engine. */
export function startTargets(targets: ResolvedTarget[], options: ValidatedOptions, how: StartOptions = {}): RunningSession {
  const emit = how.emit ?? (() => {});
  return runSession({
    engine: engineFor(options),
    targets,
    config: options.session,
    socket: options.socket,
    emit,
    signal: options.signal,
    detail: how.detail ?? how.emit !== undefined,
    retain: how.retain ?? true,
    ...(how.feed !== undefined ? { feed: how.feed } : {}),
  });
}

/** The summary of a target that ended before its first probe (nothing sent, nothing counted). */
export function idleSummary(target: ResolvedTarget, end: PingSummary['end']): PingSummary {
  return { ...new TargetState(0, target).summary(0), end };
}

/** The summary of a target that never got an address (not resolved, or not reached before the end): family 0, nothing sent. */
export function unreachedSummary(target: string, end: PingSummary['end']): PingSummary {
  return { ...idleSummary({ target, address: '', family: 4, scopeId: 0 }, end), family: 0 };
}

/** The summary of a target whose name did not resolve. */
export function unresolvedSummary(target: string, error: unknown): PingSummary {
  return {
    ...unreachedSummary(target, 'unresolved'),
    loss: 100,
    error: error instanceof Error ? error.message : escapeText(String(error)),
  };
}
