// docs/hostile-inputs.md #19 and #29 through real sockets on loopback, as this process's user
// (root, CAP_NET_RAW or ping_group_range): the library while Date jumps, and the CLI and the
// library under signals, a reader that goes away and worker threads. Every packet goes to
// 127.0.0.1 or ::1. The fake-network and namespace tiers of the same items are in
// hostile-machine-fake-network.test.ts and hostile-machine-netns.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { addonEnvironment, CLI_PATH, startCli } from '../helpers/run-cli.js';
import { runLibrary } from '../helpers/run-module.js';
import { cliSkipReason, icmpSkipReason, libraryBuildSkipReason } from '../helpers/skip-reasons.js';

const DIST = new URL('../../dist/index.js', import.meta.url).href;
// Tests that ping 127.0.0.1 from this process's user (no namespace needed).
const loopbackSkip = cliSkipReason() ?? libraryBuildSkipReason() ?? (await icmpSkipReason());

let tmp: string;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'rawping-machine-'));
  chmodSync(tmp, 0o755);
});

after(() => {
  rmSync(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------

// docs/hostile-inputs.md #19
describe('19. the wall clock jumps: schedules and RTTs stay right', { skip: loopbackSkip ?? false }, () => {
  test('the library with Date.now and new Date() jumping by hours mid-run: counts, pace and RTTs unchanged', async () => {
    const r = await runLibrary(
      `const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
let offset = 0;
let calls = 0;
globalThis.Date = class extends RealDate {
  constructor(...args) { if (args.length === 0) super(realNow() + offset); else super(...args); }
  static now() { calls++; return realNow() + offset; }
};
const pinger = lib.createPinger('127.0.0.1', { count: 8, interval: 50, timeout: 500 });
const sentAt = [];
const rtts = [];
pinger.on('sent', (e) => {
  sentAt.push(performance.now());
  if (e.sequence === 3) offset = 3 * 3600e3;   // an NTP step forward
  if (e.sequence === 5) offset = -5 * 3600e3;  // date -s, back
});
pinger.on('reply', (e) => rtts.push(e.rttMs));
const t0 = performance.now();
const s = await pinger.done;
console.log(JSON.stringify({ received: s.received, transmitted: s.transmitted, late: s.late, rtts, gaps: sentAt.slice(1).map((t, i) => t - sentAt[i]), took: performance.now() - t0, elapsedMs: s.elapsedMs }));`,
    );
    assert.equal(r.transmitted, 8);
    assert.equal(r.received, 8);
    assert.equal(r.late, 0);
    for (const rtt of r.rtts as number[]) assert.ok(rtt >= 0 && rtt < 50, `RTT ${rtt} ms on loopback`);
    for (const gap of r.gaps as number[]) assert.ok(gap >= 40 && gap <= 250, `probes stay 50 ms apart: ${(r.gaps as number[]).map(Math.round).join(' ')}`);
    assert.ok((r.took as number) < 2000, `the run took ${String(r.took)} ms`);
    assert.ok((r.elapsedMs as number) >= 300 && (r.elapsedMs as number) < 2000, `elapsedMs ${String(r.elapsedMs)} is not hours`);
  });
});

// docs/hostile-inputs.md #29
describe('29. signals, a reader that goes away, worker threads', { skip: loopbackSkip ?? false }, () => {
  test('SIGINT during a long interval (-i 10): the summary at once, exit 0', async () => {
    const run = startCli(['-i', '10', '127.0.0.1'], { timeoutMs: 10_000 });
    await run.waitFor(/icmp_seq=1 /);
    const at = performance.now();
    run.child.kill('SIGINT');
    const r = await run.result;
    assert.ok(performance.now() - at < 1000, `ended ${Math.round(performance.now() - at)} ms after SIGINT`);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^1 packets transmitted, 1 received, 0% packet loss/m);
  });

  test('text output | head -1: rawping ends quietly soon after the reader goes (no SIGPIPE death, nothing on stderr)', () => {
    const errFile = join(tmp, 'head-stderr.txt');
    const script = `"$0" "$1" -i 0.1 127.0.0.1 2>"$2" | head -1; echo "rawping-status=\${PIPESTATUS[0]}"`;
    const t0 = performance.now();
    const out = spawnSync('bash', ['-c', script, process.execPath, CLI_PATH, errFile], {
      encoding: 'utf8',
      timeout: 10_000,
      env: { PATH: process.env.PATH ?? '', LC_ALL: 'C', ...addonEnvironment() },
    });
    const took = performance.now() - t0;
    assert.equal(out.status, 0, out.stderr);
    assert.equal(out.stdout, 'PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.\nrawping-status=0\n');
    assert.equal(spawnSync('cat', [errFile], { encoding: 'utf8' }).stdout, '', 'nothing on stderr');
    assert.ok(took < 3000, `ended ${Math.round(took)} ms after start`);
  });

  test("a worker thread terminated mid-run: the process goes on, and the worker's sockets are closed", async () => {
    const r = await runLibrary(
      `import { Worker } from 'node:worker_threads';
import { readlinkSync } from 'node:fs';
const sockets = () => readdirSync('/proc/self/fd').filter((f) => { try { return readlinkSync('/proc/self/fd/' + f).startsWith('socket:'); } catch { return false; } }).length;
await lib.ping('127.0.0.1', { count: 1 });
const before = { fds: fds(), sockets: sockets() };
const during = [];
const after = [];
for (let i = 0; i < 3; i++) {
  const worker = new Worker(\`const { parentPort } = require('node:worker_threads');
    import(\${JSON.stringify(${JSON.stringify(DIST)})}).then((lib) => {
      const a = lib.createPinger('127.0.0.1', { interval: 10 });
      lib.createPinger('::1', { interval: 10 });
      let n = 0;
      a.on('reply', () => { if (++n === 3) parentPort.postMessage('running'); });
    });\`, { eval: true });
  await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
  during.push(sockets());
  await worker.terminate();
  after.push({ fds: fds(), sockets: sockets() });
}
console.log(JSON.stringify({ before, during, after }));`,
    );
    const before = r.before as { fds: number; sockets: number };
    for (const d of r.during as number[]) assert.ok(d >= before.sockets + 2, `the worker opened its own sockets (${d})`);
    const afterRuns = r.after as { fds: number; sockets: number }[];
    for (const a of afterRuns) assert.equal(a.sockets, before.sockets, `every socket of the worker closed with it: ${JSON.stringify(r)}`);
    for (const a of afterRuns) assert.equal(a.fds, afterRuns[0]?.fds, `no descriptor accumulates over workers: ${JSON.stringify(r)}`);
  });

  for (const [name, body] of [
    ['ends by itself', `await lib.ping('127.0.0.1', { count: 2, interval: 10 }); parentPort.postMessage('done');`],
    [
      'is terminated mid-run',
      `lib.createPinger('127.0.0.1', { interval: 10 }).on('reply', (e) => { if (e.sequence === 3) parentPort.postMessage('running'); });`,
    ],
  ] as const) {
    test(`a worker thread that used rawping ${name}, in a process whose main thread never loaded it: the process lives on`, () => {
      const file = join(tmp, `worker-only-${name.length}.mjs`);
      writeFileSync(
        file,
        `import { Worker } from 'node:worker_threads';
const worker = new Worker(\`const { parentPort } = require('node:worker_threads');
  import(${JSON.stringify(DIST)}).then(async (lib) => { ${body} });\`, { eval: true });
await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
await worker.terminate();
console.log('alive');\n`,
      );
      const out = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 15_000, env: { PATH: process.env.PATH ?? '', ...addonEnvironment() } });
      assert.equal(out.signal, null, `the process died of ${out.signal}`);
      assert.equal(out.status, 0, out.stderr);
      assert.equal(out.stdout, 'alive\n');
    });
  }
});
