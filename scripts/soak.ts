// npm run soak [-- --seconds N] (hostile inputs item 20: a dead target for days).
//
// In a test lab of network namespaces (test/helpers/netns.ts: nothing leaves this machine), a
// child process uses the built library (dist/) to ping, for the whole run:
//   - a dead host (kernel echo off) over IPv4 and IPv6: every probe times out;
//   - a live host behind the router (IPv4) and 127.0.0.1: every probe is answered;
//   - and, back to back, short-lived runs (ping() of the dead host, isReachable() of the live
//     one over IPv6), so sessions are created and dropped all the time.
// From outside, every --sample-ms, it reads the child's RSS (/proc/<pid>/status VmRSS) and its
// open descriptors (/proc/<pid>/fd). The child runs with --expose-gc and collects fully twice
// per sample period (--no-gc: never), so RSS shows what is still referenced rather than how
// much garbage V8 let pile up (without it RSS saws between about 58 and 84 MB). After
// --warmup-seconds the RSS floor (lowest sample of the last quarter against the lowest of the
// first quarter) may not grow by more than --rss-growth-mb (default 8) and the descriptors
// may not change at all; otherwise exit 1. Prints the figures at the start, after warm-up,
// at the end and at the peak.
//
// Needs root (namespaces) and a build (npm run build).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NetnsLab, netnsSkipReason } from '../test/helpers/netns.js';

interface Options {
  seconds: number;
  intervalMs: number;
  sampleMs: number;
  warmupSeconds: number;
  rssGrowthMb: number;
  gc: boolean;
}

function parse(argv: string[]): Options {
  const options: Options = { seconds: 60, intervalMs: 10, sampleMs: 1000, warmupSeconds: -1, rssGrowthMb: 8, gc: true };
  const keys: Record<string, keyof Options> = {
    '--seconds': 'seconds',
    '--interval-ms': 'intervalMs',
    '--sample-ms': 'sampleMs',
    '--warmup-seconds': 'warmupSeconds',
    '--rss-growth-mb': 'rssGrowthMb',
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--no-gc') {
      options.gc = false;
      continue;
    }
    const key = keys[argv[i] as string];
    const value = Number(argv[i + 1]);
    if (key === undefined || !Number.isFinite(value) || value < 0) {
      console.error(
        `soak: unknown option or bad value: ${argv[i]} ${argv[i + 1] ?? ''}\nusage: soak [--seconds 60] [--interval-ms 10] [--sample-ms 1000] [--warmup-seconds min(10, seconds/4)] [--rss-growth-mb 8] [--no-gc]`,
      );
      process.exit(2);
    }
    options[key] = value;
    i++;
  }
  if (options.seconds < 2) options.seconds = 2;
  if (options.warmupSeconds < 0) options.warmupSeconds = Math.min(10, options.seconds / 4);
  return options;
}

const CHILD = String.raw`
const lib = await import(process.argv[2]);
const [dead4, dead6, live4, live6, intervalMs] = process.argv.slice(3);
const interval = Number(intervalMs);
const long = [
  ['dead IPv4', lib.createPinger(dead4, { interval, timeout: 100 })],
  ['dead IPv6', lib.createPinger(dead6, { interval, timeout: 100 })],
  ['live IPv4', lib.createPinger(live4, { interval, timeout: 1000 })],
  ['127.0.0.1', lib.createPinger('127.0.0.1', { interval, timeout: 1000 })],
];
let stopping = false;
let shortRuns = 0;
let shortReachable = 0;
const churn = (async () => {
  while (!stopping) {
    await lib.ping(dead4, { count: 2, interval: 5, timeout: 20 });
    if (await lib.isReachable(live6, { timeout: 200, count: 1 })) shortReachable++;
    shortRuns++;
  }
})();
process.on('SIGTERM', async () => {
  stopping = true;
  for (const [, p] of long) p.stop();
  const summaries = await Promise.all(long.map(([, p]) => p.done));
  await churn;
  console.log(JSON.stringify({
    targets: long.map(([name], i) => ({ name, transmitted: summaries[i].transmitted, received: summaries[i].received, loss: summaries[i].loss })),
    shortRuns,
    shortReachable,
  }));
  process.exit(0);
});
// With --expose-gc (the default): a full collection before every sample, so the figures show
// what is still referenced, not how far the collector let garbage pile up.
const heap = [];
if (typeof globalThis.gc === 'function') {
  setInterval(() => {
    globalThis.gc();
    const m = process.memoryUsage();
    console.log('heap ' + m.heapUsed + ' ' + m.external + ' ' + m.arrayBuffers);
  }, Number(process.argv[8])).unref();
}
// Ready once every socket is open: each long run has sent its first probe.
await Promise.all(long.map(([, p]) => new Promise((resolve) => p.once('sent', resolve))));
console.log('ready');
`;

interface Sample {
  atS: number;
  rssKb: number;
  /** V8 heap in use after the child's last full collection (NaN with --no-gc). */
  heapKb: number;
  fds: number;
  sockets: number;
}

function sample(pid: number, startedMs: number, heapKb: number): Sample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  const entries = readdirSync(`/proc/${pid}/fd`);
  let sockets = 0;
  for (const fd of entries) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets++;
    } catch {
      // closed while listing
    }
  }
  return { atS: (performance.now() - startedMs) / 1000, rssKb, heapKb, fds: entries.length, sockets };
}

const mb = (kb: number): string => `${(kb / 1024).toFixed(1)} MB`;
const show = (s: Sample): string =>
  `t=${s.atS.toFixed(1)}s rss=${mb(s.rssKb)}${Number.isNaN(s.heapKb) ? '' : ` heap=${mb(s.heapKb)}`} fds=${s.fds} sockets=${s.sockets}`;
const lowest = (list: Sample[], key: 'rssKb' | 'heapKb'): number => Math.min(...list.map((s) => s[key]));

async function main(): Promise<number> {
  const options = parse(process.argv.slice(2));
  const skip = netnsSkipReason();
  if (skip !== null) {
    console.error(`soak: ${skip}`);
    return 2;
  }
  const dist = new URL('../dist/index.js', import.meta.url);
  if (!existsSync(fileURLToPath(dist))) {
    console.error('soak: dist/index.js is missing: run npm run build first');
    return 2;
  }
  const dir = mkdtempSync(join(tmpdir(), 'rawping-soak-'));
  chmodSync(dir, 0o755);
  const childFile = join(dir, 'child.mjs');
  writeFileSync(childFile, CHILD);
  const lab = NetnsLab.create();
  try {
    const live = lab.addHost();
    const dead = lab.addHost({ echo: false });
    console.log(
      `soak: ${options.seconds} s; every ${options.intervalMs} ms: dead ${dead.ip4} and ${dead.ip6}, live ${live.ip4} and 127.0.0.1; ` +
        `short runs back to back; RSS bound +${options.rssGrowthMb} MB after ${options.warmupSeconds} s of warm-up, descriptors constant`,
    );
    const child = spawn(
      'ip',
      [
        'netns',
        'exec',
        lab.client,
        process.execPath,
        ...(options.gc ? ['--expose-gc'] : []),
        childFile,
        dist.href,
        dead.ip4,
        dead.ip6,
        live.ip4,
        live.ip6,
        String(options.intervalMs),
        String(Math.max(50, options.sampleMs / 2)),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    let heapKb = NaN;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const heapLines = out.match(/^heap \d+/gm);
      if (heapLines !== null) heapKb = Number((heapLines[heapLines.length - 1] as string).slice(5)) / 1024;
      // Keep only what is not a complete heap line yet (the final result is one line).
      out = out.replace(/^heap [^\n]*\n/gm, '');
    });
    // 'close', not 'exit': the final JSON line may still be in the pipe when the process exits.
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const readyBy = Date.now() + 10_000;
    while (!out.includes('ready')) {
      if (Date.now() > readyBy || child.exitCode !== null) throw new Error(`the pinging process did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const pid = child.pid as number;
    const started = performance.now();
    const samples: Sample[] = [sample(pid, started, heapKb)];
    console.log(`start   ${show(samples[0] as Sample)}`);
    let nextPrint = 10;
    while (performance.now() - started < options.seconds * 1000) {
      await new Promise((r) => setTimeout(r, Math.min(options.sampleMs, options.seconds * 1000 - (performance.now() - started) + 1)));
      if (child.exitCode !== null) throw new Error(`the pinging process ended early (exit ${child.exitCode})`);
      const s = sample(pid, started, heapKb);
      samples.push(s);
      if (s.atS >= nextPrint) {
        console.log(`        ${show(s)}`);
        nextPrint += Math.max(10, Math.round(options.seconds / 12));
      }
    }
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
    if (code !== 0) {
      child.kill('SIGKILL');
      throw new Error(`the pinging process did not end cleanly (exit ${code})`);
    }
    const result = JSON.parse(
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .pop() ?? 'null',
    ) as {
      targets: { name: string; transmitted: number; received: number; loss: number }[];
      shortRuns: number;
      shortReachable: number;
    };

    // The collector makes RSS a sawtooth: compare floors, the lowest RSS in the first and in
    // the last quarter after warm-up, so garbage not yet collected does not count as a leak.
    const warm = samples.find((s) => s.atS >= options.warmupSeconds) ?? samples[0];
    const end = samples[samples.length - 1] as Sample;
    const afterWarm = samples.filter((s) => s.atS >= warm.atS);
    const quarter = Math.max(1, Math.floor(afterWarm.length / 4));
    const early = afterWarm.slice(0, quarter);
    const late = afterWarm.slice(-quarter);
    const peak = afterWarm.reduce((m, s) => (s.rssKb > m.rssKb ? s : m), warm);
    const failures: string[] = [];
    const growthKb = lowest(late, 'rssKb') - lowest(early, 'rssKb');
    const heapGrowthKb = lowest(late, 'heapKb') - lowest(early, 'heapKb');
    if (growthKb > options.rssGrowthMb * 1024) {
      failures.push(
        `RSS grew by ${mb(growthKb)} after warm-up (bound ${options.rssGrowthMb} MB): lowest ${mb(lowest(early, 'rssKb'))} early, ${mb(lowest(late, 'rssKb'))} late`,
      );
    }
    const fdChanges = afterWarm.filter((s) => s.fds !== warm.fds || s.sockets !== warm.sockets);
    if (fdChanges.length > 0) failures.push(`open descriptors changed after warm-up: ${show(warm)} -> ${fdChanges.slice(0, 3).map(show).join('; ')}`);
    if (result === null) throw new Error(`no result from the pinging process: ${out}`);
    for (const t of result.targets) {
      const isDead = t.name.startsWith('dead');
      if (t.transmitted < (options.seconds * 1000) / options.intervalMs / 4) failures.push(`${t.name}: only ${t.transmitted} probes sent`);
      if (isDead && t.received !== 0) failures.push(`${t.name}: ${t.received} replies from a dead host`);
      if (!isDead && t.loss > 5) failures.push(`${t.name}: ${t.loss}% loss to a live host`);
    }
    if (result.shortRuns < 1 || result.shortReachable < result.shortRuns * 0.9)
      failures.push(`short runs: ${result.shortReachable} of ${result.shortRuns} reachable`);

    console.log(`warm    ${show(warm)}`);
    console.log(`end     ${show(end)}`);
    console.log(`peak    ${show(peak)}`);
    console.log(
      `        RSS floor growth after warm-up ${mb(growthKb)} (bound ${options.rssGrowthMb} MB)${Number.isNaN(heapGrowthKb) ? '' : `, heap floor growth ${mb(heapGrowthKb)}`}`,
    );
    for (const t of result.targets) console.log(`        ${t.name}: ${t.transmitted} sent, ${t.received} received, ${t.loss}% loss`);
    console.log(`        short runs: ${result.shortRuns} (live over IPv6 reachable in ${result.shortReachable})`);
    console.log(`        samples: ${samples.length}`);
    if (failures.length > 0) {
      for (const f of failures) console.log(`FAIL ${f}`);
      return 1;
    }
    console.log('PASS memory and descriptors flat');
    return 0;
  } finally {
    lab.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    console.error(`soak: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
