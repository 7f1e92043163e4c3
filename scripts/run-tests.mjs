#!/usr/bin/env node
// Runs every test/**/*.test.ts with node:test under tsx. Node 20's --test does not expand
// globs or pick up .ts files by itself, hence this list. Extra arguments are passed through
// (e.g. --test-name-pattern); RAWPING_TEST_FILTER keeps only files whose path contains it.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function collect(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...collect(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const args = process.argv.slice(2);
const dirs = args.filter((a) => !a.startsWith('-'));
const passThrough = args.filter((a) => a.startsWith('-'));
const filter = process.env.RAWPING_TEST_FILTER ?? '';
const files = (dirs.length > 0 ? dirs : ['test'])
  .flatMap((d) => (d.endsWith('.test.ts') ? [join(root, d)] : collect(join(root, d))))
  .filter((f) => relative(root, f).includes(filter));

if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...passThrough, ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
