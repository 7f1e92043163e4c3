// The NDJSON of `rawping trace --json` against its documentation (docs/trace-json.md): every
// field a line carries is documented under its type, and every documented field is there; and
// against its shipped schema (docs/trace-events.schema.json), which takes every line and
// refuses broken ones.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { TRACE_JSON_SCHEMA_VERSION, traceEventJson, traceStartJson } from '../../../src/cli/trace/trace-json.js';
import { traceEvents } from '../../../src/api/trace-events.js';
import type { TraceEvent } from '../../../src/index.js';
import { socketSetOn } from '../../../src/runtime/socket-set.js';
import { drive } from '../../helpers/drive.js';
import { eventLineProblem, TRACE_EVENT_SCHEMA_PATH } from '../../helpers/event-schema.js';
import { FakePath } from '../../helpers/fake-path.js';
import { VirtualClock } from '../../helpers/virtual-clock.js';

const DOC = readFileSync(new URL('../../../docs/trace-json.md', import.meta.url), 'utf8');

/** The field names of the table under `heading` (up to the next heading, or the table of a hop). */
function documented(heading: string): Set<string> {
  const from = DOC.indexOf(heading);
  assert.ok(from >= 0, `docs/trace-json.md has a section ${heading}`);
  const rest = DOC.slice(from + heading.length);
  const end = rest.search(/\n#{2} |\nA hop:\n/);
  const section = end < 0 ? rest : rest.slice(0, end);
  const names = new Set<string>();
  for (const line of section.split('\n')) {
    const cell = /^\| ([^|]+) \|/.exec(line)?.[1] ?? '';
    for (const m of cell.matchAll(/`([A-Za-z]+)`/g)) names.add(m[1] as string);
  }
  return names;
}

const COMMON = ['type', 'schemaVersion', 'time'];

async function lines(): Promise<Record<string, unknown>[]> {
  const clock = new VirtualClock();
  const path = new FakePath(clock, {
    family: 4,
    kind: 'raw',
    source: '10.0.1.2',
    destination: '10.0.9.2',
    routers: [{ address: '10.0.1.1' }, { address: '10.0.2.1', error: { type: 3, code: 4, info: 1400 } }],
  });
  const run = traceEvents('10.0.9.2', { rounds: 2, roundInterval: 100, sockets: socketSetOn({ openSocket: path.open, clock }, { mode: 'auto' }, [4]) });
  const events: TraceEvent[] = [];
  await drive(
    { clock },
    (async () => {
      for await (const e of run) events.push(e);
    })(),
  );
  const start = traceStartJson(
    { target: 'x', address: '10.0.9.2', family: 4, socket: 'raw', firstHop: 1, maxHops: 30, rounds: 2, intervalMs: 100, timeoutMs: 1000, size: 56 },
    1,
  );
  return [start, ...events.map((e) => traceEventJson(e, 2))].map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('rawping trace --json, as docs/trace-json.md has it', () => {
  test('every line: type, the schema version, the time', async () => {
    for (const line of await lines()) {
      assert.equal(line.schemaVersion, TRACE_JSON_SCHEMA_VERSION);
      assert.equal(typeof line.time, 'number');
    }
    assert.ok(documented('Every line has').has('schemaVersion'));
  });

  test('start, hop and summary carry exactly their documented fields; so does each hop of the table', async () => {
    const all = await lines();
    const byType = (type: string): Record<string, unknown> => all.find((l) => l.type === type) as Record<string, unknown>;
    for (const [type, heading] of [
      ['start', '## `start`'],
      ['hop', '## `hop`'],
      ['summary', '## `summary`'],
    ] as const) {
      assert.deepEqual(Object.keys(byType(type)).sort(), [...COMMON, ...documented(heading)].sort(), type);
    }
    const summary = byType('summary') as { hops: Record<string, unknown>[] };
    const hopFields = [...documented('A hop:')].sort();
    for (const h of summary.hops) assert.deepEqual(Object.keys(h).sort(), hopFields);
    const withError = summary.hops.find((h) => (h.errors as unknown[]).length > 0) as { errors: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(withError.errors[0] as object).sort(), ['count', 'icmpCode', 'icmpType', 'mark', 'mtu', 'reason']);
    assert.deepEqual(withError.errors[0]?.mark, '!F');
    assert.equal(withError.errors[0]?.mtu, 1400);
    const round = byType('round');
    assert.deepEqual(Object.keys(round).sort(), [...COMMON, 'hops', 'reached', 'round'].sort());
  });

  test('docs/trace-events.schema.json takes every line, refuses broken ones, and names the types docs/trace-json.md lists', async () => {
    const all = await lines();
    for (const line of all) assert.equal(eventLineProblem(JSON.stringify(line), 'trace'), null, JSON.stringify(line));
    const silent = { ...(all.find((l) => l.type === 'hop') as object), status: 'silent', from: null, rttMs: null, reason: null, laterReplied: true };
    assert.equal(eventLineProblem(JSON.stringify(silent), 'trace'), null);
    assert.equal(eventLineProblem(JSON.stringify({ ...(all.find((l) => l.type === 'start') as object), rounds: null }), 'trace'), null);
    const summary = all.find((l) => l.type === 'summary') as { hops: Record<string, unknown>[] };
    const bad = [
      { ...silent, extra: 1 },
      { ...silent, hop: 0 },
      { ...silent, status: 'lost' },
      { ...silent, schemaVersion: 2 },
      { ...silent, laterReplied: undefined },
      { ...summary, end: 'deadline' },
      { ...summary, hops: [{ ...summary.hops[0], p95: 1 }] },
      { ...summary, summary: {} },
      // A ping line is not a trace line.
      { type: 'timeout', schemaVersion: 1, time: 1, target: 'x', address: '10.0.9.2', sequence: 1 },
    ];
    for (const value of bad) assert.notEqual(eventLineProblem(JSON.stringify(value), 'trace'), null, JSON.stringify(value));

    const schema = JSON.parse(readFileSync(TRACE_EVENT_SCHEMA_PATH, 'utf8')) as {
      oneOf: { $ref: string }[];
      $defs: Record<string, { allOf?: unknown[]; properties?: { type?: { const?: string } } }>;
    };
    const events = Object.entries(schema.$defs).filter(([, def]) => def.allOf !== undefined);
    assert.deepEqual(schema.oneOf.map((r) => r.$ref).sort(), events.map(([name]) => `#/$defs/${name}`).sort());
    const listed = /\| `type` \| string \| (.*) \|/.exec(DOC)?.[1] ?? '';
    assert.deepEqual(events.map(([, def]) => def.properties?.type?.const).sort(), [...listed.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]).sort());
  });
});
