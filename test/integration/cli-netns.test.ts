// The CLI against hosts made in network namespaces (test/helpers/netns.ts): a live host
// through a router (ttl 63), a host three routers away (ttl 61), Time to live exceeded from
// the router that drops the probe, Destination Host Unreachable from a router with an
// `unreachable` route, silence from a `blackhole` route and from a host that ignores echo
// requests. IPv4 and IPv6, each as iputils words it. Nothing leaves the namespaces.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NetnsLab, nsExec, type Addresses, type TestHost } from '../helpers/netns.js';
import { outputLines, re, REPLY_TIME, runCli, type CliResult } from '../helpers/run-cli.js';
import { cliSkipReason, netnsSkipReason } from '../helpers/skip-reasons.js';

const skip = cliSkipReason() ?? netnsSkipReason();

/** The statistics block's counts line. */
function countsLine(r: CliResult): string {
  const lines = outputLines(r.stdout);
  const i = lines.findIndex((l) => / ping statistics ---$/.test(l));
  assert.ok(i > 0, `no statistics block:\n${r.stdout}`);
  assert.equal(lines[i - 1], '', 'a blank line before the statistics');
  return lines[i + 1] ?? '';
}

function shown(r: CliResult): string {
  return `exit ${r.status} after ${Math.round(r.durationMs)} ms\nstdout:\n${r.stdout}stderr:\n${r.stderr}`;
}

const families = [
  { v: 4 as const, ip: (a: Addresses) => a.ip4 },
  { v: 6 as const, ip: (a: Addresses) => a.ip6 },
];

describe('CLI through a router in network namespaces', { skip: skip ?? false, concurrency: 4 }, () => {
  let lab: NetnsLab;
  let host: TestHost;
  let far: TestHost;
  let deaf: TestHost;
  let blackhole: Addresses;
  const run = (args: string[], timeoutMs = 15_000): Promise<CliResult> => runCli(args, { netns: lab.client, timeoutMs });

  before(() => {
    lab = NetnsLab.create();
    host = lab.addHost();
    far = lab.addHost({ hops: 3 });
    deaf = lab.addHost({ echo: false });
    blackhole = lab.addBlackhole();
  });
  after(() => lab?.destroy());

  // The router's link-local address on the client's link, reached through the interface
  // named by -I or by a %scope; ping shows the sender as fe80::...%up0 either way.
  test('IPv6 link-local: the router answers through -I up0 and through %up0, shown with its interface', async () => {
    const linkLocalOf = (ns: string, dev: string): string | undefined =>
      /inet6 (fe80::[0-9a-f:]+)\//.exec(nsExec(ns, 'ip', ['-6', '-o', 'addr', 'show', 'dev', dev, 'scope', 'link']))?.[1];
    // The kernel adds link-local addresses a moment after a link comes up; a %scope or -I name
    // means an interface only once it has one. Bounded wait: 5 s.
    for (let i = 0; i < 50 && (linkLocalOf(lab.client, 'up0') === undefined || linkLocalOf(lab.router, 'down0') === undefined); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const linkLocal = linkLocalOf(lab.router, 'down0');
    assert.ok(linkLocal !== undefined && linkLocalOf(lab.client, 'up0') !== undefined, 'no link-local addresses on the client link after 5 s');
    for (const args of [['-I', 'up0', linkLocal], [`${linkLocal}%up0`]]) {
      const r = await run(['-c', '1', ...args]);
      assert.equal(r.status, 0, shown(r));
      const reply = new RegExp(`^64 bytes from ${re(linkLocal)}%up0: icmp_seq=1 ttl=64 time=${REPLY_TIME} ms$`);
      assert.match(outputLines(r.stdout)[1] ?? '', reply, shown(r));
    }
  });

  for (const { v, ip } of families) {
    test(`IPv${v}: a live host through the router answers with ttl=63; exit 0`, async () => {
      const target = ip(host);
      const r = await run(['-c', '2', '-i', '0.2', target]);
      assert.equal(r.status, 0, shown(r));
      const lines = outputLines(r.stdout);
      assert.equal(lines[0], v === 4 ? `PING ${target} (${target}) 56(84) bytes of data.` : `PING ${target} (${target}) 56 data bytes`);
      for (const seq of [1, 2]) {
        assert.match(lines[seq] ?? '', new RegExp(`^64 bytes from ${re(target)}: icmp_seq=${seq} ttl=63 time=${REPLY_TIME} ms$`), shown(r));
      }
      assert.match(countsLine(r), /^2 packets transmitted, 2 received, 0% packet loss, time \d+ms$/);
    });

    test(`IPv${v}: three routers away: ttl=61 with -t 4, Time Exceeded from the third router with -t 3`, async () => {
      const target = ip(far);
      const [reach, short] = await Promise.all([run(['-c', '1', '-t', '4', target]), run(['-c', '1', '-W', '2', '-t', '3', target])]);
      assert.equal(reach.status, 0, shown(reach));
      assert.match(reach.stdout, new RegExp(`^64 bytes from ${re(target)}: icmp_seq=1 ttl=61 time=${REPLY_TIME} ms$`, 'm'), shown(reach));
      const third = ip(far.routers[2] as Addresses);
      const words = v === 4 ? 'Time to live exceeded' : 'Time exceeded: Hop limit';
      assert.equal(short.status, 1, shown(short));
      assert.equal(outputLines(short.stdout)[1], `From ${third} icmp_seq=1 ${words}`, shown(short));
      assert.match(countsLine(short), /^1 packets transmitted, 0 received, \+1 errors, 100% packet loss, time \d+ms$/);
    });

    test(`IPv${v}: -t 1 to a host behind the router: "From <router> icmp_seq=N ${v === 4 ? 'Time to live exceeded' : 'Time exceeded: Hop limit'}"; exit 1`, async () => {
      const r = await run(['-c', '2', '-i', '0.2', '-W', '10', '-t', '1', ip(host)]);
      assert.equal(r.status, 1, shown(r));
      const router = ip(lab.routerAddresses);
      const words = v === 4 ? 'Time to live exceeded' : 'Time exceeded: Hop limit';
      const lines = outputLines(r.stdout);
      assert.deepEqual(lines.slice(1, 3), [`From ${router} icmp_seq=1 ${words}`, `From ${router} icmp_seq=2 ${words}`], shown(r));
      assert.match(countsLine(r), /^2 packets transmitted, 0 received, \+2 errors, 100% packet loss, time \d+ms$/);
      assert.equal(lines[lines.length - 1], '', 'no rtt line when nothing came back');
      // Errors answer the probes: no waiting out the 10 s timeout. (With a 2 s timeout and a
      // 2 s bound, a loaded machine under npm run test:asan once took 2.1 s for a 0.3 s run.)
      assert.ok(r.durationMs < 8000, shown(r));
    });

    test(`IPv${v}: a router with an unreachable route: "${v === 4 ? 'Destination Host Unreachable' : 'Destination unreachable: No route'}", +3 errors, exit 1`, async () => {
      // A router of its own per test: see NetnsLab.addUnreachable on the kernel's rate limit.
      const unreachable = lab.addUnreachable();
      const r = await run(['-c', '3', '-i', '0.2', '-W', '10', ip(unreachable)]);
      assert.equal(r.status, 1, shown(r));
      const router = ip(unreachable.router);
      // The kernel sends ICMP type 3 code 1 (host unreachable) for an IPv4 `unreachable` route
      // and ICMPv6 type 1 code 0 (no route to destination) for an IPv6 one; these are
      // iputils' words for those codes.
      const words = v === 4 ? 'Destination Host Unreachable' : 'Destination unreachable: No route';
      const lines = outputLines(r.stdout);
      assert.deepEqual(
        lines.slice(1, 4),
        [1, 2, 3].map((seq) => `From ${router} icmp_seq=${seq} ${words}`),
        shown(r),
      );
      assert.match(countsLine(r), /^3 packets transmitted, 0 received, \+3 errors, 100% packet loss, time \d+ms$/);
      assert.equal(lines[lines.length - 1], '', 'no rtt line');
      // No waiting out the 10 s timeout: the errors answer the probes.
      assert.ok(r.durationMs < 8000, shown(r));
    });

    test(`IPv${v}: --json reports the router's error with its type, code and iputils' wording`, async () => {
      const unreachable = lab.addUnreachable();
      const r = await run(['--json', '-c', '1', '-W', '2', ip(unreachable)]);
      assert.equal(r.status, 1, shown(r));
      const events = outputLines(r.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.deepEqual(
        events.map((e) => e.type),
        ['start', 'error', 'summary'],
      );
      const error = events[1] as Record<string, unknown>;
      assert.equal(error.kind, 'destination-unreachable');
      assert.equal(error.from, ip(unreachable.router));
      assert.equal(error.sequence, 1);
      assert.deepEqual([error.icmpType, error.icmpCode], v === 4 ? [3, 1] : [1, 0]);
      assert.equal(error.reason, v === 4 ? 'Destination Host Unreachable' : 'Destination unreachable: No route');
      const summary = (events[2] as { summary: Record<string, unknown> }).summary;
      assert.deepEqual([summary.transmitted, summary.received, summary.errors, summary.loss], [1, 0, 1, 100]);
    });

    test(`IPv${v}: a blackhole route: -c 2 -W 1 ends in about 2 s with 100% packet loss; exit 1`, async () => {
      const r = await run(['-c', '2', '-W', '1', ip(blackhole)]);
      assert.equal(r.status, 1, shown(r));
      assert.deepEqual(outputLines(r.stdout).slice(1, 3), ['', `--- ${ip(blackhole)} ping statistics ---`], shown(r));
      assert.match(countsLine(r), /^2 packets transmitted, 0 received, 100% packet loss, time \d+ms$/);
      assert.equal(r.stderr, '');
      // Sends at 0 and 1 s, then waits -W 1 for the last: about 2 s (plus node's start-up).
      assert.ok(r.durationMs >= 1000 && r.durationMs < 8000, shown(r)); // not the 11 s a default 10 s linger would take; loaded machines start node slowly
    });

    test(`IPv${v}: -w 2 to a blackhole: the deadline ends the run at about 2 s; exit 1`, async () => {
      const r = await run(['-w', '2', '-i', '0.5', ip(blackhole)]);
      assert.equal(r.status, 1, shown(r));
      assert.match(countsLine(r), /^[45] packets transmitted, 0 received, 100% packet loss, time \d+ms$/);
      assert.ok(r.durationMs >= 1900 && r.durationMs < 8000, shown(r)); // a deadline that did not hold would run on
    });

    test(`IPv${v}: a host that ignores echo requests: 100% packet loss; exit 1`, async () => {
      const r = await run(['-c', '2', '-i', '0.2', '-W', '1', ip(deaf)]);
      assert.equal(r.status, 1, shown(r));
      assert.match(countsLine(r), /^2 packets transmitted, 0 received, 100% packet loss, time \d+ms$/);
      assert.doesNotMatch(r.stdout, /bytes from|From /);
    });
  }

  // As ping, a local routing failure is found before the first probe, by connecting a UDP
  // socket (route-check.ts); Node reports connect() errors to its callback, not as 'error'.
  for (const { v, ip } of families) {
    test(`IPv${v}: no route to the target at all: "rawping: connect: Network is unreachable", exit 2, as iputils`, async () => {
      const isolated = lab.addIsolated();
      const r = await runCli(['-c', '1', '-W', '1', ip({ ip4: '10.250.254.1', ip6: 'fd00:250:254::1' })], { netns: isolated });
      assert.equal(r.stdout, '', shown(r));
      assert.equal(r.stderr, 'rawping: connect: Network is unreachable\n', shown(r));
      assert.equal(r.status, 2, shown(r));
    });
  }
});
