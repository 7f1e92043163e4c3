#!/usr/bin/env node
// What a container (or any fresh install) must be able to do with rawping: the library
// from the package by name, and its command. Plain JavaScript so it runs from an installed
// package as well as from this repository (which imports itself by name). Prints one JSON
// line and exits 0 only when every check passed. Sends to loopback only.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const checks = {};
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
} catch (error) {
  checks.error = String(error instanceof Error ? error.message : error);
}
checks.uid = process.getuid();
const ok = checks.reachable4 === true && checks.reachable6 === true && checks.ping3 === 3 && checks.cliStatus === 0 && checks.cliStats === true;
console.log(JSON.stringify({ ok, ...checks }));
process.exit(ok ? 0 : 1);
