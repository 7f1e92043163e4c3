// Many targets at once (fping's job): loopback sweeps, a namespace with live, blackholed and
// unreachable targets, --file and stdin, duplicate and bad targets, the -g cap, and the sizes
// that used to overflow the stack (a /15, a --file of 200k lines). fping's own output formats
// are in cli-many-fping.test.ts, --file's limits in cli-many-file.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { NetnsLab, sh, type Addresses, type TestHost } from '../helpers/netns.js';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';
import { cliSkipReason, netnsSkipReason, socketSkipReason } from '../helpers/skip-reasons.js';

const skipLoopback = cliSkipReason() ?? socketSkipReason();
const skipNetns = cliSkipReason() ?? netnsSkipReason();

function nonEmpty(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0);
}

describe('many targets on loopback', { skip: skipLoopback ?? false }, () => {
  test('a /22 sweep lists every address as alive, in full, exit 0', async () => {
    const r = await runCli(['-q', '-c', '1', '--rate', '0', '--alive', '-g', '127.0.0.0/22'], { timeoutMs: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    const alive = nonEmpty(r.stdout);
    assert.equal(alive.length, 1022, 'a /22 has 1022 host addresses');
    assert.equal(new Set(alive).size, 1022);
    assert.ok(alive.includes('127.0.0.1') && alive.includes('127.0.3.254') && !alive.includes('127.0.0.0') && !alive.includes('127.0.3.255'));
    assert.equal(r.stderr, '');
  });

  test('without -c: a line per target, in the order given, and nothing else', async () => {
    const r = await runCli(['127.0.0.3', '::1', '127.0.0.2'], { timeoutMs: 10_000 });
    assert.equal(r.status, 0);
    assert.deepEqual(nonEmpty(r.stdout), ['127.0.0.3 is alive', '::1 is alive', '127.0.0.2 is alive']);
    assert.equal(r.stderr, '');
    const q = await runCli(['-q', '127.0.0.3', '::1'], { timeoutMs: 10_000 });
    assert.equal(q.status, 0);
    assert.equal(q.stdout + q.stderr, '', '-q: only the exit status');
  });

  test('-c: a line per probe, then per target its statistics on stderr in the order given; -q: the statistics only', async () => {
    const r = await runCli(['-c', '2', '-i', '0.05', '127.0.0.3', '::1', '127.0.0.2'], { timeoutMs: 10_000 });
    assert.equal(r.status, 0, r.stderr);
    const probes = nonEmpty(r.stdout);
    assert.equal(probes.length, 6);
    // Names padded to the longest, as fping pads them.
    for (const line of probes) assert.match(line, /^(127\.0\.0\.[23]|::1 {6}) : \[[01]\], 64 bytes, \d+\.\d+ ms \(\d+\.\d+ avg, 0% loss\)$/);
    assert.deepEqual(
      nonEmpty(r.stderr).map((l) => l.replace(/, min\/avg\/max = .*/, '')),
      ['127.0.0.3 : xmt/rcv/%loss = 2/2/0%', '::1       : xmt/rcv/%loss = 2/2/0%', '127.0.0.2 : xmt/rcv/%loss = 2/2/0%'],
    );
    const q = await runCli(['-q', '-c', '1', '127.0.0.1', '127.0.0.2'], { timeoutMs: 10_000 });
    assert.equal(q.stdout, '');
    assert.equal(nonEmpty(q.stderr).length, 2);
  });

  test('--json: one JSON object per line, each target line with its index', async () => {
    const j = await runCli(['--json', '-c', '1', '127.0.0.1', '127.0.0.2', '127.0.0.1'], { timeoutMs: 10_000 });
    assert.equal(j.status, 0, j.stderr);
    const events = nonEmpty(j.stdout).map((l) => JSON.parse(l) as { type: string; target?: string; index?: number; schemaVersion: number; targets?: number });
    assert.deepEqual(events[0], { ...events[0], type: 'start', targets: 3 });
    assert.ok(events.every((e) => e.schemaVersion === 1));
    assert.deepEqual(
      events.filter((e) => e.type === 'summary').map((e) => [e.index, e.target]),
      [
        [0, '127.0.0.1'],
        [1, '127.0.0.2'],
        [2, '127.0.0.1'],
      ],
      'in the order given',
    );
    const replies = events.filter((e) => e.type === 'reply');
    assert.deepEqual(replies.map((e) => e.index).sort(), [0, 1, 2], 'each target its own reply');
  });

  test('a target given twice, or two names of one address, is pinged twice; a name that does not resolve is reported, the rest pinged, exit 2', async () => {
    const r = await runCli(['127.0.0.1', '127.0.0.1', 'localhost;id', 'localhost', '127.0.0.2'], { timeoutMs: 10_000 });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'rawping: localhost;id: Name or service not known\n');
    assert.deepEqual(nonEmpty(r.stdout), ['127.0.0.1 is alive', '127.0.0.1 is alive', 'localhost is alive', '127.0.0.2 is alive']);
    const c = await runCli(['-q', '-c', '3', '-i', '0.02', '127.0.0.1', 'localhost', '127.0.0.1'], { timeoutMs: 10_000 });
    assert.equal(c.status, 0, c.stderr);
    assert.deepEqual(
      nonEmpty(c.stderr).map((l) => l.replace(/, min\/avg\/max = .*/, '')),
      ['127.0.0.1 : xmt/rcv/%loss = 3/3/0%', 'localhost : xmt/rcv/%loss = 3/3/0%', '127.0.0.1 : xmt/rcv/%loss = 3/3/0%'],
      "three probes each, each answered once: none took another's reply",
    );
  });

  test('--file reads the first word of each line (comments and blanks skipped), in order; - reads stdin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rawping-many-'));
    try {
      const file = join(dir, 'targets.txt');
      writeFileSync(file, '# loopback\n127.0.0.3 # the third\n\n  127.0.0.2  first word only\n::1\r\n\t# indented comment\n127.0.0.4#no space');
      const r = await runCli(['--alive', '-c', '1', '--file', file], { timeoutMs: 10_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(nonEmpty(r.stdout), ['127.0.0.3', '127.0.0.2', '::1', '127.0.0.4']);
      const stdin = spawnSync(process.execPath, [CLI_PATH, '--alive', '-c', '1', '--file', '-'], {
        input: '127.0.0.4\n127.0.0.5\n',
        encoding: 'utf8',
        timeout: 10_000,
      });
      assert.equal(stdin.status, 0, stdin.stderr);
      assert.deepEqual(nonEmpty(stdin.stdout), ['127.0.0.4', '127.0.0.5']);
      const missing = await runCli(['--alive', '--file', join(dir, 'nope.txt')], { timeoutMs: 10_000 });
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /^rawping: --file .*nope\.txt: No such file or directory$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('-g past its cap, and malformed ranges, are usage errors naming the cap', async () => {
    const big = await runCli(['--alive', '-g', '127.0.0.0/8'], { timeoutMs: 10_000 });
    assert.equal(big.status, 2);
    assert.match(big.stderr, /^rawping: -g 127\.0\.0\.0\/8: 16777214 addresses is more than the limit of 131072$/m);
    const range = await runCli(['--alive', '-g', '127.0.0.9', '127.0.0.1'], { timeoutMs: 10_000 });
    assert.equal(range.status, 2);
    assert.match(range.stderr, /end comes before the start/);
    const bad = await runCli(['--alive', '-g', 'not-a-prefix'], { timeoutMs: 10_000 });
    assert.equal(bad.status, 2);
    const ok6 = await runCli(['-q', '--alive', '-c', '1', '-g', '::1/128'], { timeoutMs: 10_000 });
    assert.deepEqual(nonEmpty(ok6.stdout), ['::1']);
  });

  test('a /15, at the -g limit, completes: 131070 targets listed, in order (it used to overflow the stack)', async () => {
    const r = await runCli(['-q', '-c', '1', '--rate', '0', '--alive', '-g', '127.0.0.0/15'], { timeoutMs: 60_000 });
    assert.equal(r.status, 0, r.stderr.slice(0, 500));
    const alive = nonEmpty(r.stdout);
    assert.equal(alive.length, 131070);
    assert.deepEqual([alive[0], alive[255], alive[131069]], ['127.0.0.1', '127.0.1.0', '127.1.255.254'], 'in address order');
  });

  test('a --file of 200000 lines completes, every line a target, in order (it used to overflow the stack past 125k)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rawping-many-'));
    try {
      const file = join(dir, 'many.txt');
      const lines: string[] = [];
      for (let i = 1; i <= 200_000; i++) lines.push(`127.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      const r = await runCli(['-q', '-c', '1', '--rate', '0', '--alive', '--file', file], { timeoutMs: 90_000 });
      assert.equal(r.status, 0, r.stderr.slice(0, 500));
      const alive = nonEmpty(r.stdout);
      assert.equal(alive.length, 200_000);
      assert.deepEqual([alive[0], alive[199_999]], [lines[0], lines[199_999]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('many targets in namespaces', { skip: skipNetns ?? false }, () => {
  let lab: NetnsLab;
  let live: TestHost;
  let silent: TestHost;
  let hole: Addresses;
  before(() => {
    lab = NetnsLab.create();
    live = lab.addHost();
    silent = lab.addHost({ echo: false });
    hole = lab.addBlackhole();
  });
  after(() => lab?.destroy());

  test('--alive lists only the live host; --unreachable the others; exit 1 when some did not answer', async () => {
    const targets = [live.ip4, silent.ip4, hole.ip4, live.ip6];
    const alive = await runCli(['--alive', '-c', '1', '-W', '0.5', ...targets], { netns: lab.client, timeoutMs: 10_000 });
    assert.equal(alive.status, 1);
    assert.deepEqual(nonEmpty(alive.stdout).sort(), [live.ip4, live.ip6].sort());
    const unreachable = await runCli(['--unreachable', '-c', '1', '-W', '0.5', ...targets], { netns: lab.client, timeoutMs: 10_000 });
    assert.equal(unreachable.status, 1);
    assert.deepEqual(nonEmpty(unreachable.stdout).sort(), [silent.ip4, hole.ip4].sort());
    const all = await runCli(['--alive', '-c', '1', live.ip4, live.ip6], { netns: lab.client, timeoutMs: 10_000 });
    assert.equal(all.status, 0);
  });

  test("a sweep whose batches go from the thread, sends failing among them: each failure is its target's error, every other target answers", async () => {
    // An `unreachable` route in the client itself: sendto fails at once (EHOSTUNREACH), and
    // nothing leaves. Alternating with loopback addresses, every batch of 64 fails part way.
    sh('ip', ['-n', lab.client, 'route', 'add', 'unreachable', '10.249.7.0/24']);
    const targets = Array.from({ length: 100 }, (_, i) => [`127.0.1.${i + 1}`, `10.249.7.${i + 1}`]).flat();
    const r = await runCli(['--json', '-c', '1', '--rate', '0', '-W', '0.5', ...targets], { netns: lab.client, timeoutMs: 20_000 });
    assert.equal(r.status, 1);
    const summaries = nonEmpty(r.stdout)
      .map((l) => JSON.parse(l) as { type: string; summary?: { target: string; transmitted: number; received: number; errors: number } })
      .filter((e) => e.type === 'summary')
      .map((e) => e.summary);
    assert.deepEqual(
      summaries.map((s) => s?.target),
      targets,
      'one summary per target, in input order',
    );
    for (const s of summaries) {
      const live = s?.target.startsWith('127.') === true;
      assert.deepEqual([s?.transmitted, s?.received, s?.errors], live ? [1, 1, 0] : [1, 0, 1], s?.target);
    }
  });

  test('without -c, a silent target gets its retries, each wait 1.5 times longer, before it counts as unreachable', async () => {
    const r = await runCli(['--json', '--retries', '2', '-W', '0.2', silent.ip4, live.ip4], { netns: lab.client, timeoutMs: 10_000 });
    assert.equal(r.status, 1);
    const summaries = nonEmpty(r.stdout)
      .map((l) => JSON.parse(l) as { type: string; summary?: { target: string; transmitted: number; received: number } })
      .filter((e) => e.type === 'summary')
      .map((e) => e.summary);
    assert.deepEqual(
      summaries.map((s) => [s?.target, s?.transmitted, s?.received]),
      [
        [silent.ip4, 3, 0],
        [live.ip4, 1, 1],
      ],
      'three probes to the silent one (one and two retries); a reply ends the live one at once',
    );
    // 200 + 300 ms of waiting between the probes, then 450 ms for the last one.
    assert.ok(r.durationMs >= 900 && r.durationMs < 5000, `${r.durationMs} ms`);
  });
});
