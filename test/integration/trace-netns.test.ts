// `rawping trace` on real paths: chains of namespace routers that the test builds
// (test/helpers/netns.ts), IPv4 and IPv6, each over raw sockets (root) and over ICMP datagram
// sockets (uid 65534 with no capability, ping_group_range open in the client's namespace):
// every hop with its address and number; a router that answers nothing; routers with Linux's
// default ICMP rate limit at a fast interval (rate-limited, not lost); real loss on one link
// (from that hop on); an unreachable destination (the router's reason ends the trace); a
// destination that does not answer; a path that changes half-way. Nothing leaves the
// namespaces. The runs use --json and read its summary; the text report has a test of its own.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TraceHop, TraceSummary } from '../../src/index.js';
import { NetnsLab, nsSysctl, type Addresses, type TestHost } from '../helpers/netns.js';
import { outputLines, runCli, startCli, type CliResult, type RunCliOptions } from '../helpers/run-cli.js';
import { cliSkipReason, commandSkipReason, netnsSkipReason, sanitizerSkipReason } from '../helpers/skip-reasons.js';

const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all'];
/** Nobody with CAP_NET_RAW only, as a container with --cap-add=NET_RAW gives it. */
const NET_RAW_ONLY = ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=+net_raw', '--ambient-caps=+net_raw'];
const skip = cliSkipReason() ?? netnsSkipReason() ?? commandSkipReason('setpriv', ['--version'], 'setpriv (util-linux)');
const nftSkip = commandSkipReason('nft', ['--version'], 'nft (nftables)');

const FAMILIES = [
  { v: 4 as const, ip: (a: Addresses): string => a.ip4 },
  { v: 6 as const, ip: (a: Addresses): string => a.ip6 },
];
/** raw: as root; dgram: as nobody with no capability, through ping_group_range. */
const MODES = [
  { mode: 'raw' as const, as: {} },
  { mode: 'dgram' as const, as: { setpriv: NOBODY } },
];

function shown(r: CliResult): string {
  return `exit ${r.status} after ${Math.round(r.durationMs)} ms\nstdout:\n${r.stdout.slice(-3000)}\nstderr:\n${r.stderr}`;
}

/** The summary line of a --json run. */
function summaryOf(r: CliResult): TraceSummary {
  const last = outputLines(r.stdout).at(-1) ?? '';
  const line = JSON.parse(last) as TraceSummary & { type: string };
  assert.equal(line.type, 'summary', shown(r));
  return line;
}

const addressesOf = (hop: TraceHop): string[] => hop.addresses.map((a) => a.address);

/** A lab whose client lets every group open ICMP datagram sockets. */
function openLab(): NetnsLab {
  const lab = NetnsLab.create();
  nsSysctl(lab.client, 'net.ipv4.ping_group_range=0 2147483647');
  return lab;
}

describe('rawping trace on namespace routers', { skip: skip ?? false, concurrency: 4 }, () => {
  let lab: NetnsLab;
  let chains: TestHost[];
  let deaf: TestHost;
  const trace = (args: string[], as: Pick<RunCliOptions, 'setpriv'> = {}, timeoutMs = 20_000): Promise<CliResult> =>
    runCli(['trace', '--json', ...args], { netns: lab.client, timeoutMs, ...as });

  before(() => {
    lab = openLab();
    chains = [1, 2, 3, 4, 5].map((hops) => lab.addHost({ hops }));
    deaf = lab.addHost({ hops: 2, echo: false });
  });
  after(() => lab?.destroy());

  for (const f of FAMILIES) {
    for (const m of MODES) {
      const name = `IPv${f.v} ${m.mode}`;

      test(`${name}: chains of 1 to 5 routers, every hop with its address and number, nothing beyond the destination`, async () => {
        for (const chain of chains) {
          const r = await trace(['-c', '2', '-i', '0.1', '--mode', m.mode, f.ip(chain)], m.as);
          assert.equal(r.status, 0, shown(r));
          const s = summaryOf(r);
          const expected = [...chain.routers.map(f.ip), f.ip(chain)];
          assert.deepEqual(
            s.hops.map((h) => [h.hop, addressesOf(h)]),
            expected.map((a, i) => [i + 1, [a]]),
            shown(r),
          );
          assert.deepEqual(
            s.hops.map((h) => [h.sent, h.received, h.loss]),
            expected.map(() => [2, 2, 0]),
          );
          assert.equal(s.hops.at(-1)?.destination, true);
          assert.equal(s.reached, true);
          const start = JSON.parse(outputLines(r.stdout)[0] as string) as { socket: string };
          assert.equal(start.socket, m.mode);
        }
      });

      test(`${name}: a destination that does not answer: its routers, one silent hop, exit 1`, async () => {
        const r = await trace(['-c', '2', '-i', '0.2', '-W', '0.3', '-m', '6', '--mode', m.mode, f.ip(deaf)], m.as);
        assert.equal(r.status, 1, shown(r));
        const s = summaryOf(r);
        assert.equal(s.reached, false);
        assert.deepEqual(
          s.hops.map((h) => [h.hop, addressesOf(h), h.received]),
          [
            [1, [f.ip(deaf.routers[0] as Addresses)], 2],
            [2, [f.ip(deaf.routers[1] as Addresses)], 2],
            [3, [], 0],
          ],
          shown(r),
        );
        assert.equal(s.hops[2]?.loss, 100);
      });

      test(`${name}: an unreachable destination: the trace ends with the router's reason`, async () => {
        const unreachable = lab.addUnreachable();
        const r = await trace(['-c', '2', '-i', '0.3', '--mode', m.mode, f.ip(unreachable)], m.as);
        assert.equal(r.status, 1, shown(r));
        const s = summaryOf(r);
        assert.equal(s.reached, false);
        assert.deepEqual(
          s.hops.map((h) => [h.hop, addressesOf(h)]),
          [
            [1, [f.ip(lab.routerAddresses)]],
            [2, [f.ip(unreachable.router)]],
          ],
          shown(r),
        );
        const errors = s.hops[1]?.errors ?? [];
        assert.deepEqual(
          errors.map((e) => [e.mark, e.reason]),
          [f.v === 4 ? ['!H', 'Destination Host Unreachable'] : ['!N', 'Destination unreachable: No route']],
          shown(r),
        );
      });

      test(`${name}: a router that answers nothing is shown as rate-limited or filtered, with no loss`, { skip: nftSkip ?? false }, async () => {
        const chain = lab.addHost({ hops: 3 });
        lab.nft(chain.routerNamespaces[1] as string, { filtered: true });
        const r = await trace(['-c', '3', '-i', '0.2', '--mode', m.mode, f.ip(chain)], m.as);
        assert.equal(r.status, 0, shown(r));
        const s = summaryOf(r);
        assert.deepEqual(
          s.hops.map((h) => [h.hop, addressesOf(h).length, h.received, h.limited, h.loss]),
          [
            [1, 1, 3, 0, 0],
            [2, 0, 0, 3, 0],
            [3, 1, 3, 0, 0],
            [4, 1, 3, 0, 0],
          ],
          shown(r),
        );
      });

      test(`${name}: real loss on one link is counted from that hop on, and not before`, { skip: nftSkip ?? false }, async () => {
        // Router 2 drops every third echo request it forwards: those to hop 3 and to the
        // destination take turns while both go (hop 3, a router, gets its six and one more:
        // trace-pacing.ts), then the destination's alone, so both lose some of theirs. (A
        // round that sends a probe past the destination before its answer is in, on a loaded
        // machine, shifts whose turn it is, not that both lose.)
        const chain = lab.addHost({ hops: 3 });
        lab.nft(chain.routerNamespaces[1] as string, { drop: { every: 3 } });
        const r = await trace(['-c', '12', '-i', '0.1', '--mode', m.mode, f.ip(chain)], m.as);
        const s = summaryOf(r);
        assert.deepEqual(
          s.hops.map((h) => h.hop),
          [1, 2, 3, 4],
          shown(r),
        );
        assert.deepEqual([s.hops[0]?.lost, s.hops[1]?.lost, s.hops[3]?.sent], [0, 0, 12], shown(r));
        for (const h of s.hops.slice(2)) assert.ok(h.lost >= 1 && h.loss > 0 && h.loss < 60, `hop ${h.hop} lost ${h.lost} of ${h.sent}\n${shown(r)}`);
      });

      // The route changes while the trace runs, so the change must land within its remaining rounds.
      test(`${name}: a path that changes half-way shows both routers for the hop`, { skip: sanitizerSkipReason('time') ?? false }, async () => {
        const change = lab.addPathChange();
        const run = startCli(['trace', '--json', '-c', '6', '-i', '0.15', '--mode', m.mode, f.ip(change)], { netns: lab.client, timeoutMs: 20_000, ...m.as });
        await run.waitFor(/"type":"round","schemaVersion":1,"time":\d+,"round":2,/);
        change.change();
        const r = await run.result;
        assert.equal(r.status, 0, shown(r));
        const s = summaryOf(r);
        assert.deepEqual(
          s.hops[1]?.addresses.map((a) => a.address),
          change.via.map(f.ip),
          shown(r),
        );
        assert.equal(s.hops[1]?.received, 6);
        assert.deepEqual(
          s.hops.map((h) => h.hop),
          [1, 2, 3],
        );
      });
    }
  }

  test('the text report: a line per hop, the destination last, no empty hops beyond it', async () => {
    const chain = chains[2] as TestHost;
    const r = await runCli(['trace', '-r', '-c', '2', '-i', '0.1', chain.ip4], { netns: lab.client });
    assert.equal(r.status, 0, shown(r));
    const lines = outputLines(r.stdout);
    assert.equal(lines[0], `rawping trace to ${chain.ip4}, 30 hops max, 56 byte payloads`);
    assert.match(lines[1] ?? '', /^ Hop {2}Host +Loss% +Snt +Lim +Last +Avg +Best +Wrst +StDev +Jitter$/);
    const hops = [...chain.routers.map((a) => a.ip4), chain.ip4];
    hops.forEach((address, i) => {
      assert.match(lines[2 + i] ?? '', new RegExp(`^ {2}${i + 1}\\. {2}${address.replace(/\./g, '\\.')} +0\\.0% +2 +0( +\\d+\\.\\d{3}){6}$`), r.stdout);
    });
    assert.equal(lines.length, 2 + hops.length, r.stdout);
  });

  test('-v says which socket and that a datagram socket needs no privilege', async () => {
    const chain = chains[0] as TestHost;
    const r = await runCli(['trace', '-v', '-r', '-c', '1', chain.ip6], { netns: lab.client, setpriv: NOBODY });
    assert.equal(r.status, 0, shown(r));
    assert.match(r.stderr, /^rawping: IPv6 socket: dgram \(an unprivileged ICMP datagram socket, as net\.ipv4\.ping_group_range allows\), identifier \d+$/m);
  });
});

describe('routers with an ICMP rate limit, at a fast interval', { skip: skip ?? false, concurrency: 4 }, () => {
  // A lab of their own per run: the routers' token buckets are per destination (the client),
  // so two runs through the same routers would share them.
  const traced = async (f: (typeof FAMILIES)[number], m: (typeof MODES)[number], limitMs: number): Promise<TraceSummary> => {
    const lab = openLab();
    try {
      const chain = lab.addHost({ hops: 3 });
      lab.icmpRateLimit(limitMs, ...chain.routerNamespaces);
      const r = await runCli(['trace', '--json', '-c', '10', '-i', '0.2', '--mode', m.mode, f.ip(chain)], { netns: lab.client, timeoutMs: 20_000, ...m.as });
      assert.equal(r.status, 0, shown(r));
      return summaryOf(r);
    } finally {
      lab.destroy();
    }
  };

  for (const f of FAMILIES) {
    for (const m of MODES) {
      test(`IPv${f.v} ${m.mode}: -c 10 -i 0.2 through 3 routers with Linux's default limit: every probe answered, 0 % loss at every hop`, async () => {
        const s = await traced(f, m, 1000);
        // Each router is probed as often as that limit lets it answer (its burst of six,
        // then one a second), the destination every round.
        const routers = s.hops.slice(0, 3);
        for (const h of routers) assert.ok(h.sent >= 6 && h.sent < 10 && h.received === h.sent && h.loss === 0, `hop ${h.hop}: ${JSON.stringify(h)}`);
        assert.deepEqual([s.hops[3]?.sent, s.hops[3]?.received, s.hops[3]?.loss], [10, 10, 0]);
      });

      test(`IPv${f.v} ${m.mode}: through 3 routers with a stricter limit (one answer every 3 s): rate-limited, not lost`, async () => {
        const s = await traced(f, m, 3000);
        for (const h of s.hops.slice(0, 3))
          assert.ok(h.received < h.sent && h.limited === h.sent - h.received && h.loss === 0, `hop ${h.hop}: ${JSON.stringify(h)}`);
        assert.deepEqual(
          s.hops.map((h) => h.loss),
          [0, 0, 0, 0],
        );
        assert.equal(s.hops[3]?.received, 10);
      });
    }
  }
});

describe('the same trace as root, with only CAP_NET_RAW, and as uid 65534 without capabilities', { skip: skip ?? false }, () => {
  test('the hop lists are equal (raw sockets as root and with CAP_NET_RAW, datagram sockets as nobody)', async () => {
    const lab = openLab();
    try {
      const chain = lab.addHost({ hops: 4 });
      for (const f of FAMILIES) {
        const run = (as: Pick<RunCliOptions, 'setpriv'>, extra: string[] = []): Promise<CliResult> =>
          runCli(['trace', '--json', '-c', '3', '-i', '0.1', ...extra, f.ip(chain)], { netns: lab.client, ...as });
        const socketOf = (r: CliResult): string => (JSON.parse(outputLines(r.stdout)[0] as string) as { socket: string }).socket;
        const list = (r: CliResult): string[][] => summaryOf(r).hops.map(addressesOf);
        const root = await run({});
        const netRaw = await run({ setpriv: NET_RAW_ONLY });
        const nobody = await run({ setpriv: NOBODY });
        // -I with the client's own address: the probes leave from it, the path is the same.
        const bound = await run({}, ['-I', f.ip(lab.clientAddresses)]);
        assert.deepEqual([socketOf(root), socketOf(netRaw), socketOf(nobody), socketOf(bound)], ['raw', 'raw', 'dgram', 'raw']);
        for (const other of [netRaw, nobody, bound]) assert.deepEqual(list(other), list(root), `${shown(root)}\n${shown(other)}`);
        assert.equal(list(root).length, 5);
      }
    } finally {
      lab.destroy();
    }
  });
});
