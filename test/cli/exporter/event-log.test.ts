// The exporter's log lines: logfmt and JSON, one line per event, untrusted text escaped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventLog, jsonLine, logfmtLine } from '../../../src/cli/exporter/event-log.js';

const TS = '2024-01-02T03:04:05.678Z';

test('logfmt: bare values where they can be, quoted otherwise, escapes visible', () => {
  assert.equal(logfmtLine(TS, 'info', 'listening', { address: '127.0.0.1:9374' }), `ts=${TS} level=info msg=listening address=127.0.0.1:9374`);
  assert.equal(
    logfmtLine(TS, 'warn', 'lookup failed', { host: 'a b', n: 3, ok: false, none: undefined }),
    `ts=${TS} level=warn msg="lookup failed" host="a b" n=3 ok=false`,
  );
  assert.equal(logfmtLine(TS, 'error', 'x', { err: 'say "hi"\x1b[2J\nnext' }), `ts=${TS} level=error msg=x err="say \\"hi\\"\\x1b[2J\\x0anext"`);
  assert.equal(logfmtLine(TS, 'info', 'x', { empty: '' }), `ts=${TS} level=info msg=x empty=""`);
});

test('JSON: one object per line that parses back to the same values, terminal controls as \\u escapes', () => {
  const line = jsonLine(TS, 'error', 'bad', { err: 'a\u202eb\x9b', n: 1 });
  assert.doesNotMatch(line, /[\u202e\x9b\n]/);
  assert.deepEqual(JSON.parse(line), { ts: TS, level: 'error', msg: 'bad', err: 'a\u202eb\x9b', n: 1 });
  // A field cannot overwrite the record's own keys.
  assert.deepEqual(JSON.parse(jsonLine(TS, 'info', 'm', { level: 'debug', msg: 'x' })), { ts: TS, level: 'info', msg: 'm' });
});

test('EventLog writes one newline-terminated line per event', () => {
  const lines: string[] = [];
  const log = new EventLog(
    'json',
    (l) => lines.push(l),
    () => new Date(TS),
  );
  log.info('a', { k: 'v' });
  log.error('b');
  assert.deepEqual(lines, [`{"ts":"${TS}","level":"info","msg":"a","k":"v"}\n`, `{"ts":"${TS}","level":"error","msg":"b"}\n`]);
});
