// The scenarios in the order a full run takes them. Each owns its commands, its analysis and
// the 'Done when' targets it measures; a new scenario is a new file listed here.
import flood from './flood.mjs';
import accuracy from './accuracy.mjs';
import sweep from './sweep.mjs';
import streaming from './streaming.mjs';
import startup from './startup.mjs';
import memory from './memory.mjs';
import adaptive from './adaptive.mjs';
import concurrency from './concurrency.mjs';
import exporter from './exporter.mjs';

/** @type {Array<object>} */
export const SCENARIOS = [flood, adaptive, accuracy, sweep, streaming, startup, memory, concurrency, exporter];

/** Every target of every scenario, in the order the summary prints them. */
export function targets(s) {
  return SCENARIOS.flatMap((scenario) => scenario.targets(s));
}
