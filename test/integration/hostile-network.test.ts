// docs/hostile-inputs.md #1-#18 (each test is named by its item's number) through the real CLI
// and the real library: a scripted responder (test/helpers/responder.py) on a test host whose
// kernel echo is off answers the probes as each test says, and rawping runs in the client
// namespace. Every check is on exact counts, the exit status, and that no stack trace ever
// appears.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NetnsLab, nsPrefix, sh, type TestHost } from '../helpers/netns.js';
import { runCli, startCommand, statisticsCounts, type CliResult } from '../helpers/run-cli.js';
import { runModule } from '../helpers/run-module.js';
import { cliSkipReason, commandSkipReason, libraryBuildSkipReason, netnsSkipReason } from '../helpers/skip-reasons.js';

const RESPONDER = fileURLToPath(new URL('../helpers/responder.py', import.meta.url));
const DIST = new URL('../../dist/index.js', import.meta.url).href;
// The responder is a Python script; the library runs come from dist/.
const skip = netnsSkipReason() ?? cliSkipReason() ?? libraryBuildSkipReason() ?? commandSkipReason('python3');

let lab: NetnsLab;
let host: TestHost;
let alt4: string;
let alt6: string;

/** Starts the responder in the host namespace and waits for it to be ready. */
async function responder(family: 4 | 6, scenario: string, extra: string[] = []): Promise<() => Promise<void>> {
  const address = family === 4 ? host.ip4 : host.ip6;
  const running = startCommand(
    [
      ...nsPrefix(host.ns),
      'python3',
      RESPONDER,
      '--family',
      String(family),
      '--address',
      address,
      '--alt-source',
      family === 4 ? alt4 : alt6,
      '--max-seconds',
      '30',
      '--scenario',
      scenario,
      ...extra,
    ],
    { timeoutMs: 35_000 },
  );
  await running.waitFor(/ready/);
  return async () => {
    running.child.kill('SIGTERM');
    // The whole of stderr, read to its end: a traceback printed while stopping counts too.
    const { stderr } = await running.result;
    assert.doesNotMatch(stderr, /Traceback/, `the responder itself failed:\n${stderr}`);
  };
}

/** Runs the CLI in the client namespace against the host while `scenario` plays. */
async function ping(family: 4 | 6, scenario: string, args: string[], extra: string[] = []): Promise<CliResult> {
  const stop = await responder(family, scenario, extra);
  try {
    const result = await runCli([...args, family === 4 ? host.ip4 : host.ip6], { netns: lab.client, timeoutMs: 20_000 });
    assert.doesNotMatch(result.stderr, /\n\s+at |Error:|TypeError|RangeError/, 'no stack trace');
    return result;
  } finally {
    await stop();
  }
}

const counts = statisticsCounts;

function lines(r: CliResult, pattern: RegExp): string[] {
  return r.stdout.split('\n').filter((l) => pattern.test(l));
}

/** Runs a library snippet (ESM, `rawping` imported as `lib`) in the client namespace; returns what it prints as JSON. */
async function library(family: 4 | 6, scenario: string, body: string, extra: string[] = []): Promise<unknown> {
  const target = family === 4 ? host.ip4 : host.ip6;
  const stop = await responder(family, scenario, extra);
  try {
    return await runModule(`import * as lib from ${JSON.stringify(DIST)};\nconst target = ${JSON.stringify(target)};\n${body}\n`, { netns: lab.client });
  } finally {
    await stop();
  }
}

// Collects a pinger's events by type and its summary.
const COLLECT = `
async function collect(options) {
  const pinger = lib.createPinger(target, options);
  const events = {};
  for await (const e of pinger) events[e.type] = (events[e.type] ?? 0) + 1;
  const s = await pinger.done;
  return { events, received: s.received, duplicates: s.duplicates, corrupted: s.corrupted, errors: s.errors, late: s.late, transmitted: s.transmitted, maxRtt: s.rtt?.max ?? null };
}`;

describe('hostile network', { skip: skip ?? false }, () => {
  before(() => {
    lab = NetnsLab.create();
    host = lab.addHost({ echo: false });
    // A second address in the host's own subnet, for replies "from somewhere else".
    alt4 = host.ip4.replace(/\.2$/, '.3');
    alt6 = host.ip6.replace(/::2$/, '::3');
    sh('ip', ['-n', host.ns, 'addr', 'add', `${alt4}/24`, 'dev', 'up0']);
    sh('ip', ['-n', host.ns, 'addr', 'add', `${alt6}/64`, 'dev', 'up0', 'nodad']);
  });
  after(() => lab?.destroy());

  const C3 = ['-c', '3', '-i', '0.2', '-W', '1'];

  test('1. a forged time in the payload changes nothing: RTT from our own stamps, finite, and on schedule', async () => {
    const r = await ping(4, 'forged-time', C3);
    assert.equal(r.status, 0);
    assert.match(counts(r), /^3 packets transmitted, 3 received, 0% packet loss/);
    const rtt = /rtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/([\d.]+)\//.exec(r.stdout);
    assert.ok(rtt !== null && Number(rtt[1]) < 1000, `max RTT ${rtt?.[1]} ms is a real figure`);
    assert.ok(r.durationMs < 5000, `ended on schedule (${r.durationMs} ms)`);
    const lib = (await library(4, 'forged-time', `${COLLECT}\nconsole.log(JSON.stringify(await collect({ count: 3, interval: 50 })));`)) as {
      received: number;
      maxRtt: number;
    };
    assert.equal(lib.received, 3);
    assert.ok(lib.maxRtt >= 0 && lib.maxRtt < 1000);
  });

  test('2. right identifier and sequence from the wrong source address: not a reply of the target', async () => {
    const r = await ping(4, 'other-source', C3);
    assert.equal(r.status, 1);
    assert.match(counts(r), /^3 packets transmitted, 0 received, 100% packet loss/);
    assert.deepEqual(lines(r, /bytes from/), []);
    const r6 = await ping(6, 'other-source', C3);
    assert.match(counts(r6), /^3 packets transmitted, 0 received, 100% packet loss/);
  });

  test('3. the same identifier with another cookie (another process) is never counted', async () => {
    const r = await ping(4, 'not-ours', C3);
    assert.match(counts(r), /^3 packets transmitted, 0 received, 100% packet loss/);
    const forgedCookie = await ping(4, 'forged-cookie', C3);
    assert.match(counts(forgedCookie), /^3 packets transmitted, 0 received, 100% packet loss/);
  });

  test('4. each reply 100 times: counted once, the rest duplicates; loss never negative; the run settles once', async () => {
    const r = await ping(4, 'dup', ['-c', '2', '-i', '0.5', '-W', '1'], ['--n', '100']);
    assert.equal(r.status, 0);
    // The run ends with the second probe's first reply (as ping), so its copies are not seen.
    assert.match(counts(r), /^2 packets transmitted, 2 received, \+99 duplicates, 0% packet loss/);
    assert.equal(lines(r, /\(DUP!\)$/).length, 99);
    const lib = (await library(4, 'dup', `${COLLECT}\nconsole.log(JSON.stringify(await collect({ count: 2, interval: 300 })));`, ['--n', '5'])) as {
      received: number;
      duplicates: number;
      events: Record<string, number>;
    };
    assert.equal(lib.received, 2);
    assert.equal(lib.duplicates, 4);
    assert.equal(lib.events.summary, 1);
  });

  test('5. replies after their timeout are late: no RTT sample, not received', async () => {
    const r = await ping(4, 'late', ['-c', '2', '-i', '0.2', '-W', '0.5'], ['--ms', '900']);
    assert.equal(r.status, 1);
    assert.match(counts(r), /^2 packets transmitted, 0 received, 100% packet loss/);
    assert.doesNotMatch(r.stdout, /rtt min/);
    const lib = (await library(
      4,
      'late',
      `${COLLECT}\nconst result = await collect({ count: 3, interval: 200, timeout: 300 });\nconsole.log(JSON.stringify(result));`,
      ['--ms', '450'],
    )) as { received: number; late: number; maxRtt: number | null; events: Record<string, number> };
    assert.equal(lib.received, 0);
    assert.equal(lib.maxRtt, null);
    assert.ok(lib.late >= 1, 'at least the first late reply arrives while the run goes on');
    assert.equal(lib.events.timeout, 3);
  });

  test('6. more than 65535 probes: the sequence wraps, none is reused in flight, statistics stay right', async () => {
    const r = await runCli(['-f', '-q', '-c', '70000', '127.0.0.1'], { timeoutMs: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(counts(r), /^70000 packets transmitted, 70000 received, 0% packet loss/);
  });

  test('7. our own echo requests seen on loopback are never taken for replies', async () => {
    const r = await runCli(['-c', '5', '-i', '0.05', '127.0.0.1'], { timeoutMs: 10_000 });
    assert.match(counts(r), /^5 packets transmitted, 5 received, 0% packet loss/);
    assert.deepEqual(lines(r, /DUP/), []);
  });

  test('8. a reply with 40 bytes of IP options (bad record-route pointer, unknown option) is read at IHL*4', async () => {
    const r = await ping(4, 'ip-options', C3);
    assert.equal(r.status, 0);
    assert.match(counts(r), /^3 packets transmitted, 3 received, 0% packet loss/);
    assert.equal(lines(r, /^64 bytes from .*: icmp_seq=\d ttl=63 time=/).length, 3);
  });

  test('9. bad outer headers (IHL 4, version 5, IHL beyond the data, ICMP under 8 bytes) are dropped', async () => {
    const r = await ping(4, 'bad-outer', C3);
    assert.equal(r.status, 0);
    assert.match(counts(r), /^3 packets transmitted, 3 received, 0% packet loss/);
  });

  test('10. a reply cut short still counts and is flagged truncated', async () => {
    const r = await ping(4, 'truncated', C3, ['--n', '20']);
    assert.equal(r.status, 0);
    assert.match(counts(r), /^3 packets transmitted, 3 received, 0% packet loss/);
    assert.equal(lines(r, /^20 bytes from .*icmp_seq=\d ttl=63 \(truncated\)$/).length, 3);
    const empty = await ping(4, 'empty', C3);
    assert.match(counts(empty), /^3 packets transmitted, 3 received/);
  });

  test('11. a bad ICMP checksum counts as corrupted, never as received', async () => {
    const r = await ping(4, 'bad-checksum', C3);
    assert.equal(r.status, 1);
    assert.match(counts(r), /^3 packets transmitted, 0 received, \+3 corrupted, 100% packet loss/);
    assert.equal(lines(r, /\(BAD CHECKSUM!\)$/).length, 3);
    const lib = (await library(4, 'bad-checksum', `${COLLECT}\nconsole.log(JSON.stringify(await collect({ count: 2, interval: 100, timeout: 300 })));`)) as {
      received: number;
      corrupted: number;
    };
    assert.deepEqual([lib.received, lib.corrupted], [0, 2]);
  });

  describe('12. ICMP errors quoting our probe: matched, with the router address and a readable reason', () => {
    const cases: [string[], RegExp][] = [
      [['--type', '3', '--code', '0'], /Destination Net Unreachable$/],
      [['--type', '3', '--code', '1'], /Destination Host Unreachable$/],
      [['--type', '3', '--code', '3'], /Destination Port Unreachable$/],
      [['--type', '3', '--code', '4', '--info', '1400'], /Frag needed and DF set \(mtu = 1400\)$/],
      [['--type', '3', '--code', '13'], /Packet filtered$/],
      [['--type', '3', '--code', '15'], /Precedence Cutoff$/],
      [['--type', '11', '--code', '0'], /Time to live exceeded$/],
      [['--type', '12', '--code', '0', '--info', '20'], /Parameter problem: pointer = 20$/],
    ];
    for (const [extra, reason] of cases) {
      test(`type ${extra[1]} code ${extra[3]}`, async () => {
        const r = await ping(4, 'error', C3, extra);
        assert.equal(r.status, 1);
        assert.match(counts(r), /^3 packets transmitted, 0 received, \+3 errors, 100% packet loss/);
        const from = lines(r, /^From /);
        assert.equal(from.length, 3);
        for (const [i, line] of from.entries()) {
          assert.ok(line.startsWith(`From ${alt4} icmp_seq=${i + 1} `), line);
          assert.match(line, reason);
        }
      });
    }

    test('with 40 bytes of IP options in the quoted header', async () => {
      const r = await ping(4, 'error-options', C3, ['--type', '11', '--code', '0']);
      assert.match(counts(r), /\+3 errors/);
      assert.equal(lines(r, /^From .* Time to live exceeded$/).length, 3);
    });

    const cases6: [string[], RegExp][] = [
      [['--type', '1', '--code', '3'], /Destination unreachable: Address unreachable$/],
      [['--type', '1', '--code', '1'], /Destination unreachable: Administratively prohibited$/],
      [['--type', '2', '--code', '0', '--info', '1280'], /Packet too big: mtu=1280$/],
      [['--type', '3', '--code', '0'], /Time exceeded: Hop limit$/],
      [['--type', '4', '--code', '1', '--info', '40'], /Parameter problem: Unknown header at 40$/],
    ];
    for (const [extra, reason] of cases6) {
      test(`ICMPv6 type ${extra[1]} code ${extra[3]}`, async () => {
        const r = await ping(6, 'error', C3, extra);
        assert.equal(r.status, 1);
        assert.match(counts(r), /\+3 errors, 100% packet loss/);
        assert.equal(lines(r, new RegExp(`^From ${alt6} icmp_seq=\\d `)).filter((l) => reason.test(l)).length, 3);
      });
    }

    test('through the library: error events with the reason, the router, and errors counted', async () => {
      const result = (await library(
        4,
        'error',
        `
        const pinger = lib.createPinger(target, { count: 2, interval: 100 });
        const seen = [];
        pinger.on('error', (e) => seen.push([e.from, e.sequence, e.reason, e.mtu]));
        const s = await pinger.done;
        console.log(JSON.stringify({ seen, errors: s.errors, received: s.received }));`,
        ['--type', '3', '--code', '4', '--info', '1400'],
      )) as { seen: unknown[]; errors: number };
      assert.deepEqual(result.seen, [
        [alt4, 1, 'Frag needed and DF set (mtu = 1400)', 1400],
        [alt4, 2, 'Frag needed and DF set (mtu = 1400)', 1400],
      ]);
      assert.equal(result.errors, 2);
    });
  });

  describe('13. malformed ICMP errors are ignored', () => {
    for (const kind of ['short', 'ihl4', 'long-ihl', 'tcp', 'udp']) {
      test(kind, async () => {
        const r = await ping(4, 'malformed-error', ['-c', '2', '-i', '0.2', '-W', '0.5'], ['--kind', kind]);
        assert.equal(r.status, 1);
        assert.match(counts(r), /^2 packets transmitted, 0 received, 100% packet loss/);
        assert.deepEqual(lines(r, /^From /), []);
      });
    }
  });

  test("14. ICMP errors about someone else's traffic are ignored and never printed", async () => {
    const r = await ping(4, 'foreign-error', ['-c', '2', '-i', '0.2', '-W', '0.5']);
    assert.match(counts(r), /^2 packets transmitted, 0 received, 100% packet loss/);
    assert.deepEqual(lines(r, /^From /), []);
    const r6 = await ping(6, 'foreign-error', ['-c', '2', '-i', '0.2', '-W', '0.5']);
    assert.deepEqual(lines(r6, /^From /), []);
  });

  test('15. ICMPv6 errors whose quoted packet has extension headers are walked with bounds', async () => {
    const r = await ping(6, 'error-ext', C3, ['--type', '3', '--code', '0']);
    assert.match(counts(r), /\+3 errors/);
    assert.equal(lines(r, /^From .* Time exceeded: Hop limit$/).length, 3);
  });

  test('16. redirect, source quench, unknown types and out-of-range codes: no reply, no crash', async () => {
    const unknown = await ping(4, 'unknown-type', C3);
    assert.equal(unknown.status, 0);
    assert.match(counts(unknown), /^3 packets transmitted, 3 received, 0% packet loss/);
    const code200 = await ping(4, 'error', C3, ['--type', '3', '--code', '200']);
    assert.equal(lines(code200, /icmp_seq=\d Dest Unreachable, Bad Code: 200$/).length, 3);
    const redirect = await ping(4, 'redirect', C3);
    assert.match(counts(redirect), /^3 packets transmitted, 3 received, 0% packet loss/);
    assert.equal(
      lines(redirect, new RegExp(`^From ${host.ip4.replace(/\./g, '\\.')}: icmp_seq=\\d Redirect Host\\(New nexthop: ${alt4.replace(/\./g, '\\.')}\\)$`))
        .length,
      3,
    );
    const quench = await ping(4, 'quench', C3);
    assert.match(counts(quench), /^3 packets transmitted, 3 received, 0% packet loss/);
    assert.equal(lines(quench, /: icmp_seq=\d Source Quench$/).length, 3);
    const unknown6 = await ping(6, 'unknown-type', C3);
    assert.match(counts(unknown6), /^3 packets transmitted, 3 received/);
  });

  test('17. thousands of foreign echo replies and errors during a run: the run is right and on time', async () => {
    const r = await ping(4, 'foreign-flood', ['-c', '3', '-i', '0.2', '-W', '1'], ['--n', '3000']);
    assert.equal(r.status, 0);
    assert.match(counts(r), /^3 packets transmitted, 3 received, 0% packet loss/);
    assert.ok(r.durationMs < 5000, `timers still fire on time (${r.durationMs} ms)`);
  });

  test('18. a 60000-byte reply is received flagged truncated, counted, sized as sent', async () => {
    const r = await ping(4, 'big', C3);
    assert.equal(r.status, 0);
    assert.match(counts(r), /^3 packets transmitted, 3 received, 0% packet loss/);
    assert.equal(lines(r, /^60000 bytes from .* \(truncated\)$/).length, 3);
    const r6 = await ping(6, 'big', C3);
    assert.match(counts(r6), /^3 packets transmitted, 3 received/);
  });
});
