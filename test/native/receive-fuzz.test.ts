// The native receive fuzzer (issue 18, item 11; docs/hostile-inputs.md #31): random datagrams,
// random IP headers, echo replies of any length and ICMP errors with random quotes of real
// probes, through the addon's real receive path (recvmmsg batches, control messages, the
// datagram sockets' error queue), raw and datagram sockets, IPv4 and IPv6. The driver
// (receive-fuzz-driver.ts) checks every batch and every packet and stops at the first thing
// wrong; this file gives it a network namespace of its own and checks that it lived, that no
// sanitizer spoke (under `npm run test:asan` the addon is the ASan/UBSan build), and that it
// reached every path it is there for.
//
// A few seconds in `npm test`; `npm run fuzz:native -- --seconds N [--seed S] [--asan]` runs it
// longer. RAWPING_NATIVE_FUZZ_SECONDS, RAWPING_NATIVE_FUZZ_SEED and RAWPING_NATIVE_FUZZ_REPORT
// (a file that gets the driver's report) tune it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { commandSkipReason } from '../helpers/skip-reasons.js';
import { V6_LOCAL } from './receive-fuzz-datagrams.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DRIVER = fileURLToPath(new URL('./receive-fuzz-driver.ts', import.meta.url));
const SECONDS = Number(process.env.RAWPING_NATIVE_FUZZ_SECONDS ?? 3);
const SEED = process.env.RAWPING_NATIVE_FUZZ_SEED !== undefined ? Number(process.env.RAWPING_NATIVE_FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);

function skipReason(): string | null {
  if (process.geteuid?.() !== 0) return 'needs root (a network namespace, raw sockets, and a raw sender that writes IP headers)';
  if (spawnSync('unshare', ['-n', 'true'], { stdio: 'ignore', timeout: 5000 }).status !== 0) return 'cannot create network namespaces here (unshare -n failed)';
  return commandSkipReason('python3') ?? commandSkipReason('ip', ['-V'], 'ip (iproute2)');
}

interface Seen {
  batches: number;
  packets: number;
  matched: number;
  kernelErrors: number;
  oversize: number;
  errorQueue: number;
  truncated: number;
}

interface Report {
  seed: number;
  addon: string | null;
  sanitized: boolean;
  bursts: number;
  sent: number;
  seen: Record<'raw4' | 'raw6' | 'dgram4' | 'dgram6', Seen>;
}

/** Runs the driver as root in a fresh network namespace: loopback with the fuzzer's addresses, kernel echo off, ping_group_range open. */
function runDriver(seconds: number, seed: number): Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }> {
  const setup = [
    'ip link set lo up',
    ...V6_LOCAL.filter((a) => a !== '::1').map((a) => `ip -6 addr add ${a}/64 dev lo nodad`),
    // Not sysctl(8): procps may be missing. These are the new namespace's own.
    'echo "0 2147483647" > /proc/sys/net/ipv4/ping_group_range',
    'echo 1 > /proc/sys/net/ipv4/icmp_echo_ignore_all',
    'echo 1 > /proc/sys/net/ipv6/icmp/echo_ignore_all',
    `exec ${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(DRIVER)} --seconds ${seconds} --seed ${seed}`,
  ].join(' && ');
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', ['-n', 'sh', '-c', setup], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    // Bounded: the run itself, plus start-up (tsx, an ASan build is slower), plus margin.
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 90) * 1000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

test(
  `the addon's receive path under random datagrams for ${SECONDS} s: it lives, every packet is in bounds and explained`,
  { skip: skipReason() ?? false, timeout: (SECONDS + 120) * 1000 },
  async (t) => {
    const r = await runDriver(SECONDS, SEED);
    const shown = `seed ${SEED} (reproduce: RAWPING_NATIVE_FUZZ_SEED=${SEED}):\n${r.stderr.slice(-4000)}`;
    assert.doesNotMatch(r.stderr, /AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer/, shown);
    assert.equal(r.signal, null, shown);
    assert.equal(r.status, 0, shown);
    const report = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Report;
    if (process.env.RAWPING_NATIVE_FUZZ_REPORT !== undefined) writeFileSync(process.env.RAWPING_NATIVE_FUZZ_REPORT, JSON.stringify(report));
    t.diagnostic(
      `seed ${SEED}, ${report.sanitized ? 'ASan/UBSan build' : 'normal build'}: ${report.bursts} bursts, ${report.sent} datagrams sent; ${JSON.stringify(report.seen)}`,
    );
    assert.equal(report.seed, SEED);
    // The addon it was meant to run: this checkout's own build (a root process reads no
    // RAWPING_ADDON), which under `npm run test:asan` is the sanitizer build, with ASan loaded.
    assert.equal(report.addon, join(ROOT, 'build/Release/rawping.node'));
    if (/libasan/.test(process.env.LD_PRELOAD ?? '')) assert.equal(report.sanitized, true, 'AddressSanitizer is loaded in the driver');
    assert.ok(report.sent > 0, 'datagrams went out');
    // It reached every path it is there for: both raw sockets matched datagrams byte for byte,
    // and both datagram sockets got replies (some larger than their receive slot, reported with
    // their real size: issue 18, item 4) and error-queue entries quoting their probes.
    for (const name of ['raw4', 'raw6', 'dgram4', 'dgram6'] as const) {
      const seen = report.seen[name];
      assert.ok(seen.matched > 0, `${name} matched packets: ${JSON.stringify(seen)}`);
    }
    for (const name of ['dgram4', 'dgram6'] as const) {
      const seen = report.seen[name];
      assert.ok(seen.errorQueue > 0, `${name} read its error queue: ${JSON.stringify(seen)}`);
      assert.ok(seen.oversize > 0, `${name} received a reply larger than its receive slot: ${JSON.stringify(seen)}`);
    }
  },
);
