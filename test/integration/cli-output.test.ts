// The CLI's whole output on loopback, line by line with regexes, as iputils' own tests check
// ping: header, reply lines with iputils' time rounding, the blank line, the statistics
// block, exit status. Also -q, -s/-t, -s below 16 (no times), -p, -D, -w, --json, -V, -h.
// Only 127.0.0.1 and ::1 are pinged here; `localhost` is resolved and pinged inside a
// namespace that has nothing but loopback, so its lookup cannot leave the machine.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { NetnsLab } from '../helpers/netns.js';
import { outputLines, parseRttLine, re, REPLY_TIME, runCli, startCli } from '../helpers/run-cli.js';
import { icmpSkipReason, netnsSkipReason, netRawSkipReason } from '../helpers/skip-reasons.js';

const skip = await icmpSkipReason();

/** What one run's stdout must be. */
interface Expected {
  /** Lines before the replies: the PING line (and PATTERN before it). */
  head: string[];
  /** One regex per reply line, in order. */
  replies: RegExp[];
  /** Host as shown in `--- host ping statistics ---`. */
  host: string;
  /** The counts line. */
  counts: RegExp;
  /** An rtt line (true) or an empty line (false, as ping prints with payloads under 16 bytes). */
  rtt: boolean;
}

/** Asserts the whole stdout, line by line; returns the counts line's `time` (ms) and the rtt figures. */
function assertOutput(stdout: string, e: Expected): { timeMs: number; rtt: ReturnType<typeof parseRttLine> | null } {
  const lines = outputLines(stdout);
  const expectedLength = e.head.length + e.replies.length + 4;
  assert.equal(lines.length, expectedLength, `expected ${expectedLength} lines:\n${stdout}`);
  let i = 0;
  for (const h of e.head) assert.equal(lines[i++], h, stdout);
  for (const r of e.replies) assert.match(lines[i++] ?? '', r, stdout);
  assert.equal(lines[i++], '', stdout);
  assert.equal(lines[i++], `--- ${e.host} ping statistics ---`, stdout);
  const counts = lines[i++] ?? '';
  assert.match(counts, e.counts, stdout);
  const time = /, time (\d+)ms$/.exec(counts);
  assert.ok(time !== null, `no time in ${counts}`);
  const last = lines[i] ?? '';
  if (!e.rtt) {
    assert.equal(last, '', `the line after the counts is empty without timing:\n${stdout}`);
    return { timeMs: Number(time[1]), rtt: null };
  }
  const rtt = parseRttLine(last);
  assert.ok(rtt.min <= rtt.avg && rtt.avg <= rtt.max, `min <= avg <= max: ${last}`);
  assert.ok(rtt.mdev <= rtt.max - rtt.min + 0.001, `mdev within the spread: ${last}`);
  return { timeMs: Number(time[1]), rtt };
}

function reply(from: string, seq: number, opts: { bytes?: number; ttl?: number; time?: boolean; prefix?: string } = {}): RegExp {
  const time = opts.time === false ? '' : ` time=${REPLY_TIME} ms`;
  return new RegExp(`^${opts.prefix ?? ''}${opts.bytes ?? 64} bytes from ${re(from)}: icmp_seq=${seq} ttl=${opts.ttl ?? 64}${time}$`);
}

const ok3 = /^3 packets transmitted, 3 received, 0% packet loss, time \d+ms$/;
const ok2 = /^2 packets transmitted, 2 received, 0% packet loss, time \d+ms$/;

describe('CLI output on loopback', { skip: skip ?? false, concurrency: 4 }, () => {
  test('-c 3 -i 0.2 127.0.0.1: header, 3 replies, blank line, statistics, rtt; exit 0', async () => {
    const r = await runCli(['-c', '3', '-i', '0.2', '127.0.0.1']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const { timeMs } = assertOutput(r.stdout, {
      head: ['PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.'],
      replies: [1, 2, 3].map((n) => reply('127.0.0.1', n)),
      host: '127.0.0.1',
      counts: ok3,
      rtt: true,
    });
    // ping's "time" runs from the first send to the last: two intervals of 200 ms.
    assert.ok(timeMs >= 390 && timeMs < 2000, `time ${timeMs}ms`);
  });

  test('-c 2 ::1: the IPv6 header `PING ::1 (::1) 56 data bytes`', async () => {
    const r = await runCli(['-c', '2', '-i', '0.2', '::1']);
    assert.equal(r.status, 0, r.stderr);
    assertOutput(r.stdout, {
      head: ['PING ::1 (::1) 56 data bytes'],
      replies: [1, 2].map((n) => reply('::1', n)),
      host: '::1',
      counts: ok2,
      rtt: true,
    });
  });

  test('-l 3: the preload leaves back to back, so the statistics say time 0ms and pipe 3, as ping', async () => {
    const r = await runCli(['-q', '-c', '3', '-l', '3', '127.0.0.1']);
    assert.equal(r.status, 0, r.stderr);
    const lines = outputLines(r.stdout);
    assert.equal(lines.at(-2), '3 packets transmitted, 3 received, 0% packet loss, time 0ms', r.stdout);
    assert.match(lines.at(-1) ?? '', /^rtt min\/avg\/max\/mdev = [0-9./]+ ms, pipe 3$/, r.stdout);
  });

  test('-q: only the header and the statistics', async () => {
    const r = await runCli(['-q', '-c', '3', '-i', '0.2', '127.0.0.1']);
    assert.equal(r.status, 0, r.stderr);
    assertOutput(r.stdout, { head: ['PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.'], replies: [], host: '127.0.0.1', counts: ok3, rtt: true });
  });

  test('-s 1000 -t 7: 1000(1028) in the header, 1008 bytes per reply', async () => {
    const r = await runCli(['-c', '2', '-i', '0.2', '-s', '1000', '-t', '7', '127.0.0.1']);
    assert.equal(r.status, 0, r.stderr);
    assertOutput(r.stdout, {
      head: ['PING 127.0.0.1 (127.0.0.1) 1000(1028) bytes of data.'],
      replies: [1, 2].map((n) => reply('127.0.0.1', n, { bytes: 1008 })),
      host: '127.0.0.1',
      counts: ok2,
      rtt: true,
    });
  });

  test('-s 8: no room for a timestamp, so no time= and an empty line instead of rtt (as iputils)', async () => {
    const r = await runCli(['-c', '2', '-i', '0.2', '-s', '8', '127.0.0.1']);
    assert.equal(r.status, 0, r.stderr);
    assertOutput(r.stdout, {
      head: ['PING 127.0.0.1 (127.0.0.1) 8(36) bytes of data.'],
      replies: [1, 2].map((n) => reply('127.0.0.1', n, { bytes: 16, time: false })),
      host: '127.0.0.1',
      counts: ok2,
      rtt: false,
    });
  });

  test('-p ff: `PATTERN: 0xff` before the header', async () => {
    const r = await runCli(['-c', '2', '-i', '0.2', '-p', 'ff', '127.0.0.1']);
    assert.equal(r.status, 0, r.stderr);
    assertOutput(r.stdout, {
      head: ['PATTERN: 0xff', 'PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.'],
      replies: [1, 2].map((n) => reply('127.0.0.1', n)),
      host: '127.0.0.1',
      counts: ok2,
      rtt: true,
    });
  });

  test('-D: each reply starts with `[seconds.microseconds] `, the wall clock of the run', async () => {
    const before = Date.now() / 1000;
    const r = await runCli(['-c', '2', '-i', '0.2', '-D', '127.0.0.1']);
    const afterRun = Date.now() / 1000;
    assert.equal(r.status, 0, r.stderr);
    const prefix = String.raw`\[(\d{10,}\.\d{6})\] `;
    assertOutput(r.stdout, {
      head: ['PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.'],
      replies: [1, 2].map((n) => reply('127.0.0.1', n, { prefix })),
      host: '127.0.0.1',
      counts: ok2,
      rtt: true,
    });
    const stamps = [...r.stdout.matchAll(/^\[(\d+\.\d{6})\]/gm)].map((m) => Number(m[1]));
    assert.equal(stamps.length, 2);
    for (const s of stamps) assert.ok(s >= before - 1 && s <= afterRun + 1, `timestamp ${s} outside the run [${before}, ${afterRun}]`);
    assert.ok((stamps[1] ?? 0) > (stamps[0] ?? 0), 'timestamps increase');
  });

  test('-w 2 -i 0.5: the deadline ends the run after about 2 s with its statistics; exit 0', async () => {
    const r = await runCli(['-w', '2', '-i', '0.5', '127.0.0.1'], { timeoutMs: 10_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.durationMs >= 1900 && r.durationMs < 3500, `ran ${Math.round(r.durationMs)} ms`);
    const replies = r.stdout.match(/^64 bytes from 127\.0\.0\.1: /gm)?.length ?? 0;
    assert.ok(replies >= 4 && replies <= 5, `${replies} replies in 2 s at 0.5 s:\n${r.stdout}`);
    assertOutput(r.stdout, {
      head: ['PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.'],
      replies: Array.from({ length: replies }, (_, i) => reply('127.0.0.1', i + 1)),
      host: '127.0.0.1',
      counts: new RegExp(`^${replies} packets transmitted, ${replies} received, 0% packet loss, time \\d+ms$`),
      rtt: true,
    });
  });

  test('--json: NDJSON only, schemaVersion 1, start/reply/summary in order, numbers as numbers', async () => {
    const r = await runCli(['--json', '-c', '3', '-i', '0.2', '127.0.0.1']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const events = outputLines(r.stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      events.map((e) => e.type),
      ['start', 'reply', 'reply', 'reply', 'summary'],
    );
    for (const e of events) {
      assert.equal(e.schemaVersion, 1);
      assert.equal(typeof e.time, 'number');
    }
    const [start, ...rest] = events as [Record<string, unknown>, ...Record<string, unknown>[]];
    assert.deepEqual(
      { target: start.target, address: start.address, family: start.family, size: start.size },
      { target: '127.0.0.1', address: '127.0.0.1', family: 4, size: 56 },
    );
    assert.ok(start.socket === 'raw' || start.socket === 'dgram');
    rest.slice(0, 3).forEach((e, i) => {
      assert.equal(e.sequence, i + 1);
      assert.equal(e.from, '127.0.0.1');
      assert.equal(e.bytes, 64);
      assert.equal(e.ttl, 64);
      assert.equal(typeof e.rttMs, 'number');
      assert.ok((e.rttMs as number) > 0 && (e.rttMs as number) < 1000);
    });
    const summary = (rest[3] as { summary: Record<string, unknown> }).summary;
    assert.equal(summary.transmitted, 3);
    assert.equal(summary.received, 3);
    assert.equal(summary.loss, 0);
    const rtt = summary.rtt as Record<string, unknown>;
    for (const k of ['min', 'avg', 'max', 'mdev']) assert.equal(typeof rtt[k], 'number', k);
    assert.ok((rtt.min as number) <= (rtt.avg as number) && (rtt.avg as number) <= (rtt.max as number));
  });

  test('--json | head -2: after the reader goes, the run ends quietly (no trace, no error)', async () => {
    const run = startCli(['--json', '-i', '0.2', '127.0.0.1'], { timeoutMs: 10_000 });
    await run.waitFor(/^.*\n.*\n/);
    // What `head -2` does after its second line: close the pipe's reading end.
    run.child.stdout?.destroy();
    const r = await run.result;
    assert.equal(r.signal, null, 'not killed by SIGPIPE or anything else');
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '', 'nothing on stderr');
    assert.ok(r.durationMs < 5000, `ended ${Math.round(r.durationMs)} ms after start`);
    for (const line of outputLines(run.stdout.slice(0, run.stdout.lastIndexOf('\n') + 1))) JSON.parse(line);
  });

  // With interval 0 the wait after the last probe, max(2 x max RTT, interval), is a fraction
  // of a millisecond on loopback: less than the event loop may take to read a reply already
  // there. rawping waits at least 10 ms; this was a bug (the last reply counted as lost).
  test(
    '-c 3 -i 0 (interval 0, as root): all three replies are counted, as iputils counts them',
    { skip: netRawSkipReason('interval 0: ping refuses it to users') ?? false },
    async () => {
      const r = await runCli(['-q', '-c', '3', '-i', '0', '127.0.0.1']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^3 packets transmitted, 3 received, 0% packet loss, time \d+ms$/m, r.stdout);
    },
  );

  test('-V prints the package version; -h prints the usage; both exit 0 with nothing on stderr', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const v = await runCli(['-V']);
    assert.equal(v.status, 0);
    assert.equal(v.stderr, '');
    assert.match(v.stdout, new RegExp(`^rawping ${re(pkg.version)}\n$`));
    const h = await runCli(['-h']);
    assert.equal(h.status, 0);
    assert.equal(h.stderr, '');
    assert.match(h.stdout, /Usage/);
    for (const flag of ['-c', '-i', '-w', '-W', '-s', '-t', '-Q', '-p', '-q', '-n', '-D', '-O', '-f', '-l', '-I', '-4', '-6', '-v', '-V', '-h', '--json']) {
      assert.match(h.stdout, new RegExp(`(^|\\s)${re(flag)}[,\\s]`), `-h documents ${flag}`);
    }
  });
});

const nsSkip = skip ?? netnsSkipReason();

describe('CLI output for a name (localhost, in a namespace with only loopback)', { skip: nsSkip ?? false }, () => {
  let lab: NetnsLab;
  let isolated: string;
  before(() => {
    lab = NetnsLab.create();
    isolated = lab.addIsolated();
  });
  after(() => lab?.destroy());

  test('-4 localhost: `PING localhost (127.0.0.1)`, replies from `localhost (127.0.0.1)`', async () => {
    const r = await runCli(['-4', '-c', '2', '-i', '0.2', 'localhost'], { netns: isolated });
    assert.equal(r.status, 0, r.stderr);
    assertOutput(r.stdout, {
      head: ['PING localhost (127.0.0.1) 56(84) bytes of data.'],
      replies: [1, 2].map((n) => reply('localhost (127.0.0.1)', n)),
      host: 'localhost',
      counts: ok2,
      rtt: true,
    });
  });

  test('localhost without -4: whichever address the resolver gives first, shown as `localhost (address)`', async () => {
    const r = await runCli(['-c', '2', '-i', '0.2', 'localhost'], { netns: isolated });
    assert.equal(r.status, 0, r.stderr);
    const v6 = r.stdout.startsWith('PING localhost (::1)');
    const address = v6 ? '::1' : '127.0.0.1';
    assertOutput(r.stdout, {
      head: [v6 ? 'PING localhost (::1) 56 data bytes' : 'PING localhost (127.0.0.1) 56(84) bytes of data.'],
      replies: [1, 2].map((n) => reply(`localhost (${address})`, n)),
      host: 'localhost',
      counts: ok2,
      rtt: true,
    });
  });
});
