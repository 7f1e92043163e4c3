import { AbortError } from '../errors.js';
import type { Engine, SocketSpec } from './engine.js';
import type { EngineClient } from './engine-client.js';

/** A run (a ping session or a trace) as startOnEngine drives it. */
export interface EngineRun extends EngineClient {
  start(): void;
  stop(): void;
}

/**
 * The life of a run on an engine, the same for sessions and traces: refused with AbortError
 * when `signal` is already aborted (before `make` runs, so nothing is opened), then made (with
 * the callback it calls once when it ends), attached with `spec`, stopped by the signal, and
 * detached when it ends. `done` resolves with what it ended with, or rejects with AbortError
 * when the signal stopped it. `make` may throw; nothing is attached then.
 */
export function startOnEngine<R extends EngineRun, T>(
  engine: Engine,
  spec: SocketSpec,
  signal: AbortSignal | undefined,
  make: (onEnd: (result: T) => void) => R,
): { run: R; done: Promise<T> } {
  if (signal?.aborted === true) throw new AbortError({ cause: signal.reason });
  let settle!: (result: T) => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<T>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  let aborted = false;
  const onAbort = (): void => {
    aborted = true;
    run.stop();
  };
  const run: R = make((result) => {
    engine.detach(run);
    signal?.removeEventListener('abort', onAbort);
    if (aborted) fail(new AbortError({ cause: signal?.reason }));
    else settle(result);
  });
  engine.attach(run, spec);
  signal?.addEventListener('abort', onAbort, { once: true });
  run.start();
  return { run, done };
}
