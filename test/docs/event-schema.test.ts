// docs/events.schema.json, the machine-readable schema of the --json lines that ships with the
// package: it compiles under a strict validator, it takes every kind of line the formatter
// writes and refuses lines that break it, every event it defines is reachable from its oneOf,
// and it names the same event types as docs/json.md. (Every --json run of the suite is also
// checked against it, in test/helpers/run-cli.ts.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { eventJson, startJson, sweepStartJson } from '../../src/cli/format-json.js';
import type { PingEvent, PingSummary } from '../../src/pinger/ping-event.js';
import { EVENT_SCHEMA_PATH, eventLineProblem } from '../helpers/event-schema.js';

const SCHEMA = JSON.parse(readFileSync(EVENT_SCHEMA_PATH, 'utf8')) as {
  oneOf: { $ref: string }[];
  $defs: Record<string, { allOf?: unknown[]; properties?: { type?: { const?: string; enum?: string[] } } }>;
};
const DOC = readFileSync(new URL('../../docs/json.md', import.meta.url), 'utf8');
const TIME = 1_795_400_000_000;
const REF = { target: 'localhost', address: '127.0.0.1' };
const SUMMARY: PingSummary = {
  ...REF,
  family: 4,
  transmitted: 2,
  received: 2,
  duplicates: 0,
  corrupted: 0,
  errors: 0,
  late: 0,
  loss: 0,
  rtt: {
    min: 0.04,
    avg: 0.05,
    max: 0.06,
    mdev: 0.01,
    jitter: 0.02,
    p50: 0.05,
    p90: 0.06,
    p99: 0.06,
    iputils: { minUs: 40, avgUs: 50, maxUs: 60, mdevUs: 10, ewmaTimes8Us: 400 },
  },
  elapsedMs: 1001,
  sendSpanMs: 1000,
  end: 'count',
};
const EVENTS: PingEvent[] = [
  { type: 'reply', ...REF, from: '127.0.0.1', sequence: 1, rttMs: 0.041, ttl: 64, bytes: 64, truncated: false },
  { type: 'duplicate', ...REF, from: '127.0.0.1', sequence: 1, rttMs: 0.062, ttl: -1, bytes: 64, truncated: true },
  { type: 'corrupted', ...REF, from: '127.0.0.1', sequence: 2, rttMs: 0.05, ttl: 64, bytes: 64 },
  { type: 'late', ...REF, from: '127.0.0.1', sequence: 3, rttMs: null },
  { type: 'late', ...REF, from: '127.0.0.1', sequence: 3, rttMs: 1500.5 },
  { type: 'timeout', ...REF, sequence: 65535 },
  {
    type: 'error',
    ...REF,
    advisory: false,
    from: '10.0.0.1',
    sequence: 5,
    kind: 'packet-too-big',
    icmpType: 2,
    icmpCode: 0,
    reason: 'Packet too big: mtu=1280',
    mtu: 1280,
  },
  { type: 'error', ...REF, advisory: true, from: '10.0.0.1', sequence: 5, kind: 'redirect', icmpType: 5, icmpCode: 1, reason: 'Redirect Host', mtu: null },
  { type: 'send-error', ...REF, sequence: 6, code: 'ENOBUFS', message: 'No buffer space available', retried: true },
  { type: 'summary', ...REF, summary: SUMMARY },
  {
    type: 'summary',
    target: 'nowhere',
    address: '',
    summary: {
      ...SUMMARY,
      target: 'nowhere',
      address: '',
      family: 0,
      transmitted: 0,
      received: 0,
      loss: 0,
      rtt: null,
      end: 'unresolved',
      error: 'Name or service not known',
    },
  },
];

function line(event: PingEvent): string {
  const text = eventJson(event, TIME);
  assert.ok(text !== null);
  return text;
}

describe('docs/events.schema.json', () => {
  test('takes every kind of line the formatter writes', () => {
    const lines = [startJson({ ...REF, family: 6, size: 56, socket: 'dgram' }, TIME), sweepStartJson(3, TIME), ...EVENTS.map(line)];
    for (const l of lines) assert.equal(eventLineProblem(l), null, l);
  });

  test('refuses a field it does not describe, a missing field, a wrong version, a wrong value and an unknown type', () => {
    const reply = JSON.parse(line(EVENTS[0] as PingEvent)) as Record<string, unknown>;
    const bad = [
      { ...reply, extra: 1 },
      { ...reply, rttMs: undefined },
      { ...reply, schemaVersion: 2 },
      { ...reply, sequence: 65536 },
      { ...reply, ttl: '64' },
      { ...reply, type: 'hop' },
      { ...(JSON.parse(line(EVENTS[9] as PingEvent)) as { summary: object }), summary: { ...SUMMARY, rtt: { ...SUMMARY.rtt, p95: 1 } } },
      { type: 'start', schemaVersion: 1, time: TIME, targets: 3, target: 'x' },
    ];
    for (const value of bad) assert.notEqual(eventLineProblem(JSON.stringify(value)), null, JSON.stringify(value));
  });

  test('every event it defines is one of its oneOf, and it names the same types as docs/json.md', () => {
    const events = Object.entries(SCHEMA.$defs).filter(([, def]) => def.allOf !== undefined);
    assert.deepEqual(SCHEMA.oneOf.map((r) => r.$ref).sort(), events.map(([name]) => `#/$defs/${name}`).sort());
    const types = new Set(events.flatMap(([, def]) => def.properties?.type?.enum ?? [def.properties?.type?.const ?? '']));
    const listed = /\| `type` \| string \| (.*) \|/.exec(DOC)?.[1] ?? '';
    assert.deepEqual([...types].sort(), [...listed.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]).sort());
  });
});
