import { AbortError } from '../errors.js';
import type { Engine, SocketSpec } from './engine.js';
import type { ResolvedTarget } from './resolved-target.js';
import type { TraceConfig } from './trace-config.js';
import type { TraceEvent, TraceSummary } from './trace-event.js';
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
  const { engine, signal } = options;
  if (signal?.aborted === true) throw new AbortError({ cause: signal.reason });
  const socket = engine.openSocket(options.target.family, options.socket);
  if (socket.sendWithHopLimit === undefined) throw new Error('this socket cannot send with a hop limit of its own per probe');
  let settle!: (summary: TraceSummary) => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<TraceSummary>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  let aborted = false;
  const onAbort = (): void => {
    aborted = true;
    session.stop();
  };
  const session: TraceSession = new TraceSession({
    target: options.target,
    config: options.config,
    cookie: engine.newCookie(),
    socket,
    clock: engine.clock,
    emit: options.emit,
    onEnd: (summary) => {
      engine.detach(session);
      signal?.removeEventListener('abort', onAbort);
      if (aborted) fail(new AbortError({ cause: signal?.reason }));
      else settle(summary);
    },
  });
  engine.attach(session, options.socket);
  signal?.addEventListener('abort', onAbort, { once: true });
  session.start();
  return { session, done };
}
