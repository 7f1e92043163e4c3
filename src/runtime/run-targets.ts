import { defaultEngine } from './process-engine.js';
import { escapeText } from '../wording/escape-text.js';
import { checkSizeForFamily, type ResolvedOptions } from '../options/validate-options.js';
import type { Engine } from '../pinger/engine.js';
import type { PingEvent, PingSummary } from '../pinger/ping-event.js';
import { runSession, type RunningSession } from '../pinger/run-session.js';
import type { ResolvedTarget } from '../pinger/target-state.js';
import { resolveLiteral, resolveTarget, type LookupFunction } from '../targets/resolve-target.js';

/** Internal knobs the public functions share; tests pass an engine over fake sockets. */
export interface RunContext {
  engine?: Engine;
  lookup?: LookupFunction;
}

/** Resolves an IP literal synchronously (null for a name), with the same checks as resolveOne. */
export function resolveLiteralOne(target: string, options: ResolvedOptions): ResolvedTarget | null {
  const resolved = resolveLiteral(target, { family: options.family, broadcast: options.broadcast, device: options.socket.device });
  if (resolved !== null) checkSizeForFamily(options.session.size, resolved.family);
  return resolved;
}

/** Resolves one target with the options' family, timeout and broadcast rule, then checks the size for its family. */
export async function resolveOne(target: string, options: ResolvedOptions, context: RunContext): Promise<ResolvedTarget> {
  const resolved = await resolveTarget(target, {
    family: options.family,
    timeoutMs: options.resolveTimeoutMs,
    broadcast: options.broadcast,
    device: options.socket.device,
    signal: options.signal,
    ...(context.lookup !== undefined ? { lookup: context.lookup } : {}),
  });
  checkSizeForFamily(options.session.size, resolved.family);
  return resolved;
}

/**
 * Starts a session over resolved targets on the context's engine (default: the process's).
 * With `detail` false (the default without `emit`) only summary events are produced.
 */
export function startTargets(
  targets: ResolvedTarget[],
  options: ResolvedOptions,
  context: RunContext,
  emit?: (event: PingEvent) => void,
  detail = emit !== undefined,
  retain = true,
): RunningSession {
  return runSession({
    engine: context.engine ?? defaultEngine(),
    targets,
    config: options.session,
    socket: options.socket,
    emit: emit ?? (() => {}),
    signal: options.signal,
    detail,
    retain,
  });
}

/** The summary of a target whose name did not resolve. */
export function unresolvedSummary(target: string, error: unknown): PingSummary {
  return {
    target,
    address: '',
    family: 0,
    transmitted: 0,
    received: 0,
    duplicates: 0,
    corrupted: 0,
    errors: 0,
    late: 0,
    loss: 100,
    rtt: null,
    elapsedMs: 0,
    sendSpanMs: 0,
    end: 'unresolved',
    error: error instanceof Error ? error.message : escapeText(String(error)),
  };
}
