// rawping against iputils `ping` itself: the same command line, run side by side, must give
// the same lines once the figures that differ from run to run (times, rtt statistics, -D
// timestamps) are normalised, and the same exit status. On loopback, and in namespaces for
// the router's answers (Time Exceeded, Destination Unreachable) and for silence.
// Skipped, with the reason, when iputils ping is not installed or namespaces cannot be made.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NetnsLab, nsPrefix, type Addresses, type TestHost } from '../helpers/netns.js';
import { runCli, startCommand, type CliResult } from '../helpers/run-cli.js';
import { icmpSkipReason, iputilsRelease, netnsSkipReason } from '../helpers/skip-reasons.js';

const release = iputilsRelease();
const skip = typeof release === 'string' ? release : await icmpSkipReason();

/**
 * Replaces what legitimately differs between two runs with placeholders. And one known
 * difference of versions: iputils before 20231222 (Debian 12 has 20221126) prints the IPv6
 * header as `PING ::1(::1) 56 data bytes`, with no space before the parenthesis; rawping
 * follows current iputils, `PING ::1 (::1) 56 data bytes`. The space is restored in the old
 * form so both compare equal (an IPv4 header never matches: its name is followed by a space).
 */
function normalise(text: string): string[] {
  return text
    .replace(/^PING (\S+)\((\S+)\) (\d+ data bytes)$/m, 'PING $1 ($2) $3')
    .replace(/^\[\d+\.\d{6}\] /gm, '[TIMESTAMP] ')
    .replace(/ time=\d+(?:\.\d+)? ms/g, ' time=T ms')
    .replace(/, time \d+ms$/gm, ', time Tms')
    .replace(/^rtt min\/avg\/max\/mdev = \d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3} ms/gm, 'rtt min/avg/max/mdev = R ms')
    .replace(/, ipg\/ewma \d+\.\d{3}\/\d+\.\d{3} ms$/gm, ', ipg/ewma I ms')
    .split('\n');
}

/** Runs iputils ping and rawping with the same arguments at the same time (in `netns` if given). */
async function both(args: string[], netns?: string): Promise<{ ping: CliResult; rawping: CliResult }> {
  const prefix = netns !== undefined ? nsPrefix(netns) : [];
  const [ping, rawping] = await Promise.all([
    startCommand([...prefix, 'ping', ...args], { timeoutMs: 15_000 }).result,
    runCli(args, { ...(netns !== undefined ? { netns } : {}), timeoutMs: 15_000 }),
  ]);
  return { ping, rawping };
}

function assertSame(args: string[], r: { ping: CliResult; rawping: CliResult }): void {
  const context = `ping ${args.join(' ')}\n--- iputils (exit ${r.ping.status}):\n${r.ping.stdout}${r.ping.stderr}--- rawping (exit ${r.rawping.status}):\n${r.rawping.stdout}${r.rawping.stderr}`;
  assert.deepEqual(normalise(r.rawping.stdout), normalise(r.ping.stdout), context);
  assert.equal(r.rawping.status, r.ping.status, `same exit status\n${context}`);
  assert.equal(r.rawping.stderr, r.ping.stderr.replace(/^ping: /gm, 'rawping: '), `same stderr\n${context}`);
}

describe(
  `rawping and iputils ping (${typeof release === 'number' ? release : 'absent'}) on loopback: the same output`,
  { skip: skip ?? false, concurrency: 3 },
  () => {
    const cases: string[][] = [
      ['-c', '3', '-i', '0.2', '127.0.0.1'],
      ['-c', '2', '-i', '0.2', '::1'],
      ['-c', '2', '-i', '0.2', '-q', '127.0.0.1'],
      ['-c', '2', '-i', '0.2', '-s', '8', '127.0.0.1'],
      ['-c', '2', '-i', '0.2', '-s', '1000', '-t', '7', '127.0.0.1'],
      ['-c', '2', '-i', '0.2', '-p', 'ff', '127.0.0.1'],
      ['-c', '2', '-i', '0.2', '-D', '::1'],
      // ping keeps -i in whole milliseconds: 0.0002 is -i 0, a probe per reply, ipg/ewma shown.
      ['-c', '5', '-i', '0.0002', '-q', '127.0.0.1'],
    ];
    for (const args of cases) {
      test(args.join(' '), async () => assertSame(args, await both(args)));
    }
  },
);

const nsSkip = skip ?? netnsSkipReason();

describe('rawping and iputils ping in namespaces: the router answers, the same output', { skip: nsSkip ?? false, concurrency: 3 }, () => {
  let lab: NetnsLab;
  let host: TestHost;
  let deaf: TestHost;
  let blackhole: Addresses;
  before(() => {
    lab = NetnsLab.create();
    host = lab.addHost();
    deaf = lab.addHost({ echo: false });
    blackhole = lab.addBlackhole();
  });
  after(() => lab?.destroy());

  for (const v of [4, 6] as const) {
    const ip = (a: Addresses): string => (v === 4 ? a.ip4 : a.ip6);
    test(`IPv${v}: a live host through the router`, async () => {
      const args = ['-c', '2', '-i', '0.2', ip(host)];
      assertSame(args, await both(args, lab.client));
    });
    test(`IPv${v}: an unreachable route on a router`, async () => {
      // Its own router: 2 + 2 errors stay inside the kernel's burst of 5 (see addUnreachable).
      const args = ['-c', '2', '-i', '0.2', '-W', '2', ip(lab.addUnreachable())];
      assertSame(args, await both(args, lab.client));
    });
    test(`IPv${v}: -t 1 through the router`, async () => {
      const args = ['-c', '2', '-i', '0.2', '-W', '2', '-t', '1', ip(host)];
      assertSame(args, await both(args, lab.client));
    });
    test(`IPv${v}: a blackhole route`, async () => {
      const args = ['-c', '2', '-W', '1', ip(blackhole)];
      assertSame(args, await both(args, lab.client));
    });
    test(`IPv${v}: a host that ignores echo requests`, async () => {
      const args = ['-c', '2', '-i', '0.2', '-W', '1', ip(deaf)];
      assertSame(args, await both(args, lab.client));
    });
  }
});
