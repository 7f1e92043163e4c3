// Issue 18, item 9: RAWPING_ADDON names another addon file for tests (the sanitizer build, the
// benchmark's in-process echo). It is code loaded into the process, so only a process that
// holds no privilege honours it; a privileged one (root, sudo, CAP_NET_RAW, setuid) never
// reads it and loads the package's own addon. The stand-in below leaves a mark when loaded.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, test } from 'node:test';
import { runCli } from '../helpers/run-cli.js';
import { runModule } from '../helpers/run-module.js';
import { cliSkipReason, commandSkipReason } from '../helpers/skip-reasons.js';

const AS_NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];
const NO_CAPS = [...AS_NOBODY, '--inh-caps=-all', '--bounding-set=-all'];
const NET_RAW_ONLY = [...AS_NOBODY, '--inh-caps=+net_raw', '--ambient-caps=+net_raw'];

const work = mkdtempSync(join(tmpdir(), 'rawping-override-'));
after(() => rmSync(work, { recursive: true, force: true }));
chmodSync(work, 0o777); // nobody leaves the mark here
const mark = join(work, 'loaded');
const standIn = join(work, 'stand-in.cjs');
writeFileSync(standIn, `require('node:fs').writeFileSync(${JSON.stringify(mark)}, String(process.getuid()));\nmodule.exports = {};\n`);
chmodSync(standIn, 0o644);

const skip =
  cliSkipReason() ?? (process.geteuid?.() !== 0 ? 'needs root (to run as root, with CAP_NET_RAW only and as nobody)' : null) ?? commandSkipReason('setpriv');

describe('RAWPING_ADDON', { skip: skip ?? false }, () => {
  beforeEach(() => rmSync(mark, { force: true }));
  const env = { RAWPING_ADDON: standIn };

  test('root: not read; the package addon is loaded and the command runs', async () => {
    const r = await runCli(['-V'], { env });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.equal(existsSync(mark), false, 'the stand-in was not loaded');
  });

  test('under sudo (root with SUDO_UID/SUDO_GID): not read before the drop, nor after it', async () => {
    const r = await runCli(['-c', '1', '127.0.0.1'], { env: { ...env, SUDO_UID: '65534', SUDO_GID: '65534' } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(existsSync(mark), false, 'the stand-in was not loaded');
  });

  test('a user with CAP_NET_RAW only: not read', async () => {
    const r = await runCli(['-V'], { env, setpriv: NET_RAW_ONLY });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.equal(existsSync(mark), false, 'the stand-in was not loaded');
  });

  test('the library in a root process: not read', async () => {
    const result = await runModule(`
      process.env.RAWPING_ADDON = ${JSON.stringify(standIn)};
      const { openSockets } = await import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)});
      const set = openSockets({ families: [4] });
      console.log(JSON.stringify({ opened: set.opened.length }));
      set.close();
    `);
    assert.equal(result.opened, 1);
    assert.equal(existsSync(mark), false, 'the stand-in was not loaded');
  });

  test('an unprivileged user (nobody, no capability): honoured, as the test seam it is', async () => {
    const r = await runCli(['-V'], { env, setpriv: NO_CAPS });
    assert.equal(existsSync(mark), true, `the stand-in was loaded (exit ${r.status}: ${r.stderr})`);
  });
});
