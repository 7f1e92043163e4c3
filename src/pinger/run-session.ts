import type { Engine, SocketSpec } from './engine.js';
import type { PingEvent, PingSummary } from './ping-event.js';
import { Session, type SessionOptions } from './session.js';
import type { SessionConfig } from './session-config.js';
import type { ResolvedTarget } from './resolved-target.js';
import { startOnEngine } from './start-on-engine.js';

/** A session started on an engine. */
export interface RunningSession {
  session: Session;
  /** Resolves with one summary per target, in target order, when every target has ended; rejects with AbortError when aborted. */
  done: Promise<PingSummary[]>;
}

/** What runSession starts, and on what. */
export interface RunSessionOptions {
  /** The engine whose sockets and clock the session uses. */
  engine: Engine;
  /** The targets, resolved; summaries come back in this order. */
  targets: ResolvedTarget[];
  config: SessionConfig;
  /** Socket settings: sessions that agree on them share one socket per family. */
  socket: SocketSpec;
  /** Hears every event of the session. */
  emit: (event: PingEvent) => void;
  /** Stops the session when aborted; `done` then rejects with AbortError. */
  signal?: AbortSignal;
  /** Emit per-probe events; false: only 'summary' events. Default true. */
  detail?: boolean;
  /** Keep finished targets; false lets them go, and `done` resolves with the summaries of unfinished ones only. Default true. */
  retain?: boolean;
  /** Feeding a session from a stream: see SessionOptions' open, onLow, lowWater and pace. */
  feed?: Pick<SessionOptions, 'open' | 'onLow' | 'lowWater' | 'pace'>;
}

/**
 * Starts a session on `options.engine`: attaches it (opening sockets, which may throw
 * PermissionError), wires the abort signal, and detaches it when it ends. Throws AbortError
 * when the signal is already aborted.
 */
export function runSession(options: RunSessionOptions): RunningSession {
  const { engine } = options;
  const { run, done } = startOnEngine(engine, options.socket, options.signal, (onEnd: (summaries: PingSummary[]) => void) => {
    // A payload too short for the cookie: replies are told apart by identifier and sequence.
    const owner = options.config.size < 4 ? engine.newOwner() : null;
    const session: Session = new Session({
      targets: options.targets,
      config: options.config,
      cookie: engine.newCookie(),
      transport: engine.transport(options.socket, owner === null ? null : { owner }),
      pacer: engine.pacer,
      owner,
      clock: engine.clock,
      emit: options.emit,
      onEnd,
      detail: options.detail ?? true,
      retain: options.retain ?? true,
      ...options.feed,
      // A family the first targets did not use gets its socket when a target of it comes.
      onFamily: (family) => engine.attachFamily(session, family, options.socket),
    });
    return session;
  });
  return { session: run, done };
}
