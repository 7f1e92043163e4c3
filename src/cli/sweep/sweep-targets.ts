import type { TargetSource } from '../../index.js';
import type { CliOptions } from '../parse-args.js';
import { generateTargets } from './generate-targets.js';
import { openTargetFile } from './target-file.js';

/** The targets of a sweep, in command-line order (operands, then -g's range, then --file), as they will be read. */
export interface SweepTargets {
  source: TargetSource;
  /** How many there are, when known before reading (without --file); else null. */
  total: number | null;
}

/**
 * The sweep's targets as one stream: nothing is expanded or read ahead (a -g range gives its
 * addresses one by one, a --file its lines as they are read). Every target counts, also one
 * given twice. Throws UsageError for a bad range or a file that cannot be read.
 */
export async function sweepTargets(options: CliOptions): Promise<SweepTargets> {
  const operands = options.targets;
  const range = options.range !== undefined ? generateTargets(options.range) : null;
  const file = options.file !== undefined ? await openTargetFile(options.file) : null;
  if (file === null) {
    return {
      source: (function* () {
        yield* operands;
        if (range !== null) yield* range;
      })(),
      total: operands.length + (range?.size ?? 0),
    };
  }
  return {
    source: (async function* () {
      yield* operands;
      if (range !== null) yield* range;
      yield* file.targets();
    })(),
    total: null,
  };
}
