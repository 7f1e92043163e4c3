// docs/events.schema.json, the machine-readable schema of the --json lines that ships with the
// package: it compiles under a strict validator, it takes every kind of line the formatter
// writes and refuses lines that break it, every event it defines is reachable from its oneOf,
// and it names the same event types as docs/json.md. (Every --json run of the suite is also
// checked against it, in test/helpers/run-cli.ts.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { eventJson, intervalJson, reachableJson, startJson, statsJson, sweepStartJson } from '../../src/cli/format-json.js';
import type { IntervalEvent } from '../../src/api/interval-event.js';
import type { RunTotals } from '../../src/cli/sweep/fping-text.js';
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
  {
    type: 'reply',
    ...REF,
    from: '127.0.0.1',
    sequence: 2,
    rttMs: 0.05,
    ttl: 64,
    bytes: 64,
    truncated: false,
    ipOptions: [
      { kind: 'nop' },
      { kind: 'record-route', addresses: ['127.0.0.1', '127.0.0.1'] },
      { kind: 'source-route', strict: false, addresses: [] },
      {
        kind: 'timestamp',
        flag: 1,
        overflow: 2,
        entries: [
          { address: '127.0.0.1', time: 36_000_000, nonStandard: false },
          { address: '10.0.0.1', time: null, nonStandard: false },
        ],
      },
      { kind: 'timestamp', flag: 0, overflow: 0, entries: [{ address: null, time: 0x7fffffff, nonStandard: true }] },
      { kind: 'unknown', type: 148 },
    ],
  },
  { type: 'reply', ...REF, from: '127.0.0.1', sequence: 3, rttMs: 0.05, ttl: 64, bytes: 64, truncated: false, ipOptions: [] },
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
  { type: 'drops', family: 6, dropped: 3, total: 12 },
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

const INTERVALS: IntervalEvent[] = [
  { type: 'interval', ...REF, index: 3, report: 1, cumulative: false, transmitted: 2, received: 0, loss: 100, rtt: null, outageMs: 2000 },
  {
    type: 'interval',
    ...REF,
    index: 0,
    report: 7,
    cumulative: true,
    transmitted: 4,
    received: 4,
    loss: 0,
    rtt: { min: 0.04, avg: 0.05, max: 0.06 },
    outageMs: 0,
  },
];
const TOTALS: RunTotals = {
  targets: 3,
  alive: 1,
  unreachable: 1,
  unknown: 1,
  timeouts: 2,
  sent: 4,
  received: 2,
  otherIcmp: 0,
  rtt: { min: 0.04, avg: 0.05, max: 0.06 },
  elapsedMs: 1900.5,
};

function line(event: PingEvent, index?: number): string {
  const text = eventJson(event, TIME, index);
  assert.ok(text !== null);
  return text;
}

/** The lines of a sweep: as the sweep printer writes them, every one but 'drops' with the target's index (the summary's also inside it). */
function sweepLines(): string[] {
  return EVENTS.map((e, i) =>
    e.type === 'drops' ? line(e) : e.type === 'summary' ? line({ ...e, summary: { ...e.summary, index: i } } as PingEvent, i) : line(e, i),
  );
}

describe('docs/events.schema.json', () => {
  test('takes every kind of line the formatter writes', () => {
    const lines = [startJson({ ...REF, family: 6, size: 56, socket: 'dgram' }, TIME), ...EVENTS.map((e) => line(e))];
    for (const l of lines) assert.equal(eventLineProblem(l), null, l);
  });

  test('takes every kind of line a sweep writes: index on the lines of a target, interval, stats, reachable, a start of --file', () => {
    const lines = [
      sweepStartJson(3, TIME),
      sweepStartJson(null, TIME),
      ...sweepLines(),
      ...INTERVALS.map((e) => intervalJson(e, TIME)),
      statsJson(TOTALS, TIME),
      statsJson({ ...TOTALS, alive: 0, unreachable: 3, rtt: null }, TIME),
      reachableJson(2, 1, TIME),
      reachableJson(1, 3, TIME),
    ];
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
      {
        ...(JSON.parse(line(EVENTS.find((e) => e.type === 'summary') as PingEvent)) as { summary: object }),
        summary: { ...SUMMARY, rtt: { ...SUMMARY.rtt, p95: 1 } },
      },
      { type: 'start', schemaVersion: 1, time: TIME, targets: 3, target: 'x' },
      { type: 'start', schemaVersion: 1, time: TIME, targets: '3' },
      { ...reply, index: -1 },
      { ...reply, ipOptions: [{ kind: 'record-route' }] },
      { ...reply, ipOptions: [{ kind: 'timestamp', flag: 1, overflow: 0, entries: [{ address: null, time: 1 }] }] },
      { ...reply, ipOptions: [{ kind: 'lsrr', addresses: [] }] },
      { ...(JSON.parse(line({ type: 'drops', family: 4, dropped: 1, total: 1 })) as object), index: 0 },
      { ...(JSON.parse(line({ type: 'drops', family: 4, dropped: 1, total: 1 })) as object), family: 0 },
      { ...(JSON.parse(intervalJson(INTERVALS[0] as IntervalEvent, TIME)) as object), index: undefined },
      { ...(JSON.parse(intervalJson(INTERVALS[1] as IntervalEvent, TIME)) as object), rtt: { min: 1, avg: 1, max: 1, mdev: 0 } },
      { ...(JSON.parse(statsJson(TOTALS, TIME)) as object), otherIcmp: undefined },
      { ...(JSON.parse(reachableJson(2, 1, TIME)) as object), enough: 'no' },
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
