// docs/hostile-inputs.md #20, #22-#30: what the machine and the user throw at rawping, through the
// real CLI and the real library where the kernel can produce the fault: firewall rules and
// routes in a namespace of the test lab, a resolver that never answers, sudo emulation,
// signals while resolving, broadcast and multicast. The faults only a fake socket can produce
// are in hostile-machine-fake-network.test.ts; signals, pipes and worker threads on loopback in
// hostile-machine-loopback.test.ts.
//
// THE NETWORK RULE: every packet goes to 127.0.0.0/8, ::1 or a namespace of the lab. The
// resolvers used here are a blackholed address inside the lab (a lookup hangs locally) or
// 127.0.0.1 in a namespace with nothing listening (a lookup fails at once). Files under
// /etc/netns/<namespace>/ (bind-mounted over /etc by `ip netns exec`) are removed afterwards.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { NetnsLab, nsExec, sh, type TestHost } from '../helpers/netns.js';
import { runCli, startCli, statisticsCounts, type CliResult } from '../helpers/run-cli.js';
import { runLibrary } from '../helpers/run-module.js';
import { cliSkipReason, commandSkipReason, libraryBuildSkipReason, netnsSkipReason } from '../helpers/skip-reasons.js';

const NOBODY = '65534';
const SUDO_NOBODY = { SUDO_UID: NOBODY, SUDO_GID: NOBODY, SUDO_USER: 'nobody' };
/** Anything that would move the cursor or change a terminal's state: C0 but newline, DEL, C1. */
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;
/** Words of the privilege message (PermissionError), which a local firewall must never produce. */
const PRIVILEGE_WORDS = /sudo|CAP_NET_RAW|ping_group_range|setcap/;
/** glibc's wait for the blackholed name server, s: longer than rawping's 5 s resolve bound. */
const RESOLVER_TIMEOUT_S = 7;

const nsSkip = netnsSkipReason() ?? cliSkipReason() ?? libraryBuildSkipReason();
const nftSkip = nsSkip ?? commandSkipReason('nft', ['--version'], 'nft (nftables)');

let lab: NetnsLab;
/** A live host (kernel echo on) and a dead one (echo off), behind the router. */
let live: TestHost;
let dead: TestHost;
/** A namespace behind the router used as a client whose firewall and routes the tests change. */
let fw: TestHost;
/** A namespace whose resolver is a blackholed address: every DNS query hangs (inside the lab). */
let dnsHang: TestHost;
/** Loopback only; its resolver is 127.0.0.1 with nothing listening; its hosts file is the test's. */
let iso: string;
/** Loopback plus a veth pair inside it: subnet broadcast and multicast without leaving it. */
let bc: string;
const etcDirs: string[] = [];
let tmp: string;

function etcNetns(ns: string, files: Record<string, string>): void {
  const dir = `/etc/netns/${ns}`;
  mkdirSync(dir, { recursive: true });
  etcDirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

function cleanEtc(): void {
  for (const dir of etcDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'rawping-machine-'));
  chmodSync(tmp, 0o755);
  if (nsSkip !== null) return;
  process.on('exit', cleanEtc);
  lab = NetnsLab.create();
  live = lab.addHost();
  dead = lab.addHost({ echo: false });
  fw = lab.addHost();
  dnsHang = lab.addHost();
  const hole = lab.addBlackhole();
  etcNetns(dnsHang.ns, {
    'resolv.conf': `nameserver ${hole.ip4}\noptions timeout:${RESOLVER_TIMEOUT_S} attempts:1\n`,
    hosts: '127.0.0.1 localhost\n::1 localhost\n',
  });
  iso = lab.addIsolated();
  etcNetns(iso, {
    'resolv.conf': 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n',
    // Not ::1: glibc answers an IPv4 lookup of a name listed with ::1 with 127.0.0.1.
    hosts: '127.0.0.1 localhost\nfd00:253::1 v6only.test\n127.0.0.1 esc\x1b[31mape\x1b]0;pwned\x07.test\n',
  });
  sh('ip', ['-n', iso, '-6', 'addr', 'add', 'fd00:253::1/128', 'dev', 'lo']);
  bc = lab.addIsolated();
  sh('ip', ['-n', bc, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
  sh('ip', ['-n', bc, 'addr', 'add', '10.254.0.1/24', 'dev', 'v0']);
  sh('ip', ['-n', bc, '-6', 'addr', 'add', 'fd00:254::1/64', 'dev', 'v0', 'nodad']);
  for (const dev of ['v0', 'v1']) sh('ip', ['-n', bc, 'link', 'set', dev, 'up']);
  sh('ip', ['-n', bc, 'route', 'add', '224.0.0.0/4', 'dev', 'v0']);
});

after(() => {
  lab?.destroy();
  cleanEtc();
  rmSync(tmp, { recursive: true, force: true });
});

/** runLibrary (rawping's built library as `lib`, with `ip` and `fds` helpers) inside namespace `ns`. */
function library(ns: string, body: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  return runLibrary(body, { netns: ns, timeoutMs });
}

const counts = statisticsCounts;

function assertNoTrace(r: CliResult): void {
  assert.doesNotMatch(r.stderr, /^\s+at |TypeError|RangeError|internal error/m, `no stack trace:\n${r.stderr}`);
}

function assertNoRawControl(r: CliResult): void {
  assert.doesNotMatch(r.stdout, RAW_CONTROL, `raw control characters on stdout: ${JSON.stringify(r.stdout)}`);
  assert.doesNotMatch(r.stderr, RAW_CONTROL, `raw control characters on stderr: ${JSON.stringify(r.stderr)}`);
}

const nft = (ns: string, command: string): string => nsExec(ns, 'nft', [command]);
const BLOCK_ECHO =
  'add table inet rawping_test; add chain inet rawping_test out { type filter hook output priority 0 ; policy accept ; }; ' +
  'add rule inet rawping_test out icmp type echo-request drop; add rule inet rawping_test out icmpv6 type echo-request drop';
const UNBLOCK_ECHO = 'delete table inet rawping_test';

// ---------------------------------------------------------------------------------------------

// docs/hostile-inputs.md #20
describe('20. a dead target for days: memory and descriptors stay flat', { skip: nsSkip ?? false }, () => {
  test('hundreds of runs against a dead host through the library: no descriptor is left behind', async () => {
    const r = await library(
      lab.client,
      `await lib.ping(${JSON.stringify(dead.ip4)}, { count: 1, timeout: 20 });
await lib.ping(${JSON.stringify(dead.ip6)}, { count: 1, timeout: 20 });
const before = fds();
for (let i = 0; i < 100; i++) {
  await lib.ping(${JSON.stringify(dead.ip4)}, { count: 2, interval: 5, timeout: 10 });
  await lib.isReachable(${JSON.stringify(dead.ip6)}, { timeout: 10, count: 1 });
  const p = lib.createPinger(${JSON.stringify(dead.ip4)}, { interval: 5, timeout: 10 });
  setTimeout(() => p.stop(), 12);
  await p.done;
}
console.log(JSON.stringify({ before, after: fds() }));`,
      60_000,
    );
    assert.equal(r.after, r.before, `open descriptors before and after 300 runs: ${String(r.before)} -> ${String(r.after)}`);
  });
});

// docs/hostile-inputs.md #22
describe('22. EPERM / EACCES on an open socket: blocked locally, never a privilege problem; the run goes on', { skip: nftSkip ?? false }, () => {
  after(() => {
    try {
      nft(fw.ns, UNBLOCK_ECHO);
    } catch {
      // not there
    }
  });

  test('CLI: an nft rule dropping our echo requests: one "blocked locally" line per probe, exit 1 on time (IPv4, IPv6, under sudo)', async () => {
    nft(fw.ns, BLOCK_ECHO);
    try {
      const runs: [string, CliResult][] = [
        ['IPv4', await runCli(['-c', '3', '-i', '0.2', '-W', '1', live.ip4], { netns: fw.ns })],
        ['IPv6', await runCli(['-c', '3', '-i', '0.2', '-W', '1', live.ip6], { netns: fw.ns })],
        ['sudo', await runCli(['-c', '3', '-i', '0.2', '-W', '1', live.ip4], { netns: fw.ns, env: SUDO_NOBODY })],
      ];
      for (const [name, r] of runs) {
        const shown = `${name}: exit ${r.status}\n${r.stdout}${r.stderr}`;
        assert.equal(r.status, 1, shown);
        assert.match(counts(r), /^3 packets transmitted, 0 received, \+3 errors, 100% packet loss/, shown);
        const blocked = r.stderr.split('\n').filter((l) => l.length > 0);
        assert.equal(blocked.length, 3, shown);
        for (const line of blocked) assert.equal(line, 'rawping: sendmsg: Operation not permitted (blocked locally: a firewall rule or a prohibit route)');
        assert.doesNotMatch(r.stderr, PRIVILEGE_WORDS, shown);
        assert.ok(r.durationMs < 3000, `${name} ended on time (${Math.round(r.durationMs)} ms)`);
        assertNoTrace(r);
      }
    } finally {
      nft(fw.ns, UNBLOCK_ECHO);
    }
  });

  test('CLI: a rule added mid-run and removed again: blocked probes reported, the run goes on and recovers; exit 0', async () => {
    const run = startCli(['-c', '10', '-i', '0.1', '-W', '1', live.ip4], { netns: fw.ns });
    try {
      await run.waitFor(/icmp_seq=2 /);
      nft(fw.ns, BLOCK_ECHO);
      await run.waitFor(/blocked locally[^]*blocked locally/, 'stderr', 5000);
    } finally {
      nft(fw.ns, UNBLOCK_ECHO);
    }
    const r = await run.result;
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const m = /^10 packets transmitted, (\d+) received, \+(\d+) errors/m.exec(r.stdout);
    assert.ok(m !== null, r.stdout);
    assert.ok(Number(m[2]) >= 2 && Number(m[1]) + Number(m[2]) === 10, `every probe either answered or blocked: ${m[0]}`);
    assert.ok(/icmp_seq=10 /.test(r.stdout), 'replies came back after the rule went');
    assert.doesNotMatch(r.stderr, PRIVILEGE_WORDS);
  });

  test('library: send-error events with code EPERM (nft) and EACCES (a prohibit route added mid-run), then replies again', async () => {
    nft(fw.ns, BLOCK_ECHO);
    let blocked: Record<string, unknown>;
    try {
      blocked = await library(
        fw.ns,
        `const p = lib.createPinger(${JSON.stringify(live.ip4)}, { count: 3, interval: 50, timeout: 300 });
const errors = [];
p.on('send-error', (e) => errors.push([e.code, e.sequence, e.message]));
const s = await p.done;
console.log(JSON.stringify({ errors, sent: s.transmitted, received: s.received, counted: s.errors }));`,
      );
    } finally {
      nft(fw.ns, UNBLOCK_ECHO);
    }
    assert.deepEqual(
      (blocked.errors as [string, number, string][]).map(([code, seq]) => [code, seq]),
      [
        ['EPERM', 1],
        ['EPERM', 2],
        ['EPERM', 3],
      ],
    );
    for (const [, , message] of blocked.errors as [string, number, string][]) {
      assert.match(message, /blocked locally/);
      assert.doesNotMatch(message, PRIVILEGE_WORDS);
    }
    assert.deepEqual([blocked.sent, blocked.received, blocked.counted], [3, 0, 3]);

    for (const [address, family] of [
      [live.ip4, '-4'],
      [live.ip6, '-6'],
    ] as const) {
      const prefix = family === '-4' ? `${address}/32` : `${address}/128`;
      const r = await library(
        fw.ns,
        `const p = lib.createPinger(${JSON.stringify(address)}, { count: 8, interval: 50, timeout: 300 });
const log = [];
p.on('reply', (e) => { log.push('reply ' + e.sequence); if (e.sequence === 2) ip(${JSON.stringify(family)}, 'route', 'add', 'prohibit', ${JSON.stringify(prefix)}); });
p.on('send-error', (e) => { log.push(e.code + ' ' + e.sequence); if (e.sequence === 4) ip(${JSON.stringify(family)}, 'route', 'del', 'prohibit', ${JSON.stringify(prefix)}); });
const s = await p.done;
console.log(JSON.stringify({ log, received: s.received, errors: s.errors }));`,
      );
      assert.deepEqual(r.log, ['reply 1', 'reply 2', 'EACCES 3', 'EACCES 4', 'reply 5', 'reply 6', 'reply 7', 'reply 8'], `${family}: ${JSON.stringify(r)}`);
      assert.deepEqual([r.received, r.errors], [6, 2]);
    }
  });
});

// docs/hostile-inputs.md #23
describe('23. EHOSTUNREACH / ENETUNREACH / EADDRNOTAVAIL: a per-probe result; recovers when the route is back', { skip: nsSkip ?? false }, () => {
  test('library: an unreachable route or no route at all mid-run gives send errors; replies resume when the route is back', async () => {
    const cases: [string, string, string[], string[], string][] = [
      [
        'IPv4 unreachable route',
        live.ip4,
        ['route', 'add', 'unreachable', `${live.ip4}/32`],
        ['route', 'del', 'unreachable', `${live.ip4}/32`],
        'EHOSTUNREACH',
      ],
      [
        'IPv6 unreachable route',
        live.ip6,
        ['-6', 'route', 'add', 'unreachable', `${live.ip6}/128`],
        ['-6', 'route', 'del', 'unreachable', `${live.ip6}/128`],
        'EHOSTUNREACH',
      ],
      ['IPv4 default route removed', live.ip4, ['route', 'del', 'default'], ['route', 'add', 'default', 'via', fw.ip4.replace(/\.2$/, '.1')], 'ENETUNREACH'],
      [
        'IPv6 default route removed',
        live.ip6,
        ['-6', 'route', 'del', 'default'],
        ['-6', 'route', 'add', 'default', 'via', fw.ip6.replace(/::2$/, '::1')],
        'ENETUNREACH',
      ],
    ];
    for (const [name, address, cut, mend, code] of cases) {
      const r = await library(
        fw.ns,
        `const p = lib.createPinger(${JSON.stringify(address)}, { count: 9, interval: 50, timeout: 300 });
const log = [];
p.on('reply', (e) => { log.push('reply ' + e.sequence); if (e.sequence === 2) ip(...${JSON.stringify(cut)}); });
p.on('send-error', (e) => { log.push(e.code + ' ' + e.sequence); if (e.sequence === 5) ip(...${JSON.stringify(mend)}); });
const s = await p.done;
console.log(JSON.stringify({ log, transmitted: s.transmitted, received: s.received, errors: s.errors, loss: s.loss }));`,
      );
      assert.deepEqual(
        r.log,
        ['reply 1', 'reply 2', `${code} 3`, `${code} 4`, `${code} 5`, 'reply 6', 'reply 7', 'reply 8', 'reply 9'],
        `${name}: ${JSON.stringify(r)}`,
      );
      assert.deepEqual([r.transmitted, r.received, r.errors], [9, 6, 3], name);
    }
  });

  test('CLI: a route made unreachable mid-run: "No route to host" per probe on stderr, then replies again; exit 0', async () => {
    const run = startCli(['-c', '10', '-i', '0.1', '-W', '1', live.ip4], { netns: fw.ns });
    const prefix = `${live.ip4}/32`;
    try {
      await run.waitFor(/icmp_seq=2 /);
      sh('ip', ['-n', fw.ns, 'route', 'add', 'unreachable', prefix]);
      await run.waitFor(/No route to host[^]*No route to host/, 'stderr', 5000);
    } finally {
      sh('ip', ['-n', fw.ns, 'route', 'del', 'unreachable', prefix]);
    }
    const r = await run.result;
    assert.equal(r.status, 0, r.stdout + r.stderr);
    for (const line of r.stderr.split('\n').filter(Boolean)) assert.equal(line, 'rawping: sendmsg: No route to host');
    assert.match(r.stdout, /^10 packets transmitted, \d+ received, \+\d+ errors/m);
    assert.match(r.stdout, /icmp_seq=10 /, 'recovered');
  });
});

// docs/hostile-inputs.md #24
describe('24. EMSGSIZE: sizes are validated before sending, and a send that still fails is a clear error', { skip: nsSkip ?? false }, () => {
  test('CLI: -s 65508 to an IPv4 host and -s 65528 to an IPv6 host: exit 2 naming -s and its range, nothing sent', async () => {
    const [r4, r6] = await Promise.all([
      runCli(['-c', '1', '-s', '65508', live.ip4], { netns: lab.client }),
      runCli(['-c', '1', '-s', '65528', live.ip6], { netns: lab.client }),
    ]);
    for (const [r, max] of [
      [r4, 65507],
      [r6, 65527],
    ] as const) {
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, new RegExp(`^rawping: invalid -s '\\d+': expected an integer from 0 to ${max}`));
    }
  });
});

/**
 * Waits until process `pid` holds an ICMP socket: rawping opens its sockets after its signal
 * handlers are in place and before it resolves names. (Any socket would not do: `ip netns
 * exec` holds a netlink socket before it execs node.)
 */
async function waitForIcmpSocket(pid: number, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    try {
      const icmp = new Set<string>();
      for (const table of ['raw', 'raw6', 'icmp', 'icmp6']) {
        for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
          const inode = line.trim().split(/\s+/)[9];
          if (inode !== undefined) icmp.add(inode);
        }
      }
      if (readdirSync(`/proc/${pid}/fd`).some((fd) => icmp.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? ''))) return;
    } catch {
      // not started yet, or an fd closed between the calls
    }
    await sleep(20);
  }
  throw new Error(`process ${pid} opened no ICMP socket in ${timeoutMs} ms`);
}

// docs/hostile-inputs.md #25, #29 (signals while a name resolves)
describe(
  '25 and 29. names: unknown, a resolver that never answers, only AAAA, spaces; signals while resolving',
  { skip: nsSkip ?? false, concurrency: true },
  () => {
    // One run against the hanging resolver, shared by the test that checks what it prints
    // and the one that checks when the process exits.
    let hang: Promise<{ r: CliResult; messageAtMs: number }> | undefined;
    const hangingRun = (): Promise<{ r: CliResult; messageAtMs: number }> =>
      (hang ??= (async () => {
        const run = startCli(['-c', '1', 'never-answers.test'], { netns: dnsHang.ns, timeoutMs: (RESOLVER_TIMEOUT_S + 8) * 1000 });
        const started = performance.now();
        let messageAtMs = Infinity;
        await run.waitFor(/name resolution/, 'stderr', (RESOLVER_TIMEOUT_S + 5) * 1000).then(
          () => (messageAtMs = performance.now() - started),
          () => undefined,
        );
        return { r: await run.result, messageAtMs };
      })());

    test('a resolver that never answers: "Temporary failure in name resolution" within the 5 s bound, exit 2', async () => {
      const { r, messageAtMs } = await hangingRun();
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, 'rawping: never-answers.test: Temporary failure in name resolution (no answer in 5000 ms)\n');
      // 5 s after the lookup began, which is after node's start-up: slow on a loaded machine.
      assert.ok(messageAtMs >= 4500 && messageAtMs < 9000, `the message came after ${Math.round(messageAtMs)} ms`);
    });

    test('a resolver that never answers: the process exits within the 5 s bound too', async () => {
      const { r } = await hangingRun();
      assert.ok(r.durationMs < 9000, `exited after ${Math.round(r.durationMs)} ms`);
    });

    test('an address literal never touches the resolver (no reverse lookup): replies at once where DNS hangs', async () => {
      const r = await runCli(['-c', '2', '-i', '0.2', '127.0.0.1'], { netns: dnsHang.ns });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^64 bytes from 127\.0\.0\.1: icmp_seq=1 /m);
      // A lookup would wait out the resolver's 5 s.
      assert.ok(r.durationMs < 4500, `took ${Math.round(r.durationMs)} ms`);
    });

    // 29: Ctrl-C or SIGTERM while the name is being resolved.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      let run: Promise<{ r: CliResult; statsAfterMs: number; exitAfterMs: number }> | undefined;
      const interrupted = (): Promise<{ r: CliResult; statsAfterMs: number; exitAfterMs: number }> =>
        (run ??= (async () => {
          const cli = startCli(['never-answers.test'], { netns: dnsHang.ns, timeoutMs: (RESOLVER_TIMEOUT_S + 8) * 1000 });
          // Its sockets are open once its signal handlers are in place and the name is being
          // looked up: a fixed sleep raced node's start-up on a loaded machine.
          await waitForIcmpSocket(cli.child.pid as number, 5000);
          await sleep(200);
          const sentAt = performance.now();
          cli.child.kill(signal);
          let statsAfterMs = Infinity;
          await cli.waitFor(/ping statistics/, 'stdout', 5000).then(
            () => (statsAfterMs = performance.now() - sentAt),
            () => undefined,
          );
          return { r: await cli.result, statsAfterMs, exitAfterMs: performance.now() - sentAt };
        })());

      test(`29. ${signal} while a name resolves: the (empty) statistics at once, exit 1`, async () => {
        const { r, statsAfterMs } = await interrupted();
        assert.ok(statsAfterMs < 2000, `statistics ${Math.round(statsAfterMs)} ms after ${signal}`);
        assert.equal(r.signal, null);
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.equal(r.stdout, '\n--- never-answers.test ping statistics ---\n0 packets transmitted, 0 received\n\n');
        assert.equal(r.stderr, '');
      });

      test(`29. ${signal} while a name resolves: the process exits at once`, async () => {
        const { exitAfterMs } = await interrupted();
        // Not the resolver's 5 s bound: the signal ends the wait.
        assert.ok(exitAfterMs < 3000, `exited ${Math.round(exitAfterMs)} ms after ${signal}`);
      });
    }

    test('an unknown name fails at once with exit 2 where no resolver answers', async () => {
      const r = await runCli(['-c', '1', 'no-such-host.test'], { netns: iso });
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^rawping: no-such-host\.test: (Name or service not known|Temporary failure in name resolution)\n$/);
      assert.ok(r.durationMs < 3000);
    });

    test('a name with only an IPv6 address: -4 is exit 2 with a message naming it; -6 pings it', async () => {
      const [v4, v6] = await Promise.all([runCli(['-4', '-c', '1', 'v6only.test'], { netns: iso }), runCli(['-6', '-c', '1', 'v6only.test'], { netns: iso })]);
      assert.equal(v4.status, 2, v4.stdout + v4.stderr);
      assert.equal(v4.stdout, '');
      assert.match(v4.stderr, /^rawping: v6only\.test: [A-Z][^\n]+\n$/);
      assert.ok(v4.durationMs < 3000);
      assert.equal(v6.status, 0, v6.stderr);
      assert.match(v6.stdout, /^PING v6only\.test \(fd00:253::1\) 56 data bytes$/m);
    });

    test('leading or trailing spaces in a name: exit 2, the name shown as given', async () => {
      for (const name of ['localhost ', ' localhost', 'localhost\t']) {
        const r = await runCli(['-c', '1', name], { netns: iso });
        assert.equal(r.status, 2, r.stdout);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, /Name or service not known\n$/);
        assertNoRawControl(r);
      }
    });
  },
);

// docs/hostile-inputs.md #26
describe('26. names and options with control characters or terminal escapes are escaped before printing', { skip: nsSkip ?? false }, () => {
  const EVIL = '\x1b]0;pwned\x07evil\x1b[2J\x9b31m';

  test('a target with escapes on the command line: shown escaped, exit 2', async () => {
    const r = await runCli(['-c', '1', EVIL], { netns: iso });
    assert.equal(r.status, 2);
    assertNoRawControl(r);
    assert.equal(r.stderr, 'rawping: \\x1b]0;pwned\\x07evil\\x1b[2J\\x9b31m: Name or service not known\n');
  });

  test('a name the system resolver knows (an /etc/hosts entry with escapes) is still refused, escaped', async () => {
    const name = 'esc\x1b[31mape\x1b]0;pwned\x07.test';
    assert.match(nsExec(iso, 'getent', ['hosts', name]), /^127\.0\.0\.1 /, 'glibc resolves the name as it is');
    const r = await runCli(['-c', '1', name], { netns: iso });
    assert.equal(r.status, 2);
    assertNoRawControl(r);
    assert.match(r.stderr, /^rawping: esc\\x1b\[31mape\\x1b\]0;pwned\\x07\.test: Name or service not known\n$/);
  });

  test('--file lines with escapes: the errors and the summary table show them escaped; the good line is pinged', async () => {
    const file = join(tmp, 'evil-targets.txt');
    writeFileSync(file, `127.0.0.1\n${EVIL}\nx\x1b[1;1H\x1b[2Ky\r\n\x07bell\n`);
    chmodSync(file, 0o644);
    const r = await runCli(['-c', '1', '--file', file], { netns: iso });
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assertNoRawControl(r);
    assert.match(r.stdout, /^127\.0\.0\.1 is alive$/m);
    assert.match(r.stderr, /\\x1b\]0;pwned\\x07evil\\x1b\[2J\\x9b31m: Name or service not known/);
    assert.match(r.stderr, /x\\x1b\[1;1H\\x1b\[2Ky: Name or service not known/);
    assert.match(r.stdout, /^\\x07bell +0 +0 +- /m);
  });

  test('option values with escapes are escaped in the usage error', async () => {
    const value = '\x1b[2J\x1b]0;pwned\x07';
    const cases = [['-c'], ['-i'], ['-w'], ['-W'], ['-s'], ['-t'], ['-l'], ['-p'], ['-Q'], ['-I'], ['--mode'], ['--rate']].map(([flag]) => [
      flag as string,
      value,
      '127.0.0.1',
    ]);
    cases.push(['-g', `10.0.0.${value}/30`], [`--x${value}`, '127.0.0.1']);
    const results = await Promise.all(cases.map((args) => runCli(args, { netns: iso })));
    const raw = results.flatMap((r, i) => (RAW_CONTROL.test(r.stdout + r.stderr) ? [(cases[i] as string[])[0]] : []));
    for (const r of results) assert.equal(r.status, 2);
    assert.deepEqual(raw, [], `raw escapes reached the terminal for: ${raw.join(' ')}`);
  });
});

// docs/hostile-inputs.md #27
describe('27. option values: the cases cli-bad-input.test.ts does not cover', { skip: nsSkip ?? false }, () => {
  test('a 1 MB target through the CLI (--file: argv cannot carry 1 MB, Linux caps one argument at 128 KiB): exit 2, a short message', async () => {
    const file = join(tmp, 'huge-target.txt');
    writeFileSync(file, `${'b'.repeat(1 << 20)}\n127.0.0.1\n`);
    chmodSync(file, 0o644);
    const r = await runCli(['-c', '1', '--file', file], { netns: iso });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^rawping: target too long \(1048576 characters; a host name has at most 253\)\n$/);
    assert.match(r.stdout, /^127\.0\.0\.1 is alive$/m);
    assert.ok(r.stdout.length < 2000, `the table does not print the megabyte back (${r.stdout.length} characters)`);
  });
});

// docs/hostile-inputs.md #28
describe('28. privileges: a --file named on the command line is opened only after the drop', { skip: nsSkip ?? false }, () => {
  test('under sudo (SUDO_UID=nobody), a targets file only root may read: permission denied, exit 2; mode 644 works', async () => {
    const file = join(tmp, 'targets-root-only.txt');
    writeFileSync(file, '127.0.0.1\n');
    chmodSync(file, 0o600);
    const asRoot = await runCli(['-c', '1', '--file', file], { netns: lab.client });
    assert.equal(asRoot.status, 0, `root without sudo reads it: ${asRoot.stderr}`);
    const denied = await runCli(['-c', '1', '--file', file], { netns: lab.client, env: SUDO_NOBODY });
    assert.equal(denied.status, 2, denied.stdout + denied.stderr);
    assert.equal(denied.stdout, '');
    assert.equal(denied.stderr, `rawping: --file ${file}: Permission denied\n`);
    chmodSync(file, 0o644);
    const readable = await runCli(['-c', '1', '--file', file], { netns: lab.client, env: SUDO_NOBODY });
    assert.equal(readable.status, 0, readable.stderr);
    assert.match(readable.stdout, /^127\.0\.0\.1 is alive$/m);
  });
});

// docs/hostile-inputs.md #30
describe('30. broadcast and multicast targets are refused unless asked for (-b)', { skip: nsSkip ?? false }, () => {
  const REFUSAL = 'rawping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n';

  test('255.255.255.255, 224.0.0.1, ff02::1, ff02::1%v0 and the subnet broadcast of an interface: exit 2, nothing sent', async () => {
    const targets = ['255.255.255.255', '224.0.0.1', '239.255.255.250', 'ff02::1', 'ff02::1%v0', '10.254.0.255'];
    const results = await Promise.all(targets.map((t) => runCli(['-c', '1', t], { netns: bc })));
    results.forEach((r, i) => {
      assert.equal(r.status, 2, `${targets[i]}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stdout, '', targets[i]);
      assert.equal(r.stderr, REFUSAL, targets[i]);
    });
  });

  test('many targets: a multicast one is refused (exit 2) while the others are pinged', async () => {
    const r = await runCli(['-c', '1', '127.0.0.1', '224.0.0.1'], { netns: bc });
    assert.equal(r.status, 2);
    assert.match(r.stdout, /^127\.0\.0\.1 is alive$/m);
    assert.match(r.stderr, /224\.0\.0\.1 is a broadcast or multicast address/);
  });

  test('with -b, inside the isolated namespace only: a multicast group is pinged', async () => {
    const r = await runCli(['-b', '-c', '2', '-i', '0.2', '-W', '0.5', '224.0.0.1'], { netns: bc });
    assert.ok(r.status === 0 || r.status === 1, `not refused: ${r.stdout}${r.stderr}`);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^2 packets transmitted, /m);
  });

  test('with -b, the subnet broadcast of an interface is pinged (iputils: WARNING: pinging broadcast address, then the probes)', async () => {
    const r = await runCli(['-b', '-c', '2', '-i', '0.2', '-W', '0.5', '10.254.0.255'], { netns: bc });
    assert.doesNotMatch(r.stderr, /Do you want to ping broadcast/);
    assert.match(r.stdout, /^2 packets transmitted, /m);
  });

  test('with -b, ff02::1%v0 is pinged, and the namespace answers its own all-nodes group (as iputils shows)', async () => {
    const r = await runCli(['-b', '-c', '2', '-i', '0.2', '-W', '0.5', 'ff02::1%v0'], { netns: bc });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    // The answer comes from one of the namespace's own addresses (which one depends on the
    // kernel: fe80::...%v0 or fd00:254::1), never from ff02::1 itself.
    assert.match(r.stdout, /^64 bytes from (fe80::[0-9a-f:]+%v0|fd00:254::1): icmp_seq=1 /m);
  });
});

// Not an item of docs/hostile-inputs.md: a hang found while writing the tests above.
describe('found on the way (not one of items 19-30)', { skip: nsSkip ?? false }, () => {
  test('CLI: Destination Host Unreachable for the first probes, silence for the rest: the run still ends', async () => {
    // The router's rate limit (5 at once, then 1 a second) answers probes 1-5 only.
    const unreachable = lab.addUnreachable();
    const r = await runCli(['-c', '6', '-i', '0.1', '-W', '0.15', unreachable.ip4], { netns: lab.client, timeoutMs: 4000 });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^6 packets transmitted, 0 received, \+5 errors, 100% packet loss/m);
  });
});
