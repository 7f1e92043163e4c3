// Issue 18, item 2: a setuid-root copy of node runs rawping for one user with root's powers
// and the first user's arguments. rawping refuses to run there, in one line and before it
// loads or reads anything: before the fix it read a root-only --file as root and echoed its
// lines back in its error messages.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CLI_PATH, startCommand } from '../helpers/run-cli.js';
import { cliSkipReason, commandSkipReason, sanitizerSkipReason } from '../helpers/skip-reasons.js';

const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];
const SECRET = 'only-root-may-read-this-line';

const work = mkdtempSync(join(tmpdir(), 'rawping-setuid-'));
after(() => rmSync(work, { recursive: true, force: true }));
chmodSync(work, 0o755);
const node = join(work, 'node');
const secretFile = join(work, 'root-only.txt');

/** Null when a setuid-root node can be made here and runs with effective uid 0 for nobody, else why not. */
function setuidSkipReason(): string | null {
  if (process.geteuid?.() !== 0) return 'needs root (to make a setuid-root copy of node)';
  const setpriv = commandSkipReason('setpriv', ['--version'], 'setpriv (util-linux)');
  if (setpriv !== null) return setpriv;
  copyFileSync(process.execPath, node);
  chmodSync(node, 0o4755);
  writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
  const probe = spawnSync('setpriv', [...NOBODY, node, '-p', 'process.getuid() + " " + process.geteuid()'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.stdout.trim() !== '65534 0')
    return `a setuid node in ${tmpdir()} does not run as root here (nosuid?): ${probe.stdout.trim() || probe.stderr.trim()}`;
  return null;
}

const skip = cliSkipReason() ?? sanitizerSkipReason('setuid') ?? setuidSkipReason();

describe('a setuid-root node', { skip: skip ?? false }, () => {
  for (const [name, args] of [
    ['--file with a root-only file', ['--file', secretFile, '-c', '1', '-n']],
    ['a ping', ['-c', '1', '127.0.0.1']],
    ['-V', ['-V']],
  ] as const) {
    test(`is refused before anything runs: ${name}`, async () => {
      const r = await startCommand(['setpriv', ...NOBODY, node, CLI_PATH, ...args]).result;
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.equal(
        r.stderr,
        'rawping: real and effective user ids (real 65534, effective 0, saved 0) differ, as in a setuid or setgid node: refusing to run (use sudo, CAP_NET_RAW or ping_group_range instead)\n',
      );
      assert.doesNotMatch(r.stderr, new RegExp(SECRET));
    });
  }

  test('the same setuid node run by root (ids agree) runs rawping as usual', async () => {
    const r = await startCommand([node, CLI_PATH, '-V']).result;
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^rawping \d+\.\d+\.\d+\n$/);
  });
});
