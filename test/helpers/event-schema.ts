// The shipped JSON Schema of the NDJSON events (docs/events.schema.json), compiled once with
// Ajv (draft 2020-12, strict). run-cli.ts checks every line of every --json run of the suite
// against it, so an event the CLI emits and the schema does not describe fails the test that
// made it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';

/** Path of the schema in the checkout (and in the package). */
export const EVENT_SCHEMA_PATH = new URL('../../docs/events.schema.json', import.meta.url);

let validate: ValidateFunction | undefined;

/** The compiled schema. */
export function eventValidator(): ValidateFunction {
  if (validate === undefined) {
    // ajv's 2020-12 class is a CommonJS default export.
    const Ajv2020 = (createRequire(import.meta.url)('ajv/dist/2020') as { default: new (o: object) => { compile(s: unknown): ValidateFunction } }).default;
    validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(EVENT_SCHEMA_PATH, 'utf8')));
  }
  return validate;
}

/** Null when `line` is one valid event, else what is wrong with it (one line). */
export function eventLineProblem(line: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return `not JSON: ${line.slice(0, 200)}`;
  }
  const v = eventValidator();
  if (v(value)) return null;
  // oneOf reports every branch; the branch for this line's type says the most.
  const errors = (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params !== undefined ? ` ${JSON.stringify(e.params)}` : ''}`);
  return `${line.slice(0, 300)}\n  ${errors.slice(0, 12).join('\n  ')}`;
}

/** The problems of every complete line of `stdout` (an unfinished last line is left out). */
export function ndjsonProblems(stdout: string): string[] {
  const lines = stdout.split('\n').slice(0, -1);
  return lines.map(eventLineProblem).filter((p): p is string => p !== null);
}
