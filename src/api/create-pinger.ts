import { LIBRARY_DEFAULTS, resolveOptions, type PingOptions } from '../options/validate-options.js';
import type { PingSummary } from '../pinger/ping-event.js';
import { Pinger } from './pinger.js';
import { resolveOne, startTargets, type RunContext } from '../runtime/run-targets.js';

/**
 * Starts pinging `target` and returns at once with a Pinger: listen to its events or
 * iterate them with `for await`. Runs until `count` probes are done (default: no limit),
 * `deadline` passes, `stop()` is called, or the signal aborts.
 */
export function createPinger(target: string, options: PingOptions = {}, context: RunContext = {}): Pinger {
  return new Pinger(target, async (pinger): Promise<PingSummary> => {
    const resolved = resolveOptions(options, { ...LIBRARY_DEFAULTS, count: Infinity });
    const one = await resolveOne(target, resolved, context);
    const running = startTargets([one], resolved, context, (event) => pinger.deliver(event));
    pinger.bindSession({ stop: () => running.session.stop(), snapshot: () => running.session.snapshot()[0] as PingSummary });
    const [summary] = await running.done;
    return summary as PingSummary;
  });
}
