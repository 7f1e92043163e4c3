// The bad-input table (issue 3, item 2; docs/hostile-inputs.md #27): every bad value ends with
// exit 2 and exactly one line `rawping: ...` on stderr that names the option (or the target),
// nothing on stdout, and never a stack trace, whatever the input.
//
// Every run happens inside a namespace that has nothing but loopback, so an input that
// reached the resolver (an unknown name, or a bad one that validation let through) fails
// there at once and no DNS query can leave the machine. Without namespaces, only the cases
// that are rejected while parsing the command line run, the others are skipped.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { NetnsLab } from '../helpers/netns.js';
import { runCli, unprivilegedSetpriv, type CliResult } from '../helpers/run-cli.js';
import { cliSkipReason, netnsSkipReason } from '../helpers/skip-reasons.js';

interface BadInput {
  name: string;
  args: string[];
  /** What the one stderr line must say (besides `rawping: `). */
  says: RegExp[];
  /**
   * Rejected only after the sockets are open (so it needs the privilege to get there), and it
   * could reach name resolution if validation missed it: run it only in a namespace.
   */
  late?: boolean;
}

const LONG_TARGET = 'a'.repeat(100_000);

const TABLE: BadInput[] = [
  { name: '-c 0', args: ['-c', '0', '127.0.0.1'], says: [/-c/, /'0'/, /1 to/] },
  { name: '-c 10xyz', args: ['-c', '10xyz', '127.0.0.1'], says: [/-c/, /10xyz/] },
  { name: '-c -1', args: ['-c', '-1', '127.0.0.1'], says: [/-c/, /'-1'/] },
  { name: '-c without a value', args: ['-c'], says: [/-c/] },
  { name: '-i NaN', args: ['-i', 'NaN', '127.0.0.1'], says: [/-i/, /NaN/] },
  { name: '-i -1', args: ['-i', '-1', '127.0.0.1'], says: [/-i/, /'-1'/] },
  { name: '-i 1e300', args: ['-i', '1e300', '127.0.0.1'], says: [/-i/, /1e300/] },
  { name: '-s 2147483647', args: ['-s', '2147483647', '127.0.0.1'], says: [/-s/, /65527/] },
  { name: '-s 65508 to an IPv4 address', args: ['-s', '65508', '127.0.0.1'], says: [/-s/, /65507/, /IPv4/], late: true },
  { name: '-t 256', args: ['-t', '256', '127.0.0.1'], says: [/-t/, /255/] },
  { name: '-W 1e300', args: ['-W', '1e300', '127.0.0.1'], says: [/-W/, /1e300/] },
  { name: '-Q 300', args: ['-Q', '300', '127.0.0.1'], says: [/-Q/, /255/] },
  { name: '-p zz', args: ['-p', 'zz', '127.0.0.1'], says: [/-p/, /zz/, /hex/] },
  { name: 'an empty target', args: [''], says: [/target/], late: true },
  { name: 'no target at all', args: ['-c', '1'], says: [/[Dd]estination|target/] },
  { name: 'an unknown option --bogus', args: ['--bogus', '127.0.0.1'], says: [/--bogus/] },
  { name: 'a target beginning with - (after --)', args: ['-c', '1', '--', '-foo'], says: [/-foo/], late: true },
  { name: 'a target with a shell metacharacter: localhost;id', args: ['-c', '1', 'localhost;id'], says: [/localhost;id/], late: true },
  { name: 'a 100 kB target', args: ['-c', '1', LONG_TARGET], says: [/too long|Name or service/], late: true },
  {
    name: 'an unknown host (nosuchhost.invalid)',
    args: ['-c', '1', 'nosuchhost.invalid'],
    says: [/nosuchhost\.invalid/, /name resolution|Name or service/],
    late: true,
  },
];

/** One `rawping: ...` line naming what is wrong, nothing else, exit 2, no trace of the internals. */
function assertRejected(r: CliResult, c: BadInput): void {
  const shown = `stdout: ${r.stdout.slice(0, 300)}\nstderr: ${r.stderr.slice(0, 600)}`;
  assert.equal(r.status, 2, `exit status\n${shown}`);
  assert.equal(r.signal, null);
  assert.equal(r.stdout, '', `nothing on stdout\n${shown}`);
  assert.match(r.stderr, /^rawping: [^\n]+\n$/, `exactly one rawping: line\n${shown}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack frames');
  assert.doesNotMatch(r.stderr, /Error:/, 'no error class names');
  assert.ok(r.stderr.length < 400, `a short line, not the input echoed back (${r.stderr.length} characters)`);
  for (const s of c.says) assert.match(r.stderr, s, shown);
  assert.doesNotMatch(r.stdout + r.stderr, /uid=/, 'nothing ran a shell command');
}

const built = cliSkipReason();
const nsSkip = built ?? netnsSkipReason();

describe('bad input: exit 2 and one line, run where the resolver cannot reach out', { skip: nsSkip ?? false, concurrency: 4 }, () => {
  let lab: NetnsLab;
  let isolated: string;
  before(() => {
    lab = NetnsLab.create();
    isolated = lab.addIsolated();
  });
  after(() => lab?.destroy());

  for (const c of TABLE) {
    test(c.name, async () => {
      const r = await runCli(c.args, { netns: isolated });
      assertRejected(r, c);
      // Resolution fails locally (no route, no resolver reachable): at once, not after a DNS timeout.
      assert.ok(r.durationMs < 5000, `took ${Math.round(r.durationMs)} ms`);
    });
  }
});

describe(
  'bad input without namespaces: the command-line errors only',
  { skip: nsSkip === null ? 'covered by the namespace table above' : (built ?? false) },
  () => {
    for (const c of TABLE) {
      test(c.name, { skip: c.late === true ? `rejected only after the sockets open: runs in the namespace table (${nsSkip ?? ''})` : false }, async () => {
        assertRejected(await runCli(c.args), c);
      });
    }
  },
);

// An install that ran no scripts (npm --ignore-scripts, an npm that asks before running them)
// has no addon; one built for another Node cannot load. Every command needs the addon, if
// only to drop privileges, so each says how to build it and stops. The missing or broken file
// is named through RAWPING_ADDON, which only an unprivileged process honours: as nobody.
describe('without its native addon: one line that says how to build it, exit 2', { skip: built ?? false }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rawping-addon-'));
    chmodSync(dir, 0o755); // for nobody
    writeFileSync(join(dir, 'not-an-addon.node'), 'not a shared object\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases = [
    { name: 'not built: -c 1 127.0.0.1', file: 'missing.node', args: ['-c', '1', '127.0.0.1'], says: [/native addon not built/, /npm rebuild rawping/] },
    { name: 'not built: -V', file: 'missing.node', args: ['-V'], says: [/native addon not built/, /npm rebuild rawping/] },
    {
      name: 'not a shared object: -c 1 127.0.0.1',
      file: 'not-an-addon.node',
      args: ['-c', '1', '127.0.0.1'],
      says: [/native addon cannot be loaded/, /npm rebuild rawping/],
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      assertRejected(await runCli(c.args, { env: { RAWPING_ADDON: join(dir, c.file) }, setpriv: unprivilegedSetpriv() }), c);
    });
  }
});
