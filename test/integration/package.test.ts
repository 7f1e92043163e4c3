// The package as published: `npm pack`, then install that tarball into an empty directory
// (which builds the addon there) and use it by name, as a new user would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { socketSkipReason } from '../helpers/skip-reasons.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'rawping-pack-'));
after(() => rmSync(work, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd: string, timeout = 300_000): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, LC_ALL: 'C' } });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

const NO_NETWORK = /ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ENETUNREACH|network request .* failed/;

describe('the published package', () => {
  // dist/ is built by npm test before the tests run; the tarball is made from it as is.
  const pack = run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], root);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));

  test('npm pack holds the compiled library, its types, the CLI, binding.gyp and native/, and nothing else', () => {
    assert.equal(pack.status, 0, pack.out);
    assert.ok(tarball !== undefined);
    const list = run('tar', ['-tzf', join(work, tarball)], work)
      .out.split('\n')
      .filter(Boolean);
    for (const needed of [
      'package/dist/index.js',
      'package/dist/index.d.ts',
      'package/dist/cli/main.cjs',
      'package/dist/cli/main.bundle.js',
      'package/binding.gyp',
      'package/native/icmp_socket.cc',
      'package/package.json',
      'package/README.md',
    ]) {
      assert.ok(list.includes(needed), `${needed} is in the tarball`);
    }
    assert.equal(list.filter((f) => /^package\/dist\/cli\/main\.[0-9a-f]+\.cache$/.test(f)).length, 1, "the bundle's code cache is in the tarball");
    // scripts/build-if-stale.mjs is the install script, so it ships; no other script does.
    const stray = list.filter(
      (f) =>
        (/^package\/(src|test|bench|scripts|build|node_modules|\.ci|docs)\//.test(f) && f !== 'package/scripts/build-if-stale.mjs') ||
        f.endsWith('.map') ||
        f.endsWith('.node'),
    );
    assert.deepEqual(stray, [], 'no sources, tests, build output or source maps');
  });

  const app = join(work, 'app');
  const install =
    tarball === undefined
      ? null
      : (() => {
          spawnSync('mkdir', ['-p', app]);
          writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }));
          return run('npm', ['install', '--no-audit', '--no-fund', join(work, tarball)], app);
        })();
  const offline = install !== null && install.status !== 0 && NO_NETWORK.test(install.out);

  test(
    'installing the tarball into an empty directory builds the addon',
    { skip: offline ? 'the npm registry cannot be reached for node-addon-api' : false },
    () => {
      assert.ok(install !== null);
      assert.equal(install.status, 0, install.out);
      assert.ok(readdirSync(join(app, 'node_modules/rawping/build/Release')).includes('rawping.node'));
    },
  );

  const skipUse = offline ? 'the npm registry cannot be reached' : socketSkipReason();
  test('import("rawping") and npx rawping work from the installed package', { skip: skipUse ?? false }, () => {
    writeFileSync(join(app, 'check.mjs'), "import { isReachable } from 'rawping';\nconsole.log(await isReachable('127.0.0.1'), await isReachable('::1'));\n");
    const lib = run(process.execPath, ['check.mjs'], app, 30_000);
    assert.equal(lib.out.trim(), 'true true');
    const cli = run('npx', ['--no-install', 'rawping', '-c', '1', '127.0.0.1'], app, 30_000);
    assert.equal(cli.status, 0, cli.out);
    assert.match(cli.out, /^PING 127\.0\.0\.1 \(127\.0\.0\.1\) 56\(84\) bytes of data\.$/m);
    assert.match(cli.out, /1 packets transmitted, 1 received, 0% packet loss/);
  });
});
