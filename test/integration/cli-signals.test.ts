// Signals, as ping handles them: SIGINT (Ctrl-C) ends the run with its statistics and the
// normal exit status; SIGQUIT (Ctrl-\) prints one status line on stderr and the run goes on;
// SIGTERM ends the run with its statistics too (iputils 20221126 simply dies on SIGTERM,
// status 143 and no statistics; rawping treats it as SIGINT, by design). On loopback.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { outputLines, parseRttLine, startCli, type CliResult } from '../helpers/run-cli.js';
import { icmpSkipReason } from '../helpers/skip-reasons.js';

const skip = await icmpSkipReason();

/** Asserts the run ended by itself (not killed) with a complete statistics block for `host`. */
function assertEndedWithStatistics(r: CliResult, host: string): number {
  const shown = `exit ${r.status} signal ${r.signal}\nstdout:\n${r.stdout}stderr:\n${r.stderr}`;
  assert.equal(r.signal, null, shown);
  assert.equal(r.status, 0, shown);
  const lines = outputLines(r.stdout);
  const replies = lines.filter((l) => l.startsWith('64 bytes from')).length;
  assert.ok(replies >= 2, `replies before the signal: ${replies}\n${shown}`);
  assert.deepEqual(lines.slice(-4, -2), ['', `--- ${host} ping statistics ---`], shown);
  const counts = /^(\d+) packets transmitted, (\d+) received, [\d.]+% packet loss, time \d+ms$/.exec(lines[lines.length - 2] ?? '');
  assert.ok(counts !== null, shown);
  // Every reply printed was counted; every probe was answered (loopback), but for one sent
  // in the instant before the signal whose reply had not been read yet.
  assert.equal(Number(counts[2]), replies, shown);
  assert.ok(Number(counts[1]) - replies <= 1 && Number(counts[1]) >= replies, shown);
  parseRttLine(lines[lines.length - 1] ?? '');
  return replies;
}

describe('CLI signals', { skip: skip ?? false, concurrency: 3 }, () => {
  test('SIGINT after about 1 s of -i 0.2: statistics, exit 0', async () => {
    const run = startCli(['-i', '0.2', '127.0.0.1'], { timeoutMs: 10_000 });
    await run.waitFor(/icmp_seq=1 /);
    await sleep(1000);
    run.child.kill('SIGINT');
    const r = await run.result;
    const replies = assertEndedWithStatistics(r, '127.0.0.1');
    assert.ok(replies >= 4 && replies <= 9, `about 1.2 s at 0.2 s: ${replies} replies`);
    assert.equal(r.stderr, '');
  });

  test('SIGQUIT: one status line on stderr, and the run goes on', async () => {
    const run = startCli(['-i', '0.2', '127.0.0.1'], { timeoutMs: 10_000 });
    await run.waitFor(/icmp_seq=3 /);
    run.child.kill('SIGQUIT');
    await run.waitFor(/packets, /, 'stderr', 3000);
    const repliesAtQuit = (run.stdout.match(/^64 bytes/gm) ?? []).length;
    // Still pinging after the status line: two more replies.
    await run.waitFor(new RegExp(`icmp_seq=${repliesAtQuit + 2} `), 'stdout', 3000);
    run.child.kill('SIGINT');
    const r = await run.result;
    assertEndedWithStatistics(r, '127.0.0.1');
    const status = r.stderr.split('\n').filter((l) => l.length > 0);
    assert.equal(status.length, 1, `one status line: ${JSON.stringify(r.stderr)}`);
    assert.match(status[0] ?? '', /^\r?\d+\/\d+ packets, \d+% loss(, min\/avg\/ewma\/max = \d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3} ms)?$/);
    const m = /^\r?(\d+)\/(\d+) packets, 0% loss, min/.exec(status[0] ?? '');
    assert.ok(m !== null, `all answered so far, with figures: ${JSON.stringify(status[0])}`);
    assert.ok(Number(m[1]) >= 3 && Number(m[1]) === Number(m[2]));
    assert.ok(!r.stdout.includes('packets, '), 'the status line goes to stderr only');
  });

  test('SIGTERM: ends with the statistics, exit 0', async () => {
    const run = startCli(['-i', '0.2', '127.0.0.1'], { timeoutMs: 10_000 });
    await run.waitFor(/icmp_seq=3 /);
    run.child.kill('SIGTERM');
    const r = await run.result;
    assertEndedWithStatistics(r, '127.0.0.1');
    assert.equal(r.stderr, '');
  });
});
