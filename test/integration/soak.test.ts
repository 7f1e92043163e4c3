// The short soak (docs/hostile-inputs.md #20) that CI runs: scripts/soak.ts for 5 s. The long
// one is `npm run soak [-- --seconds N]`; this only shows that the script works and that
// nothing leaks fast (descriptors must not change at all; RSS has a loose bound so early).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { libraryBuildSkipReason, netnsSkipReason } from '../helpers/skip-reasons.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const skip = netnsSkipReason() ?? libraryBuildSkipReason();
// Under npm run test:asan the sanitizer's quarantine holds freed memory on purpose (about
// 40 MB in 5 s here), so RSS growth says nothing about leaks there; descriptors still must not move.
const sanitized = (process.env.LD_PRELOAD ?? '').includes('libasan');
const rssGrowthMb = sanitized ? '200' : '20';

test('soak for 5 s: a dead and a live target, RSS bounded and descriptors constant after warm-up', { skip: skip ?? false, timeout: 60_000 }, async (t) => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/soak.ts', '--seconds', '5', '--warmup-seconds', '2', '--sample-ms', '250', '--rss-growth-mb', rssGrowthMb],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  // A timed-out test must not leave the soak (and its namespaces) running.
  t.after(() => child.kill('SIGKILL'));
  // 'close', not 'exit': the last lines may still be in the pipes when the process exits.
  const status = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  assert.equal(status, 0, out);
  assert.match(out, /^PASS memory and descriptors flat$/m, out);
  const start = /^start +t=\S+ rss=\S+ MB(?: heap=\S+ MB)? fds=(\d+) sockets=(\d+)$/m.exec(out);
  const end = /^end +t=\S+ rss=\S+ MB(?: heap=\S+ MB)? fds=(\d+) sockets=(\d+)$/m.exec(out);
  assert.ok(start !== null && end !== null, out);
  assert.equal(end[1], start[1], 'the same descriptors at the end as at the start');
  assert.equal(end[2], start[2]);
  assert.match(out, /dead IPv4: \d+ sent, 0 received, 100% loss/);
  assert.match(out, /127\.0\.0\.1: (\d+) sent, \1 received, 0% loss/);
});
