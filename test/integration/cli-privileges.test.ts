// The privilege matrix of the CLI (issue 3, items 5 and 6; docs/hostile-inputs.md #28): a user with no capability and no
// ping_group_range gets the actionable message and exit 2; a user with only CAP_NET_RAW (the
// container case) pings with raw sockets and holds no capability once running; a user inside
// ping_group_range pings with datagram sockets; under sudo the process becomes SUDO_UID with
// no capabilities before it reads anything from the network, read from /proc/<pid>/status.
// Each user case runs in a namespace of its own, whose ping_group_range the test sets.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { NetnsLab, nsExec } from '../helpers/netns.js';
import { addonEnvironment, cliCommand, CLI_PATH, outputLines, re, REPLY_TIME, runCli, startCli, type CliResult, type RunningCli } from '../helpers/run-cli.js';
import { commandSkipReason, icmpSkipReason, netnsSkipReason } from '../helpers/skip-reasons.js';

const NOBODY = 65534;
const AS_NOBODY = [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'];
/** Nobody with no capability at all, and no way to gain one. */
const NO_CAPS = [...AS_NOBODY, '--inh-caps=-all', '--bounding-set=-all'];
/** Nobody with CAP_NET_RAW only, as a container with --cap-add=NET_RAW gives it. */
const NET_RAW_ONLY = [...AS_NOBODY, '--inh-caps=+net_raw', '--ambient-caps=+net_raw'];

/** Null when setpriv is installed and nobody can run the built CLI, else why not. */
function setprivSkipReason(): string | null {
  const missing = commandSkipReason('setpriv', ['--version'], 'setpriv (util-linux)');
  if (missing !== null) return missing;
  // The checkout must be readable by nobody (it is not under a private home directory, say).
  const [file, ...args] = cliCommand(['-V'], { setpriv: NO_CAPS }) as [string, ...string[]];
  const v = spawnSync(file, args, {
    encoding: 'utf8',
    timeout: 10_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', ...addonEnvironment() },
  });
  if (v.status !== 0) return `uid ${NOBODY} cannot run ${CLI_PATH}: ${(v.stderr || v.error?.message || '').trim().slice(0, 160)}`;
  return null;
}

const skip = (await icmpSkipReason()) ?? netnsSkipReason() ?? setprivSkipReason();

/** The Uid/Gid/Groups/Cap lines of /proc/<pid>/status and of every thread of it. */
function procStatus(pid: number): { task: string; fields: Record<string, string> }[] {
  const tasks = readdirSync(`/proc/${pid}/task`);
  return tasks.map((task) => {
    const fields: Record<string, string> = {};
    for (const line of readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8').split('\n')) {
      const m = /^(\w+):\s*(.*)$/.exec(line);
      if (m !== null) fields[m[1] as string] = (m[2] as string).trim().replace(/\s+/g, ' ');
    }
    return { task, fields };
  });
}

/**
 * Asserts that the main thread of `pid` (or, with `allThreads`, every thread: capabilities
 * are per thread in Linux) runs as `uid`/`gid` (real, effective, saved, fs) with no
 * capability left.
 */
function assertDropped(pid: number, uid: number, gid: number, allThreads = true): void {
  const statuses = procStatus(pid).filter((s) => allThreads || s.task === String(pid));
  assert.ok(statuses.length > 0);
  for (const { task, fields } of statuses) {
    const where = `thread ${task} of ${pid}: ${JSON.stringify(fields)}`;
    assert.equal(fields.Uid, `${uid} ${uid} ${uid} ${uid}`, where);
    assert.equal(fields.Gid, `${gid} ${gid} ${gid} ${gid}`, where);
    assert.ok(fields.Groups === '' || fields.Groups === `${gid}`, `supplementary groups: ${where}`);
    for (const set of ['CapEff', 'CapPrm', 'CapAmb', 'CapInh']) assert.match(fields[set] ?? '', /^0+$/, `${set}: ${where}`);
  }
}

/** Starts a run, reads /proc while it goes (after its first reply), then lets it finish. */
async function runAndInspect(run: RunningCli, inspect: (pid: number) => void): Promise<CliResult> {
  const pid = run.child.pid;
  assert.ok(pid !== undefined);
  await run.waitFor(/icmp_seq=1 /);
  try {
    inspect(pid);
  } finally {
    await run.result.catch(() => undefined);
  }
  return run.result;
}

function assertReplies(r: CliResult, target: string, count: number): void {
  assert.equal(r.status, 0, `exit ${r.status}\n${r.stdout}${r.stderr}`);
  const lines = outputLines(r.stdout);
  for (let seq = 1; seq <= count; seq++) {
    assert.match(lines[seq] ?? '', new RegExp(`^64 bytes from ${re(target)}: icmp_seq=${seq}(?: ident=\\d+)? ttl=64 time=${REPLY_TIME} ms$`), r.stdout);
  }
  assert.match(r.stdout, new RegExp(`^${count} packets transmitted, ${count} received, 0% packet loss`, 'm'));
}

describe('CLI privileges', { skip: skip ?? false }, () => {
  let lab: NetnsLab;
  let closed: string;
  let open: string;
  before(() => {
    lab = NetnsLab.create();
    // A new namespace starts with ping_group_range "1 0" (nobody may open datagram sockets).
    closed = lab.addIsolated(['net.ipv4.ping_group_range=1 0']);
    open = lab.addIsolated(['net.ipv4.ping_group_range=0 2147483647']);
  });
  after(() => lab?.destroy());

  test('(a) nobody without capabilities outside ping_group_range: what to do, with the current range; exit 2', async () => {
    const range = nsExec(closed, 'cat', ['/proc/sys/net/ipv4/ping_group_range']).trim().replace(/\s+/g, ' ');
    assert.equal(range, '1 0');
    for (const target of ['127.0.0.1', '::1']) {
      const r = await runCli(['-c', '1', target], { netns: closed, setpriv: NO_CAPS });
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^rawping: [^\n]+\n$/, 'one line');
      assert.match(r.stderr, /sudo/);
      assert.match(r.stderr, /CAP_NET_RAW/);
      assert.match(r.stderr, new RegExp(`ping_group_range.*"${re(range)}"`), 'names the sysctl and its current value');
      assert.match(r.stderr, new RegExp(`groups: ${NOBODY}`), "names the user's groups");
      assert.doesNotMatch(r.stderr, /^\s+at |Error:/m);
    }
  });

  test('(b) nobody with only CAP_NET_RAW (ambient): raw sockets, then no capability in the main thread; exit 0', async () => {
    const run = startCli(['-v', '-c', '3', '-i', '0.3', '127.0.0.1'], { netns: closed, setpriv: NET_RAW_ONLY });
    const r = await runAndInspect(run, (pid) => assertDropped(pid, NOBODY, NOBODY, false));
    assertReplies(r, '127.0.0.1', 3);
    assert.match(r.stderr, /IPv4 socket: raw/);
    const v6 = await runCli(['-c', '2', '-i', '0.2', '::1'], { netns: closed, setpriv: NET_RAW_ONLY });
    assertReplies(v6, '::1', 2);
  });

  // Capabilities belong to threads. A user holding them (the container case) restarts
  // itself without any once its sockets are open, so no thread keeps one; root without sudo
  // clears the main thread's before libuv's pool starts (the pool, where getaddrinfo parses
  // DNS answers, inherits nothing) and only V8's own workers, started before any JavaScript,
  // keep a copy (a restart would cost root a second Node start-up for little: it stays uid 0).
  test('capability drop, nobody with CAP_NET_RAW: no thread of the process holds a capability after the drop', async () => {
    const run = startCli(['-c', '3', '-i', '0.3', 'localhost'], { netns: closed, setpriv: [...NET_RAW_ONLY] });
    await runAndInspect(run, (pid) => {
      for (const { task, fields } of procStatus(pid)) {
        for (const set of ['CapEff', 'CapPrm', 'CapAmb', 'CapInh']) assert.match(fields[set] ?? '', /^0+$/, `${set} of thread ${task}`);
        assert.equal(fields.NoNewPrivs, '1', `no_new_privs on thread ${task}`);
      }
    });
  });

  test('capability drop, root without sudo: the main thread and the resolver threads hold none', async () => {
    const run = startCli(['-c', '3', '-i', '0.3', 'localhost'], { netns: closed });
    await runAndInspect(run, (pid) => {
      const threads = procStatus(pid);
      const main = threads.find((t) => t.task === String(pid));
      assert.ok(main !== undefined);
      for (const set of ['CapEff', 'CapPrm', 'CapAmb']) assert.match(main.fields[set] ?? '', /^0+$/, `${set} of the main thread`);
      assert.equal(main.fields.NoNewPrivs, '1');
      // 'localhost' went through getaddrinfo on libuv's pool (four threads by default): those
      // started after the drop and hold nothing, so at least main + 4 threads are clean.
      const clean = threads.filter((t) => /^0+$/.test(t.fields.CapEff ?? '')).length;
      assert.ok(clean >= 5, `${clean} of ${threads.length} threads hold no capability`);
    });
  });

  test("(b) with CAP_NET_RAW the users' limits do not apply: -i 0.001 is allowed", async () => {
    const r = await runCli(['-q', '-c', '3', '-i', '0.001', '127.0.0.1'], { netns: closed, setpriv: NET_RAW_ONLY });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^3 packets transmitted, 3 received, 0% packet loss/m);
  });

  test('(c) nobody inside ping_group_range: datagram sockets, --mode dgram and auto, IPv4 and IPv6; exit 0', async () => {
    const [dgram, auto, v6] = await Promise.all([
      runCli(['--mode', 'dgram', '-c', '2', '-i', '0.2', '127.0.0.1'], { netns: open, setpriv: NO_CAPS }),
      runCli(['-v', '-c', '2', '-i', '0.2', '127.0.0.1'], { netns: open, setpriv: NO_CAPS }),
      runCli(['-v', '-c', '2', '-i', '0.2', '::1'], { netns: open, setpriv: NO_CAPS }),
    ]);
    assertReplies(dgram, '127.0.0.1', 2);
    assertReplies(auto, '127.0.0.1', 2);
    assert.match(auto.stderr, /IPv4 socket: dgram/);
    assertReplies(v6, '::1', 2);
    assert.match(v6.stderr, /IPv6 socket: dgram/);
  });

  test("(c) without privilege the users' limits apply: -i 0.001 and -f are refused; exit 2", async () => {
    for (const args of [
      ['-c', '1', '-i', '0.001', '127.0.0.1'],
      ['-c', '1', '-f', '127.0.0.1'],
    ]) {
      const r = await runCli(args, { netns: open, setpriv: NO_CAPS });
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^rawping: [^\n]*(flood|interval)[^\n]*\n$/);
    }
  });

  // The handover across the re-exec is untrusted text: nothing in it can grant ping's
  // privileged limits. Whatever a user writes there, they get the users' limits or one line.
  test("(c) a hand-written RAWPING_INHERITED_SOCKETS gets no privilege: the users' limits, or one line and exit 2", async () => {
    const claims = [
      '{"identifier":4660,"privileged":true,"sockets":[{"family":4,"kind":"raw","fd":3}]}',
      '{"identifier":4660,"privileged":true,"sockets":[{"family":4,"kind":"dgram","fd":0}]}',
      '{"privileged":true}',
      'not json',
      '{"identifier":1,"sockets":[{"family":4,"kind":"raw","fd":99}]}',
      '[]',
      '{"identifier":70000,"sockets":[]}',
    ];
    for (const claim of claims) {
      for (const args of [
        ['-c', '1', '-f', '127.0.0.1'],
        ['-c', '1', '-i', '0.001', '127.0.0.1'],
      ]) {
        const r = await runCli(args, { netns: open, setpriv: NO_CAPS, env: { RAWPING_INHERITED_SOCKETS: claim } });
        const shown = `${claim} ${args.join(' ')}: ${r.stdout}${r.stderr}`;
        assert.equal(r.status, 2, shown);
        assert.equal(r.stdout, '', shown);
        assert.match(r.stderr, /^rawping: [^\n]+\n$/, `one line: ${shown}`);
        assert.doesNotMatch(r.stderr, /internal error|undefined|^\s+at /m, shown);
        assert.match(r.stderr, /flood|interval|RAWPING_INHERITED_SOCKETS|socket/, shown);
      }
    }
  });

  test('(d) sudo: root with SUDO_UID/SUDO_GID runs as that user with no capabilities, and still pings', async () => {
    const run = startCli(['-c', '3', '-i', '0.3', '127.0.0.1'], { env: { SUDO_UID: String(NOBODY), SUDO_GID: String(NOBODY), SUDO_USER: 'nobody' } });
    const r = await runAndInspect(run, (pid) => {
      // The child is node itself (spawned directly, no shell), so this is the CLI's process.
      assert.match(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), /dist\/cli\/main\.cjs/);
      assertDropped(pid, NOBODY, NOBODY);
    });
    assertReplies(r, '127.0.0.1', 3);
  });
});
