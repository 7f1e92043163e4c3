import type { Harness } from './pinger-harness.js';

/**
 * Settles `work` (a public API call given `sockets: h.sockets()`) by running the harness's
 * virtual clock: each step lets promises settle, then fires the next timer. Bounded: a run
 * that never ends fails after `maxSteps` timers instead of hanging the suite.
 */
export async function drive<T>(h: Pick<Harness, 'clock'>, work: Promise<T>, maxSteps = 100_000): Promise<T> {
  let settled = false;
  const done = work.finally(() => (settled = true));
  done.catch(() => {});
  for (let step = 0; step < maxSteps; step++) {
    await new Promise((resolve) => setImmediate(resolve));
    if (settled) return done;
    if (!h.clock.advanceToNext()) await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`not settled after ${maxSteps} timers`);
}
