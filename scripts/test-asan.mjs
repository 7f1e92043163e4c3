#!/usr/bin/env node
// Builds the addon with AddressSanitizer and UndefinedBehaviorSanitizer into build-asan/
// (the normal build/ is left alone) and runs the integration tests and the native tests (the
// receive fuzzer, the control-message checks) on it; or the test files or folders given.
// Node itself is not built with ASan, so the runtime is preloaded; leak checking is off
// because Node does not free everything at exit, which is not the addon's doing.
// RAWPING_ASAN_REUSE=1 keeps a sanitizer build already there (npm run fuzz:native's rounds).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'build-asan');
const nodeGyp = process.env.npm_config_node_gyp ?? join(process.execPath, '../../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');
// node-gyp downloads Node's headers unless told where they are: npm's setting, else the headers
// installed with this Node (<prefix>/include/node), so that a build never reaches the network.
const prefix = join(process.execPath, '../..');
const nodedir = process.env.npm_config_nodedir ?? (existsSync(join(prefix, 'include/node/node_api.h')) ? prefix : undefined);

function runtime(name) {
  const path = execFileSync('gcc', [`-print-file-name=${name}`], { encoding: 'utf8' }).trim();
  if (!existsSync(path) || path === name) throw new Error(`${name} not found (install gcc's sanitizer runtimes)`);
  return path;
}

const addon = join(work, 'build/Release/rawping.node');
if (process.env.RAWPING_ASAN_REUSE !== '1' || !existsSync(addon)) {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  cpSync(join(root, 'binding.gyp'), join(work, 'binding.gyp'));
  cpSync(join(root, 'native'), join(work, 'native'), { recursive: true });
  console.log('building the addon with -fsanitize=address,undefined ...');
  const gyp = spawnSync(process.execPath, [nodeGyp, 'rebuild', ...(nodedir !== undefined ? [`--nodedir=${nodedir}`] : []), '--', '-Drawping_sanitize=true'], {
    cwd: work,
    stdio: 'inherit',
  });
  if (gyp.status !== 0) process.exit(gyp.status ?? 1);
}

const env = {
  ...process.env,
  RAWPING_ADDON: addon,
  LD_PRELOAD: [runtime('libasan.so'), runtime('libubsan.so')].join(':'),
  ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1:verify_asan_link_order=0',
  UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
};
const files = process.argv.slice(2);
const tests = spawnSync(process.execPath, [join(root, 'scripts/run-tests.mjs'), ...(files.length > 0 ? files : ['test/integration', 'test/native'])], {
  cwd: root,
  stdio: 'inherit',
  env,
});
process.exit(tests.status ?? 1);
