#!/usr/bin/env node
// Lifecycle builds that do nothing when their output is newer than their input:
//   node scripts/build-if-stale.mjs addon   the native addon (node-gyp rebuild)
//   node scripts/build-if-stale.mjs ts      the TypeScript and the CLI bundle (npm run build)
// In an installed package (no src/), `addon` builds only when the loader finds nothing that
// loads (no prebuilt binary for this platform, architecture and C library), or when
// npm_config_build_from_source asks for it (`npm install --build-from-source`).
// Why: `npx rawping` in this checkout installs the checkout into npm's npx cache, which runs
// these scripts again, under sudo as root. An unconditional rebuild there left build/ and
// dist/ owned by root in the user's tree, and every later build by the user failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const what = process.argv[2];

function newest(paths) {
  let latest = 0;
  for (const path of paths) {
    const full = join(root, path);
    if (!existsSync(full)) continue;
    const stat = statSync(full);
    if (stat.isDirectory()) latest = Math.max(latest, newest(readdirSync(full).map((name) => join(path, name))));
    else latest = Math.max(latest, stat.mtimeMs);
  }
  return latest;
}

function upToDate(output, inputs) {
  const out = join(root, output);
  return existsSync(out) && statSync(out).mtimeMs >= newest(inputs);
}

function run(command, args) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (r.error) throw r.error;
  process.exit(r.status ?? 1);
}

function fromSourceAsked() {
  const value = process.env.npm_config_build_from_source;
  return value !== undefined && value !== '' && value !== 'false';
}

if (what === 'addon') {
  if (!existsSync(join(root, 'src')) && !fromSourceAsked()) {
    // The package's own loader decides, as it will at run time.
    const { loadAddon } = await import('../dist/os/native-binding.js');
    try {
      loadAddon();
      process.exit(0);
    } catch (error) {
      console.log(`rawping: ${error.message.split('; build it')[0]}; building it from source`);
    }
  } else if (upToDate('build/Release/rawping.node', ['binding.gyp', 'native'])) process.exit(0);
  run('node-gyp', ['rebuild']);
} else if (what === 'ts') {
  if (!existsSync(join(root, 'src'))) process.exit(0); // an installed package ships dist/ built
  if (upToDate('dist/cli/main.cjs', ['src', 'tsconfig.json', 'scripts/bundle-cli.mjs', 'scripts/cli-launcher.cjs', 'scripts/yargs-assert.cjs', 'package.json']))
    process.exit(0);
  run('npm', ['run', 'build']);
} else {
  console.error('usage: build-if-stale.mjs addon|ts');
  process.exit(2);
}
