// NDJSON output: one JSON object per line, every string escaped by safeJson (so a
// hostile name cannot break a line or reach the terminal raw), numbers as numbers, RTTs in
// milliseconds. The schema is documented in docs/json.md; bump the version on any change
// that removes or renames a field.
import { safeJson } from '../wording/escape-text.js';
import type { IntervalEvent } from '../index.js';
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

/** A sweep's `start` line: how many targets it has (null when they are read from a file as the sweep goes). */
export function sweepStartJson(targets: number | null, epochMs: number): string {
  return safeJson({ type: 'start', schemaVersion: JSON_SCHEMA_VERSION, time: epochMs, targets });
}

/**
 * One event as a line; null for events the schema leaves out ('sent'). In a sweep, `index`
 * is the target's position among the targets (two may share a name or an address).
 */
export function eventJson(event: PingEvent, epochMs: number, index?: number): string | null {
  if (event.type === 'sent') return null;
  const { type, ...fields } = event;
  return safeJson({ type, schemaVersion: JSON_SCHEMA_VERSION, time: epochMs, ...(index !== undefined ? { index } : {}), ...fields });
}

/** A sweep's `interval` line (--report): one target's figures over the last interval. */
export function intervalJson(event: IntervalEvent, epochMs: number): string {
  const { type, ...fields } = event;
  return safeJson({ type, schemaVersion: JSON_SCHEMA_VERSION, time: epochMs, ...fields });
}

/** A sweep's `stats` line (--stats): the totals of the run. */
export function statsJson(totals: object, epochMs: number): string {
  return safeJson({ type: 'stats', schemaVersion: JSON_SCHEMA_VERSION, time: epochMs, ...totals });
}

/** A sweep's `reachable` line (--reachable, --fast-reachable): whether enough targets answered. */
export function reachableJson(required: number, reachable: number, epochMs: number): string {
  return safeJson({ type: 'reachable', schemaVersion: JSON_SCHEMA_VERSION, time: epochMs, required, reachable, enough: reachable >= required });
}
