#!/usr/bin/env node
// Builds the addon with AddressSanitizer and UndefinedBehaviorSanitizer and runs the
// integration tests on it. Node itself is not built with ASan, so the runtime is preloaded;
// leak checking is off because Node does not free everything at exit, which is not the addon's
// doing.
//
// The tests run from a copy of the checkout in build-asan/ (the normal build/ is left alone)
// whose build/Release holds the sanitized addon, so the loader finds it where it always looks,
// in every test: RAWPING_ADDON would reach only the unprivileged runs, since a process with
// any privilege (root, sudo, CAP_NET_RAW) never reads it.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'build-asan');
const nodeGyp = process.env.npm_config_node_gyp ?? join(process.execPath, '../../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');

function runtime(name) {
  const path = execFileSync('gcc', [`-print-file-name=${name}`], { encoding: 'utf8' }).trim();
  if (!existsSync(path) || path === name) throw new Error(`${name} not found (install gcc's sanitizer runtimes)`);
  return path;
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
cpSync(join(root, 'binding.gyp'), join(work, 'binding.gyp'));
cpSync(join(root, 'native'), join(work, 'native'), { recursive: true });
console.log('building the addon with -fsanitize=address,undefined ...');
const gyp = spawnSync(process.execPath, [nodeGyp, 'rebuild', '--', '-Drawping_sanitize=true'], { cwd: work, stdio: 'inherit' });
if (gyp.status !== 0) process.exit(gyp.status ?? 1);

// The checkout as the tests see it, beside the sanitized build (dist/ as npm run build left it).
if (!existsSync(join(root, 'dist', 'cli', 'main.cjs'))) throw new Error('dist/ is missing: run npm run build first');
for (const entry of ['package.json', 'tsconfig.json', 'tsconfig.test.json', 'README.md', 'src', 'test', 'scripts', 'docs', 'bench', 'dist']) {
  if (existsSync(join(root, entry))) cpSync(join(root, entry), join(work, entry), { recursive: true });
}
symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
const env = {
  ...process.env,
  LD_PRELOAD: [runtime('libasan.so'), runtime('libubsan.so')].join(':'),
  ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1:verify_asan_link_order=0',
  UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
};
const files = process.argv.slice(2);
const tests = spawnSync(process.execPath, [join(work, 'scripts/run-tests.mjs'), ...(files.length > 0 ? files : ['test/integration'])], {
  cwd: work,
  stdio: 'inherit',
  env,
});
process.exit(tests.status ?? 1);
