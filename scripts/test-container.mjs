#!/usr/bin/env node
// Runs the integration tests the way a container runs them, without Docker: in a fresh
// network namespace (loopback only), as a non-root user, first holding only CAP_NET_RAW
// (docker run --cap-drop=ALL --cap-add=NET_RAW), then holding nothing but with
// ping_group_range open (Docker's default for unprivileged containers). Needs root to set
// that up; without it, says so and exits 0 (npm test reports it as skipped).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const USER = ['--reuid=65534', '--regid=65534', '--clear-groups'];
const PASSES = [
  { name: 'non-root with only CAP_NET_RAW', range: '1 0', caps: ['--inh-caps=-all,+net_raw', '--ambient-caps=+net_raw', '--bounding-set=-all,+net_raw'] },
  { name: 'non-root with no capability, ping_group_range open', range: '0 2147483647', caps: ['--inh-caps=-all', '--bounding-set=-all'] },
];
// The tests that make sense in a container: loopback only, no namespaces of their own.
const TESTS = ['test/integration/library-loopback.test.ts', 'test/container/smoke.mjs'];

function skip(reason) {
  console.log(`test:container skipped: ${reason}`);
  process.exit(0);
}

if (process.geteuid?.() !== 0) skip('needs root to create a namespace and switch user');
if (spawnSync('unshare', ['-n', 'true']).status !== 0) skip('cannot create network namespaces here');
if (spawnSync('setpriv', ['--version']).status !== 0) skip('setpriv (util-linux) is not installed');

let failed = 0;
for (const pass of PASSES) {
  const run = (argv) =>
    [
      'ip link set lo up',
      // /proc rather than sysctl(8): procps is not on every machine.
      `echo ${JSON.stringify(pass.range)} > /proc/sys/net/ipv4/ping_group_range`,
      ['exec setpriv', ...USER, ...pass.caps, ...argv.map((a) => JSON.stringify(a))].join(' '),
    ].join(' && ');
  for (const test of TESTS) {
    const argv = test.endsWith('.mjs') ? [process.execPath, test] : [process.execPath, 'scripts/run-tests.mjs', test];
    console.log(`\n== ${pass.name}: ${test}`);
    const r = spawnSync('unshare', ['-n', 'sh', '-c', run(argv)], {
      cwd: root,
      stdio: 'inherit',
      timeout: 120_000,
      env: { ...process.env, HOME: '/tmp', LC_ALL: 'C', RAWPING_REQUIRE_SOCKETS: '1' },
    });
    if (r.status !== 0) {
      failed++;
      console.log(`FAILED (${pass.name}: ${test}): status ${r.status}${r.signal ? `, signal ${r.signal}` : ''}`);
    }
  }
}
console.log(failed === 0 ? '\ntest:container: all passes succeeded' : `\ntest:container: ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
