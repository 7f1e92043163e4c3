// rawping trace against Debian's mtr (`mtr -r -n -c 3`) and traceroute (`traceroute -I -n`,
// ICMP echo probes as rawping's) on the same namespace routers: the same hop addresses in the
// same order, to the destination and no further; and, on a path whose end does not answer,
// the same routers before the silence. IPv4 and IPv6. Skipped, with the reason, without the
// peers (.ci/run installs mtr-tiny and traceroute) or without namespaces.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TraceSummary } from '../../src/index.js';
import { NetnsLab, nsPrefix, type Addresses, type TestHost } from '../helpers/netns.js';
import { outputLines, runCli, startCommand, type CliResult } from '../helpers/run-cli.js';
import { cliSkipReason, commandSkipReason, netnsSkipReason } from '../helpers/skip-reasons.js';

const mtrSkip = commandSkipReason('mtr', ['--version'], 'mtr (mtr-tiny)');
const tracerouteSkip = commandSkipReason('traceroute', ['--version'], 'traceroute');
const skip = cliSkipReason() ?? netnsSkipReason();

const FAMILIES = [
  { v: 4 as const, ip: (a: Addresses): string => a.ip4 },
  { v: 6 as const, ip: (a: Addresses): string => a.ip6 },
];

function shown(r: CliResult): string {
  return `exit ${r.status}\nstdout:\n${r.stdout.slice(-2000)}\nstderr:\n${r.stderr}`;
}

/** rawping trace's hops: the first address of each, '???' for a silent one. */
async function rawpingHops(netns: string, target: string, extra: string[] = []): Promise<string[]> {
  const r = await runCli(['trace', '--json', '-c', '3', '-i', '0.1', ...extra, target], { netns, timeoutMs: 20_000 });
  const summary = JSON.parse(outputLines(r.stdout).at(-1) ?? '') as TraceSummary;
  return summary.hops.map((h) => h.addresses[0]?.address ?? '???');
}

/** mtr -r's hops: `  1.|-- 10.250.1.1   0.0% ...`, '???' for a silent one; in hop order. */
function mtrHops(r: CliResult): string[] {
  const hops: string[] = [];
  for (const line of outputLines(r.stdout)) {
    const m = /^\s*(\d+)\.\|-- (\S+)/.exec(line);
    if (m !== null) {
      assert.equal(Number(m[1]), hops.length + 1, shown(r));
      hops.push(m[2] as string);
    }
  }
  return hops;
}

/** traceroute's hops: `  1  10.250.1.1  0.045 ms ...`, the first address that answered, '???' for `* * *`. */
function tracerouteHops(r: CliResult): string[] {
  const hops: string[] = [];
  for (const line of outputLines(r.stdout).slice(1)) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (m === null) continue;
    assert.equal(Number(m[1]), hops.length + 1, shown(r));
    hops.push(/([0-9a-f:.]+[0-9a-f])\s+\d/.exec(m[2] as string)?.[1] ?? '???');
  }
  return hops;
}

describe('rawping trace, mtr and traceroute on the same routers', { skip: skip ?? false, concurrency: 4 }, () => {
  let lab: NetnsLab;
  let chain: TestHost;
  let deaf: TestHost;
  const peer = (argv: string[], timeoutMs = 30_000): Promise<CliResult> => startCommand([...nsPrefix(lab.client), ...argv], { timeoutMs }).result;

  before(() => {
    lab = NetnsLab.create();
    chain = lab.addHost({ hops: 3 });
    deaf = lab.addHost({ hops: 2, echo: false });
  });
  after(() => lab?.destroy());

  for (const f of FAMILIES) {
    test(`IPv${f.v}: mtr -r -n -c 3 shows the same hops in the same order`, { skip: mtrSkip ?? false }, async () => {
      const expected = [...chain.routers.map(f.ip), f.ip(chain)];
      const ours = await rawpingHops(lab.client, f.ip(chain));
      const r = await peer(['mtr', '-r', '-n', '-c', '3', '-i', '0.1', f.ip(chain)]);
      assert.equal(r.status, 0, shown(r));
      assert.deepEqual(mtrHops(r), ours, shown(r));
      assert.deepEqual(ours, expected);
    });

    test(`IPv${f.v}: traceroute -I -n shows the same hops in the same order`, { skip: tracerouteSkip ?? false }, async () => {
      const ours = await rawpingHops(lab.client, f.ip(chain));
      const r = await peer(['traceroute', '-I', '-n', '-q', '1', '-w', '2', f.ip(chain)]);
      assert.equal(r.status, 0, shown(r));
      assert.deepEqual(tracerouteHops(r), ours, shown(r));
      assert.equal(ours.length, 4);
    });

    test(`IPv${f.v}: a destination that does not answer: the same routers before the silence`, { skip: tracerouteSkip ?? false }, async () => {
      const ours = await rawpingHops(lab.client, f.ip(deaf), ['-m', '5', '-W', '0.3']);
      const r = await peer(['traceroute', '-I', '-n', '-q', '1', '-w', '0.3', '-m', '5', f.ip(deaf)]);
      // traceroute goes on to -m with a line of stars per hop; rawping stops at the first silent one.
      const theirs = tracerouteHops(r);
      assert.deepEqual(theirs.slice(0, ours.length), ours, shown(r));
      assert.deepEqual(ours, [...deaf.routers.map(f.ip), '???']);
      assert.ok(
        theirs.slice(ours.length).every((h) => h === '???'),
        shown(r),
      );
    });
  }
});
