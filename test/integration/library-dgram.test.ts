// Datagram ICMP sockets, the unprivileged path: a fresh network namespace whose
// ping_group_range admits everyone, and a user with no capability at all.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { libraryBuildSkipReason, rootSkipReason } from '../helpers/skip-reasons.js';

const skip = rootSkipReason() ?? libraryBuildSkipReason();
const dist = new URL('../../dist/index.js', import.meta.url).href;

/** Runs `script` (ESM) as nobody with no capabilities in a new network namespace with loopback up. */
function runAsNobody(script: string, groupRange: string): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rawping-dgram-'));
  chmodSync(dir, 0o755);
  const file = join(dir, 'probe.mjs');
  writeFileSync(file, script, { mode: 0o644 });
  try {
    const shell = [
      'ip link set lo up',
      `echo "${groupRange}" > /proc/sys/net/ipv4/ping_group_range`, // not sysctl(8): procps may be missing
      `exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all ${JSON.stringify(process.execPath)} ${JSON.stringify(file)}`,
    ].join(' && ');
    const r = spawnSync('unshare', ['-n', 'sh', '-c', shell], { encoding: 'utf8', timeout: 20_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('datagram sockets as an unprivileged user', { skip: skip ?? false }, () => {
  test('mode dgram and mode auto both work for 127.0.0.1 and ::1; the kernel-chosen identifier is matched', () => {
    const r = runAsNobody(
      `import { ping, isReachable, openSockets } from ${JSON.stringify(dist)};
       const opened = openSockets({ mode: 'auto' }).opened.map((s) => s.kind);
       const v4 = await ping('127.0.0.1', { count: 3, interval: 10, mode: 'dgram' });
       const v6 = await ping('::1', { count: 3, interval: 10, mode: 'dgram' });
       const auto = await isReachable('127.0.0.1');
       console.log(JSON.stringify({ uid: process.getuid(), opened, v4: v4.received, v6: v6.received, auto, rtt: v4.rtt !== null }));`,
      '0 2147483647',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { uid: 65534, opened: ['dgram', 'dgram'], v4: 3, v6: 3, auto: true, rtt: true });
  });

  test('outside ping_group_range and without CAP_NET_RAW: a PermissionError that says what to do', () => {
    const r = runAsNobody(
      `import { ping } from ${JSON.stringify(dist)};
       try { await ping('127.0.0.1', { count: 1 }); console.log('unexpected success'); }
       catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })); }`,
      '1 0',
    );
    assert.equal(r.status, 0, r.stderr);
    const error = JSON.parse(r.stdout) as { name: string; code: string; message: string };
    assert.equal(error.name, 'PermissionError');
    assert.equal(error.code, 'ERR_RAWPING_PERMISSION');
    assert.match(error.message, /sudo/);
    assert.match(error.message, /CAP_NET_RAW/);
    assert.match(error.message, /ping_group_range.*now "1 0"/);
    assert.match(error.message, /your groups: 65534/);
  });
});
