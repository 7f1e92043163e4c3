// The NDJSON lines of --json, without a socket: what each line holds, in which order, that a
// hostile string cannot break a line, and that docs/json.md (the schema users read) lists the
// fields the formatter writes and shows lines it would write.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  eventJson,
  intervalJson,
  JSON_SCHEMA_VERSION,
  reachableJson,
  startJson,
  statsJson,
  sweepStartJson,
  type StartFacts,
} from '../../src/cli/format-json.js';
import type { IntervalEvent } from '../../src/api/interval-event.js';
import type { PingEvent, PingSummary } from '../../src/pinger/ping-event.js';

const DOC = readFileSync(new URL('../../docs/json.md', import.meta.url), 'utf8');
const TIME = 1_795_400_000_000;
const REF = { target: 'localhost', address: '127.0.0.1' };

const SUMMARY: PingSummary = {
  target: 'localhost',
  address: '127.0.0.1',
  family: 4,
  transmitted: 3,
  received: 2,
  duplicates: 1,
  corrupted: 0,
  errors: 1,
  late: 0,
  loss: 33.333333333333336,
  rtt: {
    min: 0.041,
    avg: 0.05,
    max: 0.062,
    mdev: 0.008,
    jitter: 0.01,
    p50: 0.045,
    p90: 0.06,
    p99: 0.062,
    iputils: { minUs: 41, avgUs: 50, maxUs: 62, mdevUs: 8, ewmaTimes8Us: 400 },
  },
  elapsedMs: 2001.5,
  sendSpanMs: 2000.25,
  end: 'count',
};

/** One event of every type the schema writes (all but 'sent'), with every field it has. */
const EVENTS: PingEvent[] = [
  { type: 'reply', ...REF, from: '127.0.0.1', sequence: 1, rttMs: 0.041, ttl: 64, bytes: 64, truncated: false },
  { type: 'duplicate', ...REF, from: '127.0.0.1', sequence: 1, rttMs: 0.062, ttl: 64, bytes: 64, truncated: false },
  { type: 'corrupted', ...REF, from: '127.0.0.1', sequence: 2, rttMs: 0.05, ttl: -1, bytes: 64 },
  { type: 'late', ...REF, from: '127.0.0.1', sequence: 3, rttMs: null },
  { type: 'timeout', ...REF, sequence: 4 },
  {
    type: 'error',
    ...REF,
    advisory: false,
    from: '10.0.0.1',
    sequence: 5,
    kind: 'destination-unreachable',
    icmpType: 3,
    icmpCode: 4,
    reason: 'Frag needed and DF set (mtu = 1400)',
    mtu: 1400,
  },
  { type: 'send-error', ...REF, sequence: 6, code: 'EPERM', message: 'sendmsg: Operation not permitted (blocked locally)', retried: false },
  { type: 'drops', family: 4, dropped: 12, total: 30 },
  { type: 'summary', ...REF, summary: SUMMARY },
];

/** The backticked names in a piece of docs/json.md prose, leaving out what is in parentheses (values, remarks). */
function names(text: string): string[] {
  let bare = text;
  for (let before = ''; before !== bare;) {
    before = bare;
    bare = bare.replace(/\([^()]*\)/g, '');
  }
  return [...bare.matchAll(/`([A-Za-z0-9-]+)`/g)].map((m) => m[1] as string);
}

/** The part of docs/json.md from `from` up to (not including) `to`. */
function section(from: string, to: string): string {
  const start = DOC.indexOf(from);
  const end = DOC.indexOf(to, start);
  assert.ok(start >= 0 && end > start, `docs/json.md has "${from}" followed by "${to}"`);
  return DOC.slice(start, end);
}

/** Fields per line type, as docs/json.md documents them (the lines' common fields left out). */
function documentedFields(): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  const start = section('`start` (first line):', 'Per-probe lines');
  fields.set(
    'start',
    [...start.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1] as string),
  );
  const perProbe = section('Per-probe lines all carry', '`summary` (last line)');
  const common = names(perProbe.split('\n')[0] as string);
  for (const bullet of perProbe
    .split(/\n- /)
    .slice(1)
    .map((b) => b.replace(/\n\s+/g, ' '))) {
    const colon = bullet.indexOf(':');
    for (const type of names(bullet.slice(0, colon))) fields.set(type, [...common, ...names(bullet.slice(colon + 1))]);
  }
  const drops = section('`drops` (', '\n\n');
  fields.set('drops', names(drops.slice(drops.indexOf(':') + 1, drops.indexOf('. '))));
  const summary = section('`summary` (last line):', '\n\n');
  const [line, object] = summary.split('an object with') as [string, string];
  const [objectPart, rttPart] = object.split('`rtt`:') as [string, string];
  fields.set('summary', names(line.slice(line.indexOf(':') + 1)));
  fields.set('summary.summary', [...names(objectPart), 'rtt']);
  fields.set('summary.summary.rtt', names(rttPart));
  return fields;
}

/** The fields every line has. */
const COMMON = ['type', 'schemaVersion', 'time'];

function keys(value: unknown): string[] {
  return Object.keys(value as Record<string, unknown>).sort();
}

test('the start line: type, schemaVersion and time first, then the facts in their order', () => {
  const facts: StartFacts = { target: 'localhost', address: '::1', family: 6, size: 56, socket: 'dgram' };
  assert.equal(
    startJson(facts, TIME),
    '{"type":"start","schemaVersion":1,"time":1795400000000,"target":"localhost","address":"::1","family":6,"size":56,"socket":"dgram"}',
  );
  assert.equal(JSON_SCHEMA_VERSION, 1, 'docs/json.md documents schema version 1');
});

test("a sweep's start line: how many targets, no single target's facts", () => {
  assert.equal(sweepStartJson(4096, TIME), '{"type":"start","schemaVersion":1,"time":1795400000000,"targets":4096}');
});

test("'sent' events are left out of the output", () => {
  assert.equal(eventJson({ type: 'sent', ...REF, sequence: 1 }, TIME), null);
});

describe('event lines', () => {
  for (const event of EVENTS) {
    test(`${event.type}: one line, type, schemaVersion and time first, every field as a JSON value`, () => {
      const line = eventJson(event, TIME);
      assert.ok(line !== null);
      assert.ok(!line.includes('\n'), line);
      assert.ok(line.startsWith(`{"type":"${event.type}","schemaVersion":1,"time":${TIME},`), line);
      const { type, ...fields } = event;
      assert.deepEqual(JSON.parse(line), { type, schemaVersion: 1, time: TIME, ...fields });
      assert.equal(line.match(/"type":/g)?.length, 1, 'type is written once');
    });
  }

  test('RTTs stay fractional milliseconds, null stays null, numbers are not quoted', () => {
    assert.match(eventJson(EVENTS[0] as PingEvent, TIME) ?? '', /"sequence":1,"rttMs":0\.041,"ttl":64,"bytes":64,"truncated":false\}$/);
    assert.match(eventJson(EVENTS[3] as PingEvent, TIME) ?? '', /"rttMs":null\}$/);
    assert.match(eventJson(EVENTS[8] as PingEvent, TIME) ?? '', /"loss":33\.333333333333336,/);
  });
});

describe('docs/json.md', () => {
  const documented = documentedFields();

  test('lists exactly the fields written on the start line and on each per-probe line', () => {
    const start = keys(JSON.parse(startJson({ target: 't', address: 'a', family: 4, size: 56, socket: 'raw' }, TIME))).filter((k) => !COMMON.includes(k));
    assert.deepEqual([...(documented.get('start') ?? [])].sort(), start, 'the fields of the start line');
    for (const event of EVENTS.filter((e) => e.type !== 'summary')) {
      const written = keys(JSON.parse(eventJson(event, TIME) as string)).filter((k) => !COMMON.includes(k));
      assert.deepEqual([...(documented.get(event.type) ?? [])].sort(), written, `the fields of a ${event.type} line`);
    }
  });

  test('lists the fields of the summary line and of its summary object; every documented rtt figure is written', () => {
    const written = JSON.parse(eventJson(EVENTS[8] as PingEvent, TIME) as string) as { summary: { rtt: unknown } };
    assert.deepEqual(
      [...(documented.get('summary') ?? [])].sort(),
      keys(written).filter((k) => !COMMON.includes(k)),
    );
    assert.deepEqual([...(documented.get('summary.summary') ?? [])].sort(), keys(written.summary));
    for (const field of documented.get('summary.summary.rtt') ?? []) assert.ok(keys(written.summary.rtt).includes(field), `summary.rtt.${field}`);
    assert.ok((documented.get('summary.summary.rtt') ?? []).length >= 8, 'min, avg, max, mdev, jitter and percentiles');
  });

  test('summary.rtt carries only the documented figures', () => {
    const written = JSON.parse(eventJson(EVENTS[8] as PingEvent, TIME) as string) as { summary: { rtt: unknown } };
    assert.deepEqual(keys(written.summary.rtt), [...(documented.get('summary.summary.rtt') ?? [])].sort());
  });

  test('its example lines are what the formatter writes for the facts in them', () => {
    const example = DOC.slice(DOC.indexOf('## Example'))
      .split('\n')
      .filter((l) => l.startsWith('{'));
    assert.equal(example.length, 3);
    for (const line of example) {
      const { type, schemaVersion, time, ...fields } = JSON.parse(line) as { type: string; schemaVersion: number; time: number } & Record<string, unknown>;
      assert.equal(schemaVersion, JSON_SCHEMA_VERSION);
      const written = type === 'start' ? startJson(fields as unknown as StartFacts, time) : eventJson({ type, ...fields } as unknown as PingEvent, time);
      assert.equal(written, line);
    }
  });
});

describe('hostile strings (docs/hostile-inputs.md #26)', () => {
  const HOSTILE = 'evil\n{"type":"reply"}\r\x1b]0;pwned\x07\x1b[2J\x00"\\';

  test('newlines, quotes, backslashes and C0 controls are escaped: the line stays one line and parses back to the same text', () => {
    const line = eventJson({ type: 'timeout', target: HOSTILE, address: '127.0.0.1', sequence: 1 }, TIME) as string;
    assert.doesNotMatch(line, /[\x00-\x1f]/);
    assert.equal((JSON.parse(line) as { target: string }).target, HOSTILE);
    const start = startJson({ target: HOSTILE, address: '127.0.0.1', family: 4, size: 56, socket: 'raw' }, TIME);
    assert.doesNotMatch(start, /[\x00-\x1f]/);
    assert.equal((JSON.parse(start) as { target: string }).target, HOSTILE);
  });

  test('DEL and the C1 controls (the 8-bit CSI 0x9b among them) are escaped too, as the text output escapes them', () => {
    const line = eventJson({ type: 'timeout', target: 'a\x7fb\x9b2Jc\x85', address: '127.0.0.1', sequence: 1 }, TIME) as string;
    assert.doesNotMatch(line, /[\x7f-\x9f]/);
  });
});

describe('many targets in docs/json.md', () => {
  const many = section('## Many targets', '## Example\n');

  test('the sweep example lines are what the formatter writes: start, per-target lines with index, stats, interval', () => {
    const example = many.split('\n').filter((l) => l.startsWith('{'));
    assert.ok(example.length >= 5);
    for (const line of example) {
      const { type, schemaVersion, time, index, ...fields } = JSON.parse(line) as {
        type: string;
        schemaVersion: number;
        time: number;
        index?: number;
      } & Record<string, unknown>;
      assert.equal(schemaVersion, JSON_SCHEMA_VERSION);
      let written: string | null;
      if (type === 'start') written = sweepStartJson(fields.targets as number | null, time);
      else if (type === 'interval') {
        const { schemaVersion: _v, time: _t, ...event } = JSON.parse(line) as Record<string, unknown>;
        written = intervalJson(event as unknown as IntervalEvent, time);
      } else if (type === 'stats') written = statsJson(fields, time);
      else written = eventJson({ type, ...fields } as unknown as PingEvent, time, index);
      assert.equal(written, line);
    }
  });

  test('the interval table lists exactly the fields of an interval line', () => {
    const table = many.slice(many.indexOf('- `interval`'), many.indexOf('- `stats`'));
    const documented = [...table.matchAll(/^ {2}\| (`[^|]+`) \|/gm)].flatMap((m) => names(m[1] as string)).sort();
    const event: IntervalEvent = {
      type: 'interval',
      target: 't',
      address: 'a',
      index: 0,
      report: 1,
      cumulative: false,
      transmitted: 1,
      received: 1,
      loss: 0,
      rtt: null,
      outageMs: 0,
    };
    assert.deepEqual(
      documented,
      keys(JSON.parse(intervalJson(event, TIME))).filter((k) => !COMMON.includes(k)),
    );
  });

  test('a file sweep starts with targets null; the reachable line says whether enough answered', () => {
    assert.equal(sweepStartJson(null, TIME), '{"type":"start","schemaVersion":1,"time":1795400000000,"targets":null}');
    assert.deepEqual(JSON.parse(reachableJson(2, 1, TIME)), { type: 'reachable', schemaVersion: 1, time: TIME, required: 2, reachable: 1, enough: false });
    assert.match(many, /`required`, `reachable`.*and `enough`/s);
  });
});
