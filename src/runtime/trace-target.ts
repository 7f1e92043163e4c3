// The one way the public API reaches a trace: resolve the destination with the trace's
// options, pick the engine (the socket set given, or the process's), start the trace on it.
import { OptionError } from '../errors.js';
import { checkSizeForFamily } from '../options/parse-value.js';
import type { ValidatedTraceOptions } from '../options/validate-trace-options.js';
import type { ResolvedTarget } from '../pinger/resolved-target.js';
import { runTrace, type RunningTrace } from '../pinger/run-trace.js';
import type { TraceEvent } from '../pinger/trace-event.js';
import { resolveTarget } from '../targets/resolve-target.js';
import { escapeText } from '../wording/escape-text.js';
import { engineFor } from './run-targets.js';

/**
 * Resolves a trace's destination: one unicast address of the options' family. A broadcast or
 * multicast address has no path to trace and is refused.
 * @throws OptionError, ResolveError, AbortError
 */
export async function resolveTraceTarget(target: string, options: ValidatedTraceOptions): Promise<ResolvedTarget> {
  let resolved: ResolvedTarget;
  try {
    resolved = await resolveTarget(target, {
      family: options.family,
      timeoutMs: options.resolveTimeoutMs,
      broadcast: false,
      interface: options.socket.interface,
      signal: options.signal,
      ...(options.lookup !== undefined ? { lookup: options.lookup } : {}),
    });
  } catch (error) {
    if (error instanceof OptionError && error.option === 'broadcast') {
      throw new OptionError('target', `${escapeText(target)} is a broadcast or multicast address: a trace follows the path to one host`);
    }
    throw error;
  }
  checkSizeForFamily(options.trace.size, resolved.family);
  return resolved;
}

/** Starts a trace to a resolved destination on the run's engine; `emit` hears its events. */
export function startTrace(target: ResolvedTarget, options: ValidatedTraceOptions, emit: (event: TraceEvent) => void = () => {}): RunningTrace {
  return runTrace({ engine: engineFor(options), target, config: options.trace, socket: options.socket, emit, signal: options.signal });
}
