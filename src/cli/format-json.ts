// NDJSON output: one JSON object per line, every string escaped by safeJson (so a
// hostile name cannot break a line or reach the terminal raw), numbers as numbers, RTTs in
// milliseconds. The schema is documented in docs/json.md; bump the version on any change
// that removes or renames a field.
import { safeJson } from '../wording/escape-text.js';
import type { PingEvent } from '../pinger/ping-event.js';

/** Version of the NDJSON schema, carried by every line as `schemaVersion`. */
export const JSON_SCHEMA_VERSION = 1;

/** What the `start` line says about the run. */
export interface StartFacts {
  target: string;
  address: string;
  family: 4 | 6;
  /** Payload bytes. */
  size: number;
  /** Socket kind in use. */
  socket: 'raw' | 'dgram';
}

/** The `start` line. */
export function startJson(facts: StartFacts, epochMs: number): string {
  return safeJson({ type: 'start', schemaVersion: JSON_SCHEMA_VERSION, time: epochMs, ...facts });
}

/** A sweep's `start` line: how many targets it has. */
export function sweepStartJson(targets: number, epochMs: number): string {
  return safeJson({ type: 'start', schemaVersion: JSON_SCHEMA_VERSION, time: epochMs, targets });
}

/** One event as a line; null for events the schema leaves out ('sent'). */
export function eventJson(event: PingEvent, epochMs: number): string | null {
  if (event.type === 'sent') return null;
  const { type, ...fields } = event;
  return safeJson({ type, schemaVersion: JSON_SCHEMA_VERSION, time: epochMs, ...fields });
}
