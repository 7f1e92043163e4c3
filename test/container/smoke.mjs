#!/usr/bin/env node
// What a container (or any fresh install) must be able to do with rawping: the library
// from the package by name, its command, and `rawping exporter`. Plain JavaScript so it runs
// from an installed package as well as from this repository (which imports itself by name).
// Prints one JSON line and exits 0 only when every check passed. Sends to loopback only.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const checks = {};

/**
 * `rawping exporter` as the image runs it (EXPOSE 9374), on an ephemeral loopback port: it
 * starts, serves a reply of 127.0.0.1 on /metrics, and exits 0 on SIGTERM. True when all do;
 * else what went wrong. Bounded: 20 s.
 */
async function exporter(bin) {
  const child = spawn(process.execPath, [bin, 'exporter', '--listen', '127.0.0.1:0', '-i', '0.2', '127.0.0.1'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
  });
  const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  try {
    const end = Date.now() + 15_000;
    let address = null;
    while (address === null && Date.now() < end && child.exitCode === null) {
      address = /msg=listening address=(\S+)/.exec(stderr)?.[1] ?? null;
      if (address === null) await new Promise((r) => setTimeout(r, 50));
    }
    if (address === null) return `no listening line: ${stderr.slice(-300)}`;
    let answered = false;
    while (!answered && Date.now() < end) {
      const text = await (await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
      answered = /^smokeping_response_duration_seconds_count\{host="127\.0\.0\.1",ip="127\.0\.0\.1"\} [1-9]/m.test(text);
      if (!answered) await new Promise((r) => setTimeout(r, 100));
    }
    if (!answered) return 'no reply counted on /metrics';
    child.kill('SIGTERM');
    const status = await exited;
    return status === 0 ? true : `exit ${status}: ${stderr.slice(-300)}`;
  } catch (error) {
    return String(error instanceof Error ? error.message : error);
  } finally {
    clearTimeout(kill);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
try {
  const { isReachable, ping, openSockets } = await import('rawping');
  checks.sockets = openSockets()
    .opened.map((s) => `${s.family}:${s.kind}`)
    .join(' ');
  checks.reachable4 = await isReachable('127.0.0.1');
  checks.reachable6 = await isReachable('::1');
  checks.ping3 = (await ping('127.0.0.1', { count: 3, interval: 20 })).received;
  const bin = join(dirname(createRequire(import.meta.url).resolve('rawping/package.json')), 'dist/cli/main.cjs');
  const cli = spawnSync(process.execPath, [bin, '-c', '2', '-i', '0.2', '127.0.0.1'], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, LC_ALL: 'C' },
  });
  checks.cliStatus = cli.status;
  checks.cliStats = /2 packets transmitted, 2 received, 0% packet loss/.test(cli.stdout);
  checks.exporter = await exporter(bin);
} catch (error) {
  checks.error = String(error instanceof Error ? error.message : error);
}
checks.uid = process.getuid();
const ok =
  checks.reachable4 === true &&
  checks.reachable6 === true &&
  checks.ping3 === 3 &&
  checks.cliStatus === 0 &&
  checks.cliStats === true &&
  checks.exporter === true;
console.log(JSON.stringify({ ok, ...checks }));
process.exit(ok ? 0 : 1);
