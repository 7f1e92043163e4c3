// Many targets at once (fping's job): loopback sweeps, a namespace with live, blackholed and
// unreachable targets, --file and stdin, duplicate and bad targets, the -g cap.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { NetnsLab, type Addresses, type TestHost } from '../helpers/netns.js';
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

  test('the default output: a line per target as it finishes, then the table in the order given', async () => {
    const r = await runCli(['-c', '2', '-i', '0.05', '127.0.0.3', '::1', '127.0.0.2'], { timeoutMs: 10_000 });
    assert.equal(r.status, 0);
    const lines = nonEmpty(r.stdout);
    assert.deepEqual(lines.slice(0, 3).sort(), ['127.0.0.2 is alive', '127.0.0.3 is alive', '::1 is alive']);
    assert.match(lines[3] ?? '', /^target\s+sent\s+recv\s+loss\s+min\s+avg\s+max\s+mdev$/);
    assert.deepEqual(
      lines.slice(4).map((l) => l.split(/\s+/).slice(0, 4)),
      [
        ['127.0.0.3', '2', '2', '0%'],
        ['::1', '2', '2', '0%'],
        ['127.0.0.2', '2', '2', '0%'],
      ],
    );
  });

  test('-q prints only the table; --json prints one JSON object per line with the target', async () => {
    const q = await runCli(['-q', '-c', '1', '127.0.0.1', '127.0.0.2'], { timeoutMs: 10_000 });
    assert.equal(nonEmpty(q.stdout).length, 3);
    assert.match(q.stdout, /^target /);
    const j = await runCli(['--json', '-c', '1', '127.0.0.1', '127.0.0.2'], { timeoutMs: 10_000 });
    const events = nonEmpty(j.stdout).map((l) => JSON.parse(l) as { type: string; target?: string; schemaVersion: number });
    assert.equal(events[0]?.type, 'start');
    assert.ok(events.every((e) => e.schemaVersion === 1));
    assert.deepEqual(
      events
        .filter((e) => e.type === 'summary')
        .map((e) => e.target)
        .sort(),
      ['127.0.0.1', '127.0.0.2'],
    );
    assert.ok(events.filter((e) => e.type === 'reply').every((e) => typeof e.target === 'string'));
  });

  test('duplicate targets are pinged once; a name that does not resolve is reported, the rest pinged, exit 2', async () => {
    const r = await runCli(['-c', '1', '127.0.0.1', '127.0.0.1', 'localhost;id', '127.0.0.2'], { timeoutMs: 10_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^rawping: localhost;id: Name or service not known$/m);
    assert.deepEqual(
      nonEmpty(r.stdout)
        .filter((l) => l.endsWith('is alive'))
        .sort(),
      ['127.0.0.1 is alive', '127.0.0.2 is alive'],
    );
  });

  test('--file reads one target per line (comments and blanks skipped); - reads stdin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rawping-many-'));
    try {
      const file = join(dir, 'targets.txt');
      writeFileSync(file, '# loopback\n127.0.0.1\n\n  127.0.0.2  \n::1\n');
      const r = await runCli(['--alive', '-c', '1', '--file', file], { timeoutMs: 10_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(nonEmpty(r.stdout).sort(), ['127.0.0.1', '127.0.0.2', '::1']);
      const stdin = spawnSync(process.execPath, [CLI_PATH, '--alive', '-c', '1', '--file', '-'], {
        input: '127.0.0.4\n127.0.0.5\n',
        encoding: 'utf8',
        timeout: 10_000,
      });
      assert.equal(stdin.status, 0, stdin.stderr);
      assert.deepEqual(nonEmpty(stdin.stdout).sort(), ['127.0.0.4', '127.0.0.5']);
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

  test('without -c, a silent target gets its retries, each wait 1.5 times longer, before it counts as unreachable', async () => {
    const r = await runCli(['-q', '--retries', '2', '-W', '0.2', silent.ip4, live.ip4], { netns: lab.client, timeoutMs: 10_000 });
    assert.equal(r.status, 1);
    const row = nonEmpty(r.stdout).find((l) => l.startsWith(silent.ip4));
    assert.deepEqual(row?.split(/\s+/).slice(1, 4), ['3', '0', '100%'], 'three probes: one and two retries');
    const liveRow = nonEmpty(r.stdout).find((l) => l.startsWith(live.ip4));
    assert.deepEqual(liveRow?.split(/\s+/).slice(1, 3), ['1', '1'], 'a reply ends the target at once');
    // 200 + 300 ms of waiting between the probes, then 450 ms for the last one.
    assert.ok(r.durationMs >= 900 && r.durationMs < 5000, `${r.durationMs} ms`);
  });
});
