// fping's sweep features in rawping's many-target mode, run for real: on loopback, and in a
// namespace lab with a live host, a silent one and one behind a router that answers
// "unreachable". Where the installed fping (Debian's, from .ci/run) can run the same case, its
// output is the reference: the same lines once the times are taken out.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NetnsLab, nsPrefix, type TestHost, type UnreachableTarget } from '../helpers/netns.js';
import { runCli, startCommand, type CliResult } from '../helpers/run-cli.js';
import { cliSkipReason, commandSkipReason, netnsSkipReason, socketSkipReason } from '../helpers/skip-reasons.js';

const skipLoopback = cliSkipReason() ?? socketSkipReason();
const skipNetns = cliSkipReason() ?? netnsSkipReason();
const skipFping = commandSkipReason('fping', ['-v'], 'fping');

/** An RTT as fping prints it (sprint_tm). */
const MS = String.raw`\d+(?:\.\d+)?`;

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0);
}

/** Output with every time taken out, for comparing rawping's lines with fping's. */
function shape(text: string): string {
  return text
    .replace(/\d+\.\d+( ms|\/|\)| |$)/gm, 'T$1')
    .replace(/\(T avg/g, '(T avg')
    .replace(/min\/avg\/max = T\/T\/T/g, 'min/avg/max = T/T/T');
}

function fping(args: readonly string[], netns?: string): Promise<CliResult> {
  return startCommand([...(netns !== undefined ? nsPrefix(netns) : []), 'fping', ...args], { timeoutMs: 20_000 }).result;
}

describe('fping features on loopback', { skip: skipLoopback ?? false }, () => {
  test("-c: a line per probe in input order at each round, then each target's statistics on stderr after a blank line", async () => {
    const r = await runCli(['-c', '3', '-i', '0.05', '127.0.0.1', 'localhost'], { timeoutMs: 10_000 });
    assert.equal(r.status, 0, r.stderr);
    const probe = (host: string, i: number): RegExp => new RegExp(`^${host.replace(/\./g, '\\.')} : \\[${i}\\], 64 bytes, ${MS} ms \\(${MS} avg, 0% loss\\)$`);
    const out = lines(r.stdout);
    assert.equal(out.length, 6);
    out.forEach((line, n) => assert.match(line, probe(n % 2 === 0 ? '127.0.0.1' : 'localhost', Math.floor(n / 2))));
    assert.match(
      r.stderr,
      new RegExp(
        `^\\n127\\.0\\.0\\.1 : xmt/rcv/%loss = 3/3/0%, min/avg/max = ${MS}/${MS}/${MS}\\nlocalhost : xmt/rcv/%loss = 3/3/0%, min/avg/max = ${MS}/${MS}/${MS}\\n$`,
      ),
    );
  });

  test('--rtt-list (fping -C): the RTT of every probe; with -q nothing on stdout and no blank line', async () => {
    const r = await runCli(['-q', '-c', '4', '-i', '0.02', '--rtt-list', '127.0.0.1', '::1'], { timeoutMs: 10_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`^127\\.0\\.0\\.1 :( ${MS}){4}\\n::1       :( ${MS}){4}\\n$`));
  });

  test('-D: each probe line starts with the wall clock, [seconds.5 decimals]', async () => {
    const r = await runCli(['-D', '-c', '2', '-i', '0.05', '127.0.0.1', '127.0.0.2'], { timeoutMs: 10_000 });
    const now = Date.now() / 1000;
    for (const line of lines(r.stdout)) {
      const m = /^\[(\d{10,}\.\d{5})\] 127\.0\.0\.[12] : \[[01]\], 64 bytes/.exec(line);
      assert.ok(m !== null, line);
      assert.ok(Math.abs(Number(m[1]) - now) < 60, line);
    }
  });

  test('--stats (fping -s): the totals block on stderr after the lines', async () => {
    const r = await runCli(['--stats', '127.0.0.1', '127.0.0.2'], { timeoutMs: 10_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '127.0.0.1 is alive\n127.0.0.2 is alive\n');
    assert.match(
      r.stderr,
      new RegExp(
        [
          '^',
          '       2 targets',
          '       2 alive',
          '       0 unreachable',
          '       0 unknown addresses',
          '',
          '       0 timeouts \\(waiting for response\\)',
          '       2 ICMP Echos sent',
          '       2 ICMP Echo Replies received',
          '       0 other ICMP received',
          '',
          ` ${MS} ms \\(min round trip time\\)`,
          ` ${MS} ms \\(avg round trip time\\)`,
          ` ${MS} ms \\(max round trip time\\)`,
          ' +\\d+\\.\\d{3} sec \\(elapsed real time\\)',
          '',
          '$',
        ].join('\\n'),
      ),
    );
  });

  test('--fast-reachable (fping -X): stops at the first answers, says so, exit 0; no line per target', async () => {
    const r = await runCli(['--fast-reachable', '2', '-g', '127.0.0.0/24'], { timeoutMs: 10_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Enough hosts reachable \(required: 2, reachable: \d+\)\n$/);
    const reached = Number(/reachable: (\d+)/.exec(r.stdout)?.[1]);
    assert.ok(reached >= 2 && reached < 254, `stopped early: ${reached} of 254 answered`);
  });

  test('--loop with --report (fping -l -Q): reports until interrupted, then the statistics', async () => {
    const { startCli } = await import('../helpers/run-cli.js');
    const cli = startCli(['-q', '--loop', '-i', '0.1', '--report', '0.3', '127.0.0.1'], { timeoutMs: 10_000 });
    await cli.waitFor(/\[\d\d:\d\d:\d\d\]\n127\.0\.0\.1 : xmt\/rcv\/%loss = \d+\/\d+\/0%.*\n\[\d\d:\d\d:\d\d\]\n/, 'stderr', 5000);
    cli.child.kill('SIGINT');
    const r = await cli.result;
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      new RegExp(`127\\.0\\.0\\.1 : xmt/rcv/%loss = (\\d+)/\\1/0%, min/avg/max = ${MS}/${MS}/${MS}\\n$`),
      'the last line: every probe answered',
    );
    assert.equal(r.status, 0, 'interrupted with every target answered: 0, as fping');
  });
});

describe('fping features in a namespace lab: silent and unreachable targets', { skip: skipNetns ?? false }, () => {
  let lab: NetnsLab;
  let live: TestHost;
  let silent: TestHost;
  let unreachable: UnreachableTarget;
  before(() => {
    lab = NetnsLab.create();
    live = lab.addHost();
    silent = lab.addHost({ echo: false });
    unreachable = lab.addUnreachable();
  });
  after(() => lab?.destroy());

  test('timed out probes get their lines; --outage adds the time without answers (probes lost times -i)', async () => {
    const r = await runCli(['-c', '3', '-i', '0.1', '-W', '0.1', '--outage', silent.ip4], { netns: lab.client, timeoutMs: 10_000 });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, [0, 1, 2].map((i) => `${silent.ip4} : [${i}], timed out (NaN avg, 100% loss)\n`).join(''));
    assert.equal(r.stderr, `\n${silent.ip4} : xmt/rcv/%loss = 3/0/100%, outage(ms) = 300\n`);
  });

  test('ICMP errors about a target, as fping words them, on stderr (IPv4 and IPv6); in JSON with the index; not with -q', async () => {
    const r = await runCli(['--retries', '0', unreachable.ip4, unreachable.ip6, live.ip4], { netns: lab.client, timeoutMs: 10_000 });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, `${unreachable.ip4} is unreachable\n${unreachable.ip6} is unreachable\n${live.ip4} is alive\n`);
    assert.deepEqual(lines(r.stderr).sort(), [
      `ICMP Host Unreachable from ${unreachable.router.ip4} for ICMP Echo sent to ${unreachable.ip4}`,
      `ICMPv6 No Route to Destination from ${unreachable.router.ip6} for ICMP Echo sent to ${unreachable.ip6}`,
    ]);
    const q = await runCli(['-q', '--retries', '0', unreachable.ip4], { netns: lab.client, timeoutMs: 10_000 });
    assert.equal(q.stdout + q.stderr, '');
    const j = await runCli(['--json', '--retries', '0', live.ip4, unreachable.ip4], { netns: lab.client, timeoutMs: 10_000 });
    const errors = lines(j.stdout)
      .map((l) => JSON.parse(l) as { type: string; index?: number; from?: string; icmpType?: number; icmpCode?: number })
      .filter((e) => e.type === 'error');
    assert.deepEqual(
      errors.map((e) => [e.index, e.from, e.icmpType, e.icmpCode]),
      [[1, unreachable.router.ip4, 3, 1]],
    );
  });

  test('--reachable (fping -x): the verdict only, exit 0 or 1 by it', async () => {
    const enough = await runCli(['--reachable', '1', '--retries', '0', '-W', '0.1', silent.ip4, live.ip4], { netns: lab.client, timeoutMs: 10_000 });
    assert.deepEqual([enough.status, enough.stdout], [0, 'Enough hosts reachable (required: 1, reachable: 1)\n']);
    const short = await runCli(['--reachable', '2', '--retries', '0', '-W', '0.1', silent.ip4, live.ip4], { netns: lab.client, timeoutMs: 10_000 });
    assert.deepEqual([short.status, short.stdout], [1, 'Not enough hosts reachable (required: 2, reachable: 1)\n']);
  });

  test('--report: a silent target reports its probes as they time out, windowed or cumulative, with its outage', async () => {
    for (const cumulative of [false, true]) {
      const r = await runCli(['-q', '-c', '4', '-i', '0.55', '-W', '0.55', '--report', '1', '--outage', ...(cumulative ? ['--cumulative'] : []), silent.ip4], {
        netns: lab.client,
        timeoutMs: 10_000,
      });
      assert.equal(r.status, 1);
      // fping's own test of -Q with -o: probes at 0, 0.55, 1.1, 1.65 s, each lost 0.55 s later.
      const reports = [...r.stderr.matchAll(/^\[\d\d:\d\d:\d\d\]\n(.*)$/gm)].map((m) => m[1]);
      assert.deepEqual(
        reports,
        cumulative
          ? [`${silent.ip4} : xmt/rcv/%loss = 1/0/100%, outage(ms) = 550`, `${silent.ip4} : xmt/rcv/%loss = 3/0/100%, outage(ms) = 1650`]
          : [`${silent.ip4} : xmt/rcv/%loss = 1/0/100%, outage(ms) = 550`, `${silent.ip4} : xmt/rcv/%loss = 2/0/100%, outage(ms) = 1100`],
      );
      assert.match(r.stderr, new RegExp(`\\n${silent.ip4.replace(/\./g, '\\.')} : xmt/rcv/%loss = 4/0/100%, outage\\(ms\\) = 2200\\n$`));
    }
  });
});

describe('the same cases through the installed fping: the same lines once times are taken out', { skip: skipNetns ?? skipFping ?? false }, () => {
  let lab: NetnsLab;
  let live: TestHost;
  let silent: TestHost;
  let unreachable: UnreachableTarget;
  before(() => {
    lab = NetnsLab.create();
    live = lab.addHost();
    silent = lab.addHost({ echo: false });
    unreachable = lab.addUnreachable();
  });
  after(() => lab?.destroy());

  // [rawping's arguments, fping's arguments] for one case; fping's -p and -t take ms.
  const cases = (): [string, string[], string[]][] => [
    [
      '-c with live and silent targets',
      ['-c', '2', '-i', '0.1', '-W', '0.2', live.ip4, silent.ip4],
      ['-c', '2', '-p', '100', '-t', '200', live.ip4, silent.ip4],
    ],
    ['-q -c', ['-q', '-c', '2', '-i', '0.1', '-W', '0.2', live.ip4, silent.ip4], ['-q', '-c', '2', '-p', '100', '-t', '200', live.ip4, silent.ip4]],
    ['-C', ['-q', '-c', '3', '-i', '0.1', '-W', '0.2', '--rtt-list', live.ip4, silent.ip4], ['-q', '-C', '3', '-p', '100', '-t', '200', live.ip4, silent.ip4]],
    ['-o', ['-c', '3', '-i', '0.1', '-W', '0.1', '--outage', silent.ip4], ['-c', '3', '-p', '100', '-t', '100', '-o', silent.ip4]],
    ['-u', ['--unreachable', '--retries', '0', '-W', '0.1', silent.ip4, live.ip4], ['-u', '-r', '0', '-t', '100', silent.ip4, live.ip4]],
    ['-a', ['--alive', '--retries', '0', '-W', '0.1', silent.ip4, live.ip4], ['-a', '-r', '0', '-t', '100', silent.ip4, live.ip4]],
    ['-x', ['--reachable', '1', '--retries', '0', '-W', '0.1', silent.ip4, live.ip4], ['-x', '1', '-r', '0', '-t', '100', silent.ip4, live.ip4]],
    ['-s', ['--stats', '--retries', '0', '-W', '0.1', live.ip4, silent.ip4], ['-s', '-r', '0', '-t', '100', live.ip4, silent.ip4]],
    ['an IPv4 ICMP error', ['--retries', '0', unreachable.ip4], ['-r', '0', unreachable.ip4]],
  ];

  test('stdout, stderr and status agree case by case', async () => {
    const results = await Promise.all(
      cases().map(async ([name, ours, theirs]) => ({
        name,
        r: await runCli(ours, { netns: lab.client, timeoutMs: 20_000 }),
        f: await fping(theirs, lab.client),
      })),
    );
    for (const { name, r, f } of results) {
      assert.equal(r.status, f.status, `${name}: status`);
      assert.equal(shape(r.stdout), shape(f.stdout), `${name}: stdout`);
      assert.equal(shape(r.stderr), shape(f.stderr).replace(/ +$/gm, ''), `${name}: stderr`);
    }
  });
});
