#!/usr/bin/env node
// One run of a Prometheus ping exporter over N loopback targets at one probe per second:
// rawping exporter or smokeping_prober, with the same targets in the same config shape.
// Starts the daemon, lets it settle, then over a window of W seconds measures its CPU (from
// /proc/<pid>/stat, % of one core), the loss its own counters show (responses / requests over
// the window), its kernel receive drops (rawping), its peak RSS (VmHWM) and the time to serve
// one /metrics. Prints one JSON line. Every target is in 127.0.0.0/8; the daemon is ended
// (SIGTERM, then SIGKILL) whatever happens.
//
// usage: exporter-run.mjs <rawping|smokeping> <program> <targets> <warmup s> <window s> <port>
//   program: the rawping CLI (dist/cli/main.cjs, run as its shebang says) or smokeping_prober's binary
//   port: 0 for one that is free now
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [tool, program, countText, warmupText, windowText, portText] = process.argv.slice(2);
const count = Number(countText);
const warmupS = Number(warmupText);
const windowS = Number(windowText);
let port = Number(portText);
if (!['rawping', 'smokeping'].includes(tool) || !program || !(count > 0 && count <= 65536) || !(windowS > 0) || !(port >= 0)) {
  process.stderr.write('usage: exporter-run.mjs <rawping|smokeping> <program> <targets 1-65536> <warmup s> <window s> <port>\n');
  process.exit(2);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
if (port === 0) {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  port = probe.address().port;
  await new Promise((resolve) => probe.close(resolve));
}
const dir = mkdtempSync(join(tmpdir(), 'rawping-bench-exporter-'));
// 127.20.0.0 upwards: loopback addresses no other scenario uses.
const hosts = Array.from({ length: count }, (_, i) => `127.20.${i >> 8}.${i & 255}`);
const config = join(dir, 'targets.yml');
writeFileSync(config, `targets:\n- hosts:\n${hosts.map((h) => `  - ${h}\n`).join('')}  interval: 1s\n`);

const listen = `127.0.0.1:${port}`;
const argv =
  tool === 'rawping'
    ? [program, 'exporter', '--config', config, '--listen', listen]
    : [program, `--config.file=${config}`, `--web.listen-address=${listen}`, '--log.level=warn'];
const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
child.stderr.setEncoding('utf8').on('data', (d) => {
  if (stderr.length < 64 * 1024) stderr += d;
});
let exited = null;
child.on('exit', (code, signal) => (exited = { code, signal }));

async function end(status, result) {
  if (exited === null) {
    child.kill('SIGTERM');
    for (let i = 0; i < 100 && exited === null; i++) await sleep(100);
    if (exited === null) child.kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(status);
}

/** GET /metrics: the body and how long it took, ms. */
function scrape() {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request({ host: '127.0.0.1', port, path: '/metrics', timeout: 30_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ ms: performance.now() - started, text: Buffer.concat(chunks).toString('utf8'), status: res.statusCode }));
    });
    req.on('timeout', () => req.destroy(new Error('scrape timed out after 30 s')));
    req.on('error', reject);
    req.end();
  });
}

/** Sums of the families loss is computed from, over every target. */
function totals(text) {
  let requests = 0;
  let responses = 0;
  let drops = null;
  let series = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('smokeping_requests_total{')) {
      requests += Number(line.slice(line.lastIndexOf(' ') + 1));
      series++;
    } else if (line.startsWith('smokeping_response_duration_seconds_count{')) responses += Number(line.slice(line.lastIndexOf(' ') + 1));
    else if (line.startsWith('rawping_receive_drops_total ')) drops = Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return { requests, responses, drops, series };
}

const ticks = () => {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100 per second)
};

try {
  // Up when /metrics lists every target (smokeping_prober starts its pingers one by one and
  // listens only after the last: 45-50 s for 1000 on a loaded 2-core machine).
  const upBy = Date.now() + 150_000;
  for (;;) {
    if (exited !== null) await end(3, { error: `the exporter exited (${exited.code ?? exited.signal}): ${stderr.slice(-400)}` });
    try {
      const s = await scrape();
      if (s.status === 200 && totals(s.text).series >= count) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > upBy) await end(3, { error: `not serving ${count} targets after 150 s: ${stderr.slice(-400)}` });
    await sleep(250);
  }
  await sleep(warmupS * 1000);
  const first = totals((await scrape()).text);
  const t0 = performance.now();
  const c0 = ticks();
  await sleep(windowS * 1000);
  const c1 = ticks();
  const t1 = performance.now();
  const last = await scrape();
  const second = totals(last.text);
  // The time to serve one /metrics: the median of three more, one after the other.
  const times = [];
  for (let i = 0; i < 3; i++) times.push((await scrape()).ms);
  times.sort((a, b) => a - b);
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const hwmKb = Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1]);
  const requests = second.requests - first.requests;
  const responses = second.responses - first.responses;
  await end(0, {
    tool,
    targets: count,
    windowS: (t1 - t0) / 1000,
    cpuPct: ((c1 - c0) / 100 / ((t1 - t0) / 1000)) * 100,
    peakRssKb: hwmKb,
    requests,
    responses,
    lossPct: requests > 0 ? ((requests - responses) / requests) * 100 : null,
    drops: second.drops !== null && first.drops !== null ? second.drops - first.drops : null,
    metricsMs: times[1],
    metricsBytes: last.text.length,
  });
} catch (error) {
  await end(3, { error: `${error.message}: ${stderr.slice(-400)}` });
}
