// `rawping trace --json`: NDJSON, one JSON object per line, every string escaped by safeJson.
// The schema is docs/trace-json.md; bump the version on any change that removes or renames a
// field (new fields may appear without one).
import type { TraceEvent } from '../../index.js';
import { safeJson } from '../../wording/escape-text.js';

/** Version of the trace's NDJSON schema, carried by every line as `schemaVersion`. */
export const TRACE_JSON_SCHEMA_VERSION = 1;

/** What the `start` line says about the trace. */
export interface TraceStartFacts {
  target: string;
  address: string;
  family: 4 | 6;
  /** Socket kind in use. */
  socket: 'raw' | 'dgram';
  firstHop: number;
  maxHops: number;
  /** Rounds to send; null for no limit. */
  rounds: number | null;
  intervalMs: number;
  timeoutMs: number;
  /** Payload bytes. */
  size: number;
}

/** The `start` line. */
export function traceStartJson(facts: TraceStartFacts, epochMs: number): string {
  return safeJson({ type: 'start', schemaVersion: TRACE_JSON_SCHEMA_VERSION, time: epochMs, ...facts });
}

/** One event as a line: 'hop' and 'round' as they are, the summary's fields on the line itself. */
export function traceEventJson(event: TraceEvent, epochMs: number): string {
  const head = { type: event.type, schemaVersion: TRACE_JSON_SCHEMA_VERSION, time: epochMs };
  if (event.type === 'summary') return safeJson({ ...head, ...event.summary });
  const { type: _type, ...fields } = event;
  return safeJson({ ...head, ...fields });
}
