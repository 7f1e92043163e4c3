import type { Engine, SocketSpec } from './engine.js';
import type { ResolvedTarget } from './resolved-target.js';
import type { TraceConfig } from './trace-config.js';
import type { TraceEvent, TraceSummary } from './trace-event.js';
import { startOnEngine } from './start-on-engine.js';
import { TraceSession } from './trace-session.js';

/** A trace started on an engine. */
export interface RunningTrace {
  session: TraceSession;
  /** Resolves with the summary when the trace ends; rejects with AbortError when aborted. */
  done: Promise<TraceSummary>;
}

/** What runTrace starts, and on what. */
export interface RunTraceOptions {
  /** The engine whose socket (of the target's family) and clock the trace uses. */
  engine: Engine;
  target: ResolvedTarget;
  config: TraceConfig;
  /** Socket settings (no TTL: each probe carries its own). */
  socket: SocketSpec;
  /** Hears every event of the trace. */
  emit: (event: TraceEvent) => void;
  /** Stops the trace when aborted; `done` then rejects with AbortError. */
  signal?: AbortSignal | undefined;
}

/**
 * Starts a trace on `options.engine`: finds (or opens) the socket of the target's family, which
 * may throw PermissionError or OptionError (a sealed set without it), attaches the trace and
 * wires the abort signal; the trace detaches when it ends. Throws AbortError when the signal is
 * already aborted.
 */
export function runTrace(options: RunTraceOptions): RunningTrace {
  const { engine } = options;
  const { run, done } = startOnEngine(engine, options.socket, options.signal, (onEnd: (summary: TraceSummary) => void) => {
    const socket = engine.openSocket(options.target.family, options.socket);
    if (socket.sendWithHopLimit === undefined) throw new Error('this socket cannot send with a hop limit of its own per probe');
    return new TraceSession({
      target: options.target,
      config: options.config,
      cookie: engine.newCookie(),
      socket,
      clock: engine.clock,
      emit: options.emit,
      onEnd,
    });
  });
  return { session: run, done };
}
