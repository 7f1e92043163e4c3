import { AbortError } from '../errors.js';
import type { Engine, SocketSpec } from './engine.js';
import type { PingEvent, PingSummary } from './ping-event.js';
import { Session } from './session.js';
import type { SessionConfig } from './session-config.js';
import type { ResolvedTarget } from './target-state.js';

/** A session started on an engine. */
export interface RunningSession {
  session: Session;
  /** Resolves with one summary per target, in target order, when every target has ended; rejects with AbortError when aborted. */
  done: Promise<PingSummary[]>;
}

/**
 * Starts a session on `engine`: attaches it (opening sockets, which may throw
 * PermissionError), wires the abort signal, and detaches it when it ends. With `detail`
 * false only 'summary' events are emitted; with `retain` false finished targets are let go
 * and `done` resolves with the summaries of unfinished ones only.
 */
export function runSession(
  engine: Engine,
  targets: ResolvedTarget[],
  config: SessionConfig,
  spec: SocketSpec,
  emit: (event: PingEvent) => void,
  signal?: AbortSignal,
  detail = true,
  retain = true,
): RunningSession {
  if (signal?.aborted === true) throw new AbortError({ cause: signal.reason });
  let settle!: (summaries: PingSummary[]) => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<PingSummary[]>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  let aborted = false;
  const onAbort = (): void => {
    aborted = true;
    session.stop();
  };
  const session: Session = new Session({
    targets,
    config,
    cookie: engine.newCookie(),
    transport: engine.transport(spec),
    clock: engine.clock,
    emit,
    onEnd: (summaries) => {
      engine.detach(session);
      signal?.removeEventListener('abort', onAbort);
      if (aborted) fail(new AbortError({ cause: signal?.reason }));
      else settle(summaries);
    },
    detail,
    retain,
  });
  engine.attach(session, spec);
  signal?.addEventListener('abort', onAbort, { once: true });
  session.start();
  return { session, done };
}
