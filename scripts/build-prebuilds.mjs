#!/usr/bin/env node
// Builds the addon binaries the package ships, with prebuildify, into
// prebuilds/linux-<arch>/rawping.<libc>.node (the names src/os/native-binding.ts looks for).
// Run by `npm pack` (prepack); never committed. N-API is ABI-stable, so one binary per
// platform, architecture and C library serves every Node from 20 on.
//
//   node scripts/build-prebuilds.mjs            every target whose compiler is on PATH
//   node scripts/build-prebuilds.mjs --require  fail when one cannot be built
//
// Targets: the host's own (g++), and the others through a cross-compiler named by GNU's
// triplet (aarch64-linux-gnu-g++ from Debian's g++-aarch64-linux-gnu; x86_64-linux-musl-g++
// where a musl C++ toolchain exists, which Debian does not package). A target whose compiler is
// missing is skipped with a line that says so; a binary newer than binding.gyp and native/ is
// kept. Each build runs in build-prebuilds/<target>/ with copies of binding.gyp and native/,
// so the checkout's own build/ is left alone.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch as hostArch } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const requireAll = process.argv.includes('--require');

// ELF e_machine of each architecture, to check that a build is what its name says.
const MACHINE = { x64: 62, arm64: 183 };
const TRIPLET = { x64: { glibc: 'x86_64-linux-gnu', musl: 'x86_64-linux-musl' }, arm64: { glibc: 'aarch64-linux-gnu', musl: 'aarch64-linux-musl' } };

/** The targets this machine can try, the host's first. */
function targets() {
  const host = hostArch();
  const list = [];
  for (const arch of [host, ...Object.keys(MACHINE).filter((a) => a !== host)]) {
    for (const libc of ['glibc', 'musl']) {
      const triplet = TRIPLET[arch]?.[libc];
      if (triplet === undefined) continue;
      // The host's own glibc build uses the plain g++; everything else its triplet's.
      const prefix = arch === host && libc === 'glibc' ? '' : `${triplet}-`;
      list.push({ arch, libc, prefix, name: `linux-${arch}/rawping.${libc}.node` });
    }
  }
  return list;
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v "$1"`, 'sh', command], { encoding: 'utf8' }).status === 0;
}

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Node's headers: those of the Node that runs this, when it has them beside it (no download). */
function nodeDir() {
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

function elfMachine(file) {
  const head = readFileSync(file).subarray(0, 20);
  return head.readUInt32BE(0) === 0x7f454c46 ? head.readUInt16LE(18) : -1;
}

const inputs = Math.max(newest(join(root, 'binding.gyp')), newest(join(root, 'native')));
const prebuildify = join(dirname(require.resolve('prebuildify/package.json')), 'bin.js');
const nodeGyp = process.env.npm_config_node_gyp ?? join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');
let failed = 0;

for (const t of targets()) {
  const out = join(root, 'prebuilds', t.name);
  const cxx = `${t.prefix}g++`;
  if (!onPath(cxx)) {
    // A binary left from older sources would ship as if it were current: remove it.
    if (existsSync(out) && statSync(out).mtimeMs < inputs) {
      rmSync(out);
      console.log(`prebuilds: ${t.name}: removed, older than native/ and no ${cxx} on PATH to rebuild it`);
    } else console.log(`prebuilds: ${t.name}: skipped, no ${cxx} on PATH`);
    if (requireAll && t.libc === 'glibc' && !existsSync(out)) failed++;
    continue;
  }
  if (existsSync(out) && statSync(out).mtimeMs >= inputs) {
    console.log(`prebuilds: ${t.name}: up to date`);
    continue;
  }
  const work = join(root, 'build-prebuilds', `${t.arch}-${t.libc}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  cpSync(join(root, 'binding.gyp'), join(work, 'binding.gyp'));
  cpSync(join(root, 'native'), join(work, 'native'), { recursive: true });
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'rawping', private: true }));
  const env = {
    ...process.env,
    CC: `${t.prefix}gcc`,
    CXX: cxx,
    LINK: cxx,
    AR: `${t.prefix}ar`,
    // The cross build's host tools (gyp's *_host) stay the machine's own.
    CC_host: 'gcc',
    CXX_host: 'g++',
    PREBUILD_NODE_GYP: nodeGyp,
    JOBS: process.env.JOBS ?? 'max',
  };
  const dir = process.env.npm_config_nodedir ?? nodeDir();
  if (dir !== undefined) env.npm_config_nodedir = dir;
  const args = [prebuildify, '--napi', '--strip', `--strip-bin=${t.prefix}strip`, '--tag-libc', `--libc=${t.libc}`, `--arch=${t.arch}`];
  args.push(`--target=${process.versions.node}`, `--out=${root}`, `--cwd=${work}`, '--quiet');
  console.log(`prebuilds: ${t.name}: building with ${cxx} ...`);
  const r = spawnSync(process.execPath, args, { cwd: work, env, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(out)) {
    console.error(`prebuilds: ${t.name}: the build failed (${cxx}); run it again without --quiet in ${work} to see why`);
    failed++;
    continue;
  }
  if (elfMachine(out) !== MACHINE[t.arch]) {
    console.error(`prebuilds: ${t.name}: the binary is not for ${t.arch} (ELF machine ${elfMachine(out)})`);
    rmSync(out);
    failed++;
    continue;
  }
  rmSync(work, { recursive: true, force: true });
  console.log(`prebuilds: ${t.name}: built`);
}
rmSync(join(root, 'build-prebuilds'), { recursive: true, force: true });
process.exit(failed > 0 ? 1 : 0);
