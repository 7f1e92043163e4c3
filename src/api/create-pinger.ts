import { validateOptions } from '../options/validate-options.js';
import type { PingSummary } from '../pinger/ping-event.js';
import { idleSummary, resolveOne, startTargets } from '../runtime/run-targets.js';
import { newPinger, type Pinger } from './pinger.js';
import type { PingOptions } from './ping-options.js';

/**
 * Starts pinging `target` and returns at once with a Pinger: listen to its events or
 * iterate them with `for await`. Runs until `count` probes are done (default: no limit),
 * `deadline` passes, `stop()` is called, or the signal aborts. Bad options, a name that does
 * not resolve or a missing socket make `done` reject (and the 'failure' event fire).
 */
export function createPinger(target: string, options: PingOptions = {}): Pinger {
  return newPinger(target, async (control): Promise<PingSummary> => {
    const validated = validateOptions(options, { kind: 'pinger' });
    const one = await resolveOne(target, validated);
    // stop() before the first probe: no probe at all.
    if (control.stopped()) return idleSummary(one, 'stopped');
    const running = startTargets([one], validated, { emit: (event) => control.deliver(event) });
    control.bind({ stop: () => running.session.stop(), snapshot: () => running.session.snapshot()[0] as PingSummary });
    const [summary] = await running.done;
    return summary as PingSummary;
  });
}
