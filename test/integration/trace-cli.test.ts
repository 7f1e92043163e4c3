// `rawping trace` as a user meets it: -h made from the option table, bad input (one line,
// status 2: -m 0, -m 256, -f beyond -m, a name that does not resolve, broadcast targets),
// `rawping -- trace` still pinging a host named trace, and the live view on a terminal (a
// pseudo-terminal from util-linux's script): the table redrawn in place, the cursor hidden
// while it runs and shown again at the end, on Ctrl-C too, with the figures so far.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { NetnsLab, type TestHost } from '../helpers/netns.js';
import { cliCommand, outputLines, runCli, type CliResult } from '../helpers/run-cli.js';
import { cliSkipReason, commandSkipReason, icmpSkipReason, netnsSkipReason, sanitizerEnv } from '../helpers/skip-reasons.js';

const built = cliSkipReason();
const nsSkip = built ?? netnsSkipReason();

function shown(r: CliResult): string {
  return `exit ${r.status}\nstdout: ${r.stdout.slice(0, 400)}\nstderr: ${r.stderr.slice(0, 400)}`;
}

/** One `rawping: ...` line, nothing on stdout, status 2. */
function assertRejected(r: CliResult, says: RegExp): void {
  assert.equal(r.status, 2, shown(r));
  assert.equal(r.stdout, '', shown(r));
  assert.match(r.stderr, /^rawping: [^\n]+\n$/, shown(r));
  assert.doesNotMatch(r.stderr, /^\s+at |Error:/m);
  assert.match(r.stderr, says, shown(r));
}

describe('rawping trace -h', { skip: built ?? false }, () => {
  test("prints the trace's options from the table on stdout, exit 0", async () => {
    const r = await runCli(['trace', '-h']);
    assert.equal(r.status, 0, shown(r));
    assert.match(r.stdout, /^ {2}rawping trace \[options\] <destination>$/m);
    for (const flags of [
      '-c, --count <n>',
      '-i, --interval <s>',
      '-f, --first-hop <n>',
      '-m, --max-hops <n>',
      '-W, --timeout <s>',
      '-r, --report',
      '--json',
      '--mode',
    ]) {
      assert.ok(r.stdout.includes(flags), flags);
    }
    assert.doesNotMatch(r.stdout, /--preload|--flood/, "ping's own options are not the trace's");
  });
});

describe('rawping trace, bad input: one line and status 2', { skip: nsSkip ?? false, concurrency: 4 }, () => {
  let lab: NetnsLab;
  let isolated: string;
  before(() => {
    lab = NetnsLab.create();
    isolated = lab.addIsolated();
  });
  after(() => lab?.destroy());

  const cases: { name: string; args: string[]; says: RegExp; where?: 'client' }[] = [
    { name: '-m 0', args: ['-m', '0', '10.250.1.1'], says: /^rawping: invalid -m '0': expected an integer from 1 to 255$/m },
    { name: '-m 256', args: ['-m', '256', '10.250.1.1'], says: /^rawping: invalid -m '256': expected an integer from 1 to 255$/m },
    { name: '-f greater than -m', args: ['-f', '6', '-m', '5', '10.250.1.1'], says: /^rawping: invalid -f '6': expected at most -m \(5\)$/m },
    { name: '-i below 0.05', args: ['-i', '0.01', '10.250.1.1'], says: /-i '0\.01'/ },
    { name: 'two destinations', args: ['10.250.1.1', '10.250.1.2'], says: /one destination, not 2/ },
    { name: 'no destination', args: ['-c', '1'], says: /Destination address required \(see rawping trace -h\)/ },
    { name: "ping's -t", args: ['-t', '3', '10.250.1.1'], says: /-t/ },
    {
      name: 'a name that does not resolve',
      args: ['-c', '1', 'nosuchhost.invalid'],
      says: /nosuchhost\.invalid: .*(Name or service not known|name resolution)/,
    },
    {
      name: 'the broadcast address',
      args: ['-c', '1', '255.255.255.255'],
      says: /255\.255\.255\.255 is a broadcast or multicast address: a trace follows the path to one host/,
    },
    { name: 'a multicast address', args: ['-c', '1', 'ff02::1'], says: /ff02::1 is a broadcast or multicast address/ },
    { name: "the client's subnet broadcast", args: ['-c', '1', '10.250.1.255'], says: /10\.250\.1\.255 is a broadcast or multicast address/, where: 'client' },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      assertRejected(await runCli(['trace', ...c.args], { netns: c.where === 'client' ? lab.client : isolated }), c.says);
    });
  }

  test('rawping -- trace pings a host named trace, as before', async () => {
    const r = await runCli(['-c', '1', '--', 'trace'], { netns: isolated });
    assertRejected(r, /^rawping: trace: (Name or service not known|Temporary failure in name resolution)/);
  });
});

/** Runs `args` on a pseudo-terminal (script), typing `keys` after the output matches `when`; resolves with all it wrote. */
function onTerminal(args: string[], netns: string, keys?: { when: RegExp; type: string }): Promise<{ status: number | null; output: string }> {
  // script runs its command through a shell, which execs it (so Ctrl-C reaches rawping alone);
  // every word here is the test's own (paths, namespace names, addresses).
  const command = `exec ${cliCommand(args, { netns }).join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, LC_ALL: 'C', TERM: 'xterm', ...sanitizerEnv() },
    });
    let output = '';
    let typed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit within 20 s\n${JSON.stringify(output.slice(-2000))}`));
    }, 20_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      output += d;
      if (keys !== undefined && !typed && keys.when.test(output)) {
        typed = true;
        child.stdin.write(keys.type);
      }
    });
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

describe('the live view on a terminal', { skip: nsSkip ?? commandSkipReason('script', ['--version'], 'script (util-linux)') ?? false }, () => {
  let lab: NetnsLab;
  let host: TestHost;
  before(() => {
    lab = NetnsLab.create();
    host = lab.addHost({ hops: 2 });
  });
  after(() => lab?.destroy());

  const hopLines = (frame: string): string[] => frame.split(/\r?\n/).filter((l) => /^ {2}\d\. /.test(l.replace(/\x1b\[K/g, '')));

  test('redraws the table in place each round, and ends with the cursor shown and the last table on screen', async () => {
    const { status, output } = await onTerminal(['trace', '-c', '3', '-i', '0.2', host.ip4], lab.client);
    assert.equal(status, 0, JSON.stringify(output));
    assert.ok(output.startsWith('\x1b[?25l'), 'the cursor is hidden first');
    assert.ok(output.endsWith('\x1b[?25h'), `the cursor is shown last: ${JSON.stringify(output.slice(-40))}`);
    // A frame per round after the first, each written over the one before (cursor up, lines
    // cleared to their end), never by clearing the screen.
    const frames = output.split(/\r\x1b\[\d+A/);
    assert.ok(frames.length >= 4, `${frames.length} frames`);
    assert.doesNotMatch(output, /\x1b\[2J|\x1b\[H/, 'no clear-screen, no jump home: no flicker');
    assert.match(frames[1] ?? '', /round 1 of 3 done/);
    const last = frames.at(-1) as string;
    assert.deepEqual(
      hopLines(last).map((l) =>
        l
          .replace(/\x1b\[K/g, '')
          .split(/ +/)
          .slice(1, 5),
      ),
      [
        ['1.', host.routers[0]?.ip4, '0.0%', '3'],
        ['2.', host.routers[1]?.ip4, '0.0%', '3'],
        ['3.', host.ip4, '0.0%', '3'],
      ],
    );
  });

  test('Ctrl-C ends it with the figures so far and the cursor shown', async () => {
    const { status, output } = await onTerminal(['trace', '-i', '0.1', host.ip6], lab.client, { when: /round 3 done/, type: '\x03' });
    assert.equal(status, 0, JSON.stringify(output.slice(-1500)));
    assert.ok(output.endsWith('\x1b[?25h'), `the cursor is shown last: ${JSON.stringify(output.slice(-40))}`);
    const last = output.split(/\r\x1b\[\d+A/).at(-1) as string;
    const sent = hopLines(last).map((l) => Number(l.replace(/\x1b\[K/g, '').split(/ +/)[4]));
    assert.equal(sent.length, 3, JSON.stringify(last));
    assert.ok(
      sent.every((n) => n >= 3 && n === sent[0]),
      `every hop has the same rounds, at least 3: ${sent.join(', ')}`,
    );
    assert.doesNotMatch(last, /round \d+/, 'the last frame has no round status: the trace is over');
  });
});

describe('off a terminal, the table is printed once at the end', { skip: nsSkip ?? false }, () => {
  test('stdout a pipe: no escape sequences, one table after the last round', async () => {
    const lab = NetnsLab.create();
    try {
      const host = lab.addHost({ hops: 1 });
      const r = await runCli(['trace', '-c', '2', '-i', '0.1', host.ip4], { netns: lab.client });
      assert.equal(r.status, 0, shown(r));
      assert.doesNotMatch(r.stdout, /\x1b/);
      const lines = outputLines(r.stdout);
      assert.equal(lines.filter((l) => l.startsWith(' Hop ')).length, 1);
      assert.equal(lines.length, 4, r.stdout);
    } finally {
      lab.destroy();
    }
  });
});

describe('a name from /etc/hosts, on loopback', { skip: (await icmpSkipReason()) ?? false }, () => {
  test('localhost: one hop, the destination; the JSON names the target as typed', async () => {
    const r = await runCli(['trace', '--json', '-4', '-c', '1', 'localhost']);
    assert.equal(r.status, 0, shown(r));
    const lines = outputLines(r.stdout).map(
      (l) => JSON.parse(l) as { type: string; target?: string; address?: string; hops?: { hop: number; destination: boolean }[] },
    );
    const start = lines[0];
    const summary = lines.at(-1);
    assert.deepEqual([start?.type, start?.target, start?.address], ['start', 'localhost', '127.0.0.1']);
    assert.deepEqual([summary?.type, summary?.target, summary?.address], ['summary', 'localhost', '127.0.0.1']);
    assert.deepEqual(
      summary?.hops?.map((h) => [h.hop, h.destination]),
      [[1, true]],
    );
  });
});
