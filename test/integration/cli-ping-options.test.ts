// rawping against iputils `ping` for the invocations of issue 16: getopt spellings, every ping
// option (-M -m -a -B -R -T -F -U -e -S -C -d -L -r), and the smaller differences (write
// errors, ping 0 and ::, -v's ident=, pipe from ICMP errors alone, (DUP!) on broadcast runs,
// %scope names, link-local without a scope). The same command line, run with each binary;
// the lines must match once the figures that differ from run to run are normalised, and so
// must the exit status. On loopback, and in namespaces for a small MTU, a router's errors and a
// responder that duplicates. Skipped with the reason when iputils ping is not installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { NetnsLab, nsExec, nsPrefix, sh, type TestHost } from '../helpers/netns.js';
import { cliCommand, runCli, startCommand, type CliResult } from '../helpers/run-cli.js';
import { commandSkipReason, icmpSkipReason, iputilsRelease, netnsSkipReason, netRawSkipReason, sanitizerEnv } from '../helpers/skip-reasons.js';

const release = iputilsRelease();
// The options under test need raw sockets (-R, -T, -B, -e 0) as ping has them as root.
const skip = typeof release === 'string' ? release : ((await icmpSkipReason()) ?? netRawSkipReason('ping -R, -T, -B and -e 0 need raw sockets'));

/**
 * What legitimately differs between two runs, replaced by placeholders: times, rtt figures,
 * -T's absolute timestamps (ms since midnight; the differences after them are 0 or 1 ms on
 * loopback), -v's random identifier, -F's label (each run takes its own: the kernel keeps an
 * exclusive label a while after its socket closes). And iputils 20221126's old IPv6 header
 * form `PING ::1(::1)`, which rawping writes as current iputils does.
 */
function normalise(text: string): string[] {
  return (
    text
      // ping -v's debugging line on stdout (README: -v differs on purpose).
      .replace(/^ai->ai_family: .*\n/m, '')
      .replace(/^PING (\S+)\((\S+)\) /gm, 'PING $1 ($2) ')
      .replace(/ time=\d+(?:\.\d+)? ms/g, ' time=T ms')
      .replace(/, time \d+ms$/gm, ', time Tms')
      .replace(/^rtt min\/avg\/max\/mdev = [\d./]+ ms/gm, 'rtt min/avg/max/mdev = R ms')
      .replace(/, ipg\/ewma [\d./]+ ms$/gm, ', ipg/ewma I ms')
      .replace(/\t\d+ absolute/g, '\tN absolute')
      .replace(/^\t(\S+\t)?[01]$/gm, '\t$1D')
      .replace(/ ident=\d+/g, ' ident=I')
      .replace(/, flow 0x[0-9a-f]{5}, /g, ', flow F, ')
      .split('\n')
  );
}

function context(args: readonly string[], r: { ping: CliResult; rawping: CliResult }): string {
  return `ping ${args.join(' ')}\n--- iputils (exit ${r.ping.status}):\n${r.ping.stdout}${r.ping.stderr}--- rawping (exit ${r.rawping.status}):\n${r.rawping.stdout}${r.rawping.stderr}`;
}

/** Runs iputils ping, then rawping, with the same arguments (in `netns` if given). */
async function both(args: readonly string[], netns?: string, rawArgs: readonly string[] = args): Promise<{ ping: CliResult; rawping: CliResult }> {
  const prefix = netns !== undefined ? nsPrefix(netns) : [];
  const ping = await startCommand([...prefix, 'ping', ...args], { timeoutMs: 15_000 }).result;
  const rawping = await runCli(rawArgs, { ...(netns !== undefined ? { netns } : {}), timeoutMs: 15_000 });
  return { ping, rawping };
}

/** The same stdout (normalised), exit status and, unless `stderr` is false, stderr (ping: -> rawping:). */
function assertSame(args: readonly string[], r: { ping: CliResult; rawping: CliResult }, stderr = true): void {
  const c = context(args, r);
  assert.deepEqual(normalise(r.rawping.stdout), normalise(r.ping.stdout), c);
  assert.equal(r.rawping.status, r.ping.status, `same exit status\n${c}`);
  if (stderr) assert.equal(r.rawping.stderr, r.ping.stderr.replace(/^ping: /gm, 'rawping: '), `same stderr\n${c}`);
}

const LOOPBACK: string[][] = [
  // getopt: values written onto the flag, grouped flags, --, the last value wins, options after the target.
  ['-c2', '-i.2', '-Ilo', '127.0.0.1'],
  ['-qc2', '-i.2', '127.0.0.1'],
  ['-c1', '-pff', '127.0.0.1'],
  ['-c1', '-Q0x10', '-W.5', '127.0.0.1'],
  ['-c', '5', '-c', '1', '127.0.0.1'],
  ['-c1', '--', '127.0.0.1'],
  ['127.0.0.1', '-c1'],
  // ping's other options.
  ['-c2', '-i.2', '-R', '127.0.0.1'],
  ['-c2', '-i.2', '-T', 'tsonly', '127.0.0.1'],
  ['-c2', '-i.2', '-T', 'tsandaddr', '127.0.0.1'],
  ['-c2', '-i.2', '-T', 'tsprespec', '127.0.0.1', '127.0.0.1'],
  ['-c2', '-i.2', '-R', '-s', '4', '127.0.0.1'],
  ['-c2', '-i.2', '-U', '127.0.0.1'],
  ['-c2', '-i.2', '-a', '127.0.0.1'],
  ['-c2', '-i.2', '-B', '127.0.0.1'],
  ['-c2', '-i.2', '-B', '::1'],
  ['-c2', '-i.2', '-C', '127.0.0.1'],
  ['-c2', '-i.2', '-C', '::1'],
  ['-c2', '-i.2', '-d', '127.0.0.1'],
  ['-c2', '-i.2', '-L', '127.0.0.1'],
  ['-c2', '-i.2', '-m', '5', '127.0.0.1'],
  ['-c2', '-i.2', '-S', '1000', '::1'],
  ['-c2', '-i.2', '-e', '1234', '127.0.0.1'],
  ['-c2', '-i.2', '-e', '0', '127.0.0.1'],
  ['-c2', '-i.2', '-r', '127.0.0.1'],
  ['-c2', '-i.2', '-M', 'do', '127.0.0.1'],
  ['-c2', '-i.2', '-M', 'want', '-s', '3000', '127.0.0.1'],
  ['-c2', '-i.2', '-M', 'dont', '-s', '3000', '::1'],
  // The smaller ones: this host, bad values of the new options.
  ['-c1', '0'],
  ['-c1', '0.0.0.0'],
  ['-c1', '::'],
  // Names resolved as ping resolves them: both families asked for, then the one wanted.
  ['-c1', '-4', 'localhost'],
  ['-c1', '-6', 'localhost'],
  ['-c1', '-R', '-T', 'tsonly', '127.0.0.1'],
  ['-c1', '-T', 'tsall', '127.0.0.1'],
];

/**
 * `both`, again (up to three runs) when a run received less than it should have: on this shared machine
 * loopback now and then loses a packet, to iputils as to rawping (both have been seen to miss
 * icmp_seq=1), which says nothing about either. A difference of any other kind is not retried.
 */
async function bothSteady(args: readonly string[], rawArgs: readonly string[] = args): Promise<{ ping: CliResult; rawping: CliResult }> {
  const received = (r: CliResult): string => /(\d+) received/.exec(r.stdout)?.[1] ?? '';
  // The count asked for: the last -c, as getopt keeps it.
  const expected = [...args.join(' ').matchAll(/-c ?(\d+)/g)].at(-1)?.[1];
  const lost = (r: CliResult): boolean => expected !== undefined && received(r) !== '' && received(r) !== expected && !/errors/.test(r.stdout);
  let r = await both(args, undefined, rawArgs);
  for (let attempt = 1; attempt < 3 && (lost(r.ping) || lost(r.rawping)); attempt++) r = await both(args, undefined, rawArgs);
  return r;
}

describe(
  `ping's options and spellings, rawping and iputils ping (${typeof release === 'number' ? release : 'absent'}) on loopback`,
  { skip: skip ?? false },
  () => {
    for (const args of LOOPBACK) {
      test(args.join(' '), async () => {
        const r = await bothSteady(args);
        // Bad values get rawping's one line (README: every bad value exits 2 naming the flag).
        const badValue = args.includes('tsall') || (args.includes('-R') && args.includes('-T'));
        assertSame(args, r, !badValue);
        if (badValue) assert.match(r.rawping.stderr, /^rawping: [^\n]*-[RT][^\n]*\n$/);
      });
    }

    test('-v: ident= on every reply, the identifier of the socket (raw: random; -e chooses it)', async () => {
      for (const args of [
        ['-c2', '-i.2', '-v', '127.0.0.1'],
        ['-c2', '-i.2', '-v', '-e', '77', '::1'],
      ]) {
        const r = await bothSteady(args);
        // stderr differs on purpose: ping prints its descriptors, rawping its sockets.
        assertSame(args, r, false);
        assert.match(r.rawping.stdout, / icmp_seq=1 ident=\d+ ttl=/);
        if (args.includes('77')) assert.match(r.rawping.stdout, / ident=77 /);
      }
    });

    test('-F: ", flow 0x<label>, " in the header, each run with a label of its own', async () => {
      const args = ['-c2', '-i.2', '-F', '0x1a6e1', '::1'];
      const r = await bothSteady(args, ['-c2', '-i.2', '-F', '0x1a6e2', '::1']);
      assertSame(args, r);
      assert.match(r.rawping.stdout, /^PING ::1 \(::1\) , flow 0x1a6e2, 56 data bytes$/m);
    });

    test('-F twice in a row: the kernel keeps an exclusive label a while, and the second run is refused as ping is', async () => {
      const first = await runCli(['-c1', '-F', '0x1a6e3', '::1']);
      assert.equal(first.status, 0, first.stderr);
      const again = await runCli(['-c1', '-F', '0x1a6e3', '::1']);
      const ping = await startCommand(['ping', '-c1', '-F', '0x1a6e3', '::1']).result;
      assert.equal(again.status, 2);
      assert.equal(again.stderr, "rawping: can't set flowlabel: Operation not permitted\n");
      assert.equal(ping.stderr, "ping: can't set flowlabel: Operation not permitted\n");
      assert.equal(ping.status, 2);
    });

    test('a write error (stdout on /dev/full): "write error" and status 1, as ping; before, rawping exited 0', () => {
      const run = (argv: string[]): { status: number | null; stderr: string } => {
        const full = openSync('/dev/full', 'w');
        try {
          const r = spawnSync(argv[0] as string, argv.slice(1), {
            stdio: ['ignore', full, 'pipe'],
            encoding: 'utf8',
            timeout: 15_000,
            // iputils' ping runs without the sanitizer runtime test:asan preloads for node.
            env: { PATH: process.env.PATH ?? '', LC_ALL: 'C', ...(argv[0] === 'ping' ? {} : sanitizerEnv()) },
          });
          return { status: r.status, stderr: r.stderr };
        } finally {
          closeSync(full);
        }
      };
      const args = ['-c', '3', '-i', '0.2', '127.0.0.1'];
      const ping = run(['ping', ...args]);
      const rawping = run(cliCommand(args));
      assert.equal(ping.status, 1);
      assert.equal(rawping.status, ping.status);
      assert.equal(rawping.stderr, ping.stderr.replace(/^ping: /gm, 'rawping: '));
    });

    test('options of one family are refused for the other (ping ignores them: never silently here)', async () => {
      for (const [args, message] of [
        [['-c1', '-R', '::1'], /^rawping: -R applies to IPv4 only, and this target is IPv6$/m],
        [['-c1', '-T', 'tsonly', '::1'], /^rawping: -T applies to IPv4 only/m],
        [['-c1', '-F', '1', '127.0.0.1'], /^rawping: -F applies to IPv6 only/m],
      ] as const) {
        const r = await runCli(args);
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.equal(r.stdout, '');
      }
    });

    test('-R and -T need a raw socket: refused with that reason on a datagram one', async () => {
      const r = await runCli(['-c1', '-R', '--mode', 'dgram', '127.0.0.1']);
      assert.equal(r.status, 2);
      // Without ping_group_range the datagram socket itself is refused first: either way, a reason.
      assert.match(r.stderr, /^rawping: (-R needs a raw socket|no permission to open an ICMP socket)/);
    });

    test('-N is refused with its reason, status 2 (Linux answers no node information query)', async () => {
      const r = await runCli(['-c1', '-N', 'name', '::1']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^rawping: -N: IPv6 node information queries \(RFC 4620\) are not supported/);
    });

    test('--percentiles: the iputils lines unchanged, then rtt jitter/p50/p90/p99', async () => {
      const args = ['-c3', '-i.2', '127.0.0.1'];
      const plain = await bothSteady(args, [...args, '--percentiles']);
      const lines = plain.rawping.stdout.split('\n');
      assert.match(lines.at(-2) ?? '', /^rtt jitter\/p50\/p90\/p99 = \d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3} ms$/);
      // Without that last line, the output is ping's.
      const withoutSpread = { ...plain, rawping: { ...plain.rawping, stdout: `${lines.slice(0, -2).join('\n')}\n` } };
      assertSame(args, withoutSpread);
    });
  },
);

const nsSkip = skip ?? netnsSkipReason() ?? commandSkipReason('python3');
const RESPONDER = fileURLToPath(new URL('../helpers/responder.py', import.meta.url));

describe('rawping and iputils ping in namespaces: MTU, ICMP errors, duplicates, scopes', { skip: nsSkip ?? false }, () => {
  let lab: NetnsLab;
  let narrow: TestHost;
  let deaf: TestHost;
  before(() => {
    lab = NetnsLab.create();
    narrow = lab.addHost();
    deaf = lab.addHost({ echo: false });
    // The router's link to `narrow` carries 1280 bytes at most: -M do -s 1472 (a 1500-byte
    // datagram) is refused there with Frag needed, and the client learns the path MTU.
    const dev = /\bdev (\S+)/.exec(nsExec(lab.router, 'ip', ['-o', 'route', 'get', narrow.ip4]))?.[1];
    assert.ok(dev !== undefined, 'the router has a route to the host');
    sh('ip', ['-n', lab.router, 'link', 'set', 'dev', dev, 'mtu', '1280']);
    sh('ip', ['-n', narrow.ns, 'link', 'set', 'dev', 'up0', 'mtu', '1280']);
  });
  after(() => lab?.destroy());

  // The client remembers a path MTU for minutes; each binary starts without one.
  const forgetPathMtu = (): void => void sh('ip', ['-n', lab.client, 'route', 'flush', 'cache']);

  test('-M do -s 1472 over a 1280-byte link: "Frag needed and DF set (mtu = 1280)", then "local error: message too long, mtu=1280"', async () => {
    const args = ['-c', '3', '-i', '0.2', '-M', 'do', '-s', '1472', narrow.ip4];
    forgetPathMtu();
    const ping = await startCommand([...nsPrefix(lab.client), 'ping', ...args]).result;
    forgetPathMtu();
    const rawping = await runCli(args, { netns: lab.client });
    const r = { ping, rawping };
    assertSame(args, r);
    assert.match(rawping.stdout, /^From 10\.250\.1\.1 icmp_seq=1 Frag needed and DF set \(mtu = 1280\)$/m);
    assert.match(rawping.stderr, /^rawping: local error: message too long, mtu=1280$/m);
  });

  test('-M do -s 1600 over the client link itself: every probe a local error with the link MTU', async () => {
    const args = ['-c', '2', '-i', '0.2', '-M', 'do', '-s', '1600', lab.routerAddresses.ip4];
    assertSame(args, await both(args, lab.client));
  });

  test('-M want -s 1472 over the 1280-byte link: Frag needed for the first, then fragments and replies', async () => {
    const args = ['-c', '2', '-i', '0.2', '-M', 'want', '-s', '1472', narrow.ip4];
    forgetPathMtu();
    const ping = await startCommand([...nsPrefix(lab.client), 'ping', ...args]).result;
    forgetPathMtu();
    const rawping = await runCli(args, { netns: lab.client });
    assertSame(args, { ping, rawping });
  });

  test('pipe N when only ICMP errors came back (-l 3 to an unreachable route; IPv4: ping counts IPv6 errors in no pipe)', async () => {
    for (const v of [4, 6] as const) {
      // A router of its own per binary: each gets the kernel's full burst of errors.
      const ping = await startCommand([
        ...nsPrefix(lab.client),
        'ping',
        '-c',
        '3',
        '-l',
        '3',
        '-W',
        '2',
        v === 4 ? lab.addUnreachable().ip4 : lab.addUnreachable().ip6,
      ]).result;
      const target = lab.addUnreachable();
      const args = ['-c', '3', '-l', '3', '-W', '2', v === 4 ? target.ip4 : target.ip6];
      const rawping = await runCli(args, { netns: lab.client });
      // The routers differ, so do their addresses: compare the shape, and the pipe line exactly.
      const shape = (t: string): string => t.replace(/10\.250\.\d+\.\d+|fd00:250:\d+::\d+/g, 'ADDR');
      assertSame(args, { ping: { ...ping, stdout: shape(ping.stdout) }, rawping: { ...rawping, stdout: shape(rawping.stdout) } });
      if (v === 4) assert.match(rawping.stdout, /^pipe 3$/m);
      else assert.doesNotMatch(rawping.stdout, /pipe/);
    }
  });

  test('(DUP!) on a broadcast run (-b) only with -v, as ping; the duplicates are counted either way', async () => {
    const responder = startCommand(
      [...nsPrefix(deaf.ns), 'python3', RESPONDER, '--family', '4', '--address', deaf.ip4, '--max-seconds', '30', '--scenario', 'dup'],
      { timeoutMs: 35_000 },
    );
    try {
      await responder.waitFor(/ready/);
      for (const args of [
        ['-b', '-c', '2', '-i', '0.2', deaf.ip4],
        ['-b', '-v', '-c', '2', '-i', '0.2', deaf.ip4],
      ]) {
        const r = await both(args, lab.client);
        assertSame(args, r, false);
        assert.match(r.rawping.stdout, /\+\d+ duplicates/);
        if (args.includes('-v')) assert.match(r.rawping.stdout, /\(DUP!\)/);
        else assert.doesNotMatch(r.rawping.stdout, /\(DUP!\)/);
      }
    } finally {
      responder.child.kill('SIGTERM');
      await responder.result.catch(() => {});
    }
  });

  test('a link-local target without a scope: a message that says to add %iface or -I, status 2', async () => {
    const r = await runCli(['-c1', '-W1', 'fe80::1'], { netns: lab.client });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, 'rawping: fe80::1: a link-local address needs its interface: write it as fe80::1%<interface>, or give -I <interface>\n');
  });

  test('fe80::1%lo names the loopback interface, though lo has no link-local address of its own', async () => {
    const r = await runCli(['-c1', '-W1', 'fe80::1%lo'], { netns: lab.client });
    assert.match(r.stdout, /^PING fe80::1%lo \(fe80::1%lo\) 56 data bytes$/m);
    assert.doesNotMatch(r.stderr, /unknown interface/);
    const unknown = await runCli(['-c1', 'fe80::1%nosuch0'], { netns: lab.client });
    const ping = await startCommand([...nsPrefix(lab.client), 'ping', '-c1', 'fe80::1%nosuch0']).result;
    assert.equal(unknown.status, ping.status);
    assert.equal(unknown.stderr, ping.stderr.replace(/^ping: /, 'rawping: '));
  });
});
