// Under sudo the CLI becomes the invoking user with the supplementary groups sudo gives that
// user (initgroups over SUDO_UID's passwd entry), not its primary group alone: a --file
// readable only through one of those groups is read. The user's groups come from an
// /etc/group of the test's own, bind-mounted over the real one in a mount namespace of that run
// only (the machine's files are never touched): nobody is made a member of group 4242.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cliCommand, startCommand } from '../helpers/run-cli.js';
import { cliSkipReason, commandSkipReason, socketSkipReason } from '../helpers/skip-reasons.js';

const NOBODY = 65534;
const GROUP = 4242;
const SUDO_NOBODY = { SUDO_UID: String(NOBODY), SUDO_GID: String(NOBODY), SUDO_USER: 'nobody' };

const work = mkdtempSync(join(tmpdir(), 'rawping-groups-'));
after(() => rmSync(work, { recursive: true, force: true }));
chmodSync(work, 0o755);
const targets = join(work, 'targets.txt');
const groupFile = join(work, 'group');

function nobodyName(): string {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[2] === String(NOBODY));
  return line?.split(':')[0] ?? 'nobody';
}

/** Runs the CLI as root under sudo's variables, in a mount namespace whose /etc/group is `groupFile`. */
function runWithGroups(args: string[]) {
  const [node, ...rest] = cliCommand(args) as [string, ...string[]];
  const script = 'mount --bind "$1" /etc/group || exit 97; shift; exec "$@"';
  return startCommand(['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', groupFile, node, ...rest], { env: SUDO_NOBODY }).result;
}

const skip =
  cliSkipReason() ??
  (process.geteuid?.() !== 0 ? 'needs root (sudo is emulated as root with SUDO_UID)' : null) ??
  commandSkipReason('unshare', ['--mount', 'true'], 'unshare --mount (util-linux)') ??
  socketSkipReason();

describe('groups under sudo', { skip: skip ?? false }, () => {
  if (skip === null) {
    writeFileSync(targets, '127.0.0.1\n');
    chownSync(targets, 0, GROUP);
    chmodSync(targets, 0o640); // root and group 4242 only
    const real = readFileSync('/etc/group', 'utf8');
    writeFileSync(groupFile, `${real.endsWith('\n') ? real : `${real}\n`}rawping-test:x:${GROUP}:${nobodyName()}\n`);
    chmodSync(groupFile, 0o644);
  }

  test("a --file readable through one of the user's groups is read after the drop", async () => {
    const r = await runWithGroups(['-c', '1', '--file', targets]);
    assert.equal(r.status, 0, r.stderr);
    // fping's per-probe line for the file's one target: it was read, and pinged.
    assert.match(r.stdout, /^127\.0\.0\.1 : \[0\], 64 bytes, [\d.]+ ms \([\d.]+ avg, 0% loss\)$/m);
  });

  test('the same file without that group membership is refused (the drop is real)', async () => {
    writeFileSync(join(work, 'group-without'), readFileSync('/etc/group', 'utf8'));
    chmodSync(join(work, 'group-without'), 0o644);
    const [node, ...rest] = cliCommand(['-c', '1', '--file', targets]) as [string, ...string[]];
    const script = 'mount --bind "$1" /etc/group || exit 97; shift; exec "$@"';
    const r = await startCommand(['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', join(work, 'group-without'), node, ...rest], {
      env: SUDO_NOBODY,
    }).result;
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^rawping: .*targets\.txt.*(permission denied|EACCES)/i);
  });
});
