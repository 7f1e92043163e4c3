// The shipped JSON Schemas of the NDJSON lines: docs/events.schema.json for rawping --json (ping,
// a sweep) and docs/trace-events.schema.json for rawping trace --json, each compiled once with
// Ajv (draft 2020-12, strict). run-cli.ts checks every line of every --json run of the suite
// against the one of its command, so a line the CLI emits and its schema does not describe
// fails the test that made it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';

/** Path of ping's schema in the checkout (and in the package). */
export const EVENT_SCHEMA_PATH = new URL('../../docs/events.schema.json', import.meta.url);
/** Path of the trace's schema in the checkout (and in the package). */
export const TRACE_EVENT_SCHEMA_PATH = new URL('../../docs/trace-events.schema.json', import.meta.url);

/** Which schema: ping's lines or the trace's. */
export type EventSchema = 'ping' | 'trace';

const PATHS: Record<EventSchema, URL> = { ping: EVENT_SCHEMA_PATH, trace: TRACE_EVENT_SCHEMA_PATH };
const validators = new Map<EventSchema, ValidateFunction>();

/** The compiled schema. */
export function eventValidator(schema: EventSchema = 'ping'): ValidateFunction {
  let validate = validators.get(schema);
  if (validate === undefined) {
    // ajv's 2020-12 class is a CommonJS default export.
    const Ajv2020 = (createRequire(import.meta.url)('ajv/dist/2020') as { default: new (o: object) => { compile(s: unknown): ValidateFunction } }).default;
    validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(PATHS[schema], 'utf8')));
    validators.set(schema, validate);
  }
  return validate;
}

/** The schema of the lines `rawping <args>` prints: the trace's for `rawping trace`, else ping's. */
export function schemaOf(args: readonly string[]): EventSchema {
  return args[0] === 'trace' ? 'trace' : 'ping';
}

/** The schema's file, as the package has it (docs/...). */
export function schemaFile(schema: EventSchema): string {
  return `docs/${PATHS[schema].pathname.split('/').pop() ?? ''}`;
}

/** Null when `line` is one valid event, else what is wrong with it (one line). */
export function eventLineProblem(line: string, schema: EventSchema = 'ping'): string | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return `not JSON: ${line.slice(0, 200)}`;
  }
  const v = eventValidator(schema);
  if (v(value)) return null;
  // oneOf reports every branch; the branch for this line's type says the most.
  const errors = (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params !== undefined ? ` ${JSON.stringify(e.params)}` : ''}`);
  return `${line.slice(0, 300)}\n  ${errors.slice(0, 12).join('\n  ')}`;
}

/** The problems of every complete line of `stdout` (an unfinished last line is left out). */
export function ndjsonProblems(stdout: string, schema: EventSchema = 'ping'): string[] {
  const lines = stdout.split('\n').slice(0, -1);
  return lines.map((l) => eventLineProblem(l, schema)).filter((p): p is string => p !== null);
}
