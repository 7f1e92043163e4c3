#!/usr/bin/env node
// Bundles the CLI (tsc's dist/cli/main.js and what it imports) into one script, and writes
// the `rawping` bin (dist/cli/main.cjs) that runs it. Why one bundle:
// - Start-up: Node 20 loads ES modules one by one at about a millisecond each, and the CLI
//   and yargs are some fifty of them.
// - Privilege: an ES module entry is read through libuv's thread pool, which starts its
//   threads before any of our code runs; those threads would keep CAP_NET_RAW after the CLI
//   drops it on the main thread (capabilities are per thread), and getaddrinfo parses DNS
//   answers on them. A CommonJS entry is read synchronously, so the pool starts only after
//   the drop, and its threads inherit no capability.
// Output:
// - dist/cli/main.bundle.js: the bundle, as a CommonJS module wrapper function expression;
// - dist/cli/main.<hash>.cache: V8's code cache for it, made by the node that builds;
// - dist/cli/main.cjs: the launcher (scripts/cli-launcher.cjs) naming that cache.
// - dist/THIRD-PARTY-NOTICES.md: the licences of the npm packages in the bundle, found from
//   esbuild's metafile (scripts/third-party-notices.mjs).
// The library (dist/index.js and the rest) stays as tsc wrote it. The addon is loaded by path
// (src/os/native-binding.ts), so it stays out of the bundle.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launcherFlags } from './launcher-flags.mjs';
import { thirdPartyNotices } from './third-party-notices.mjs';

const cliDir = fileURLToPath(new URL('../dist/cli/', import.meta.url));
const launcherSource = fileURLToPath(new URL('./cli-launcher.cjs', import.meta.url));
const entry = `${cliDir}main.js`;
const bundleFile = `${cliDir}main.bundle.js`;
const launcherFile = `${cliDir}main.cjs`;

const result = await build({
  entryPoints: [entry],
  absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
  write: false,
  metafile: true,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // import() of a built-in would start Node's ES module loader (about 3 ms); as require() it
  // costs nothing more. The bundle has no ES module to import.
  supported: { 'dynamic-import': false },
  sourcemap: false,
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  // yargs' `assert` (two invariant checks) without loading node:assert at every start.
  alias: { assert: fileURLToPath(new URL('./yargs-assert.cjs', import.meta.url)) },
  // The sources are ES modules that locate files with import.meta.url.
  define: { 'import.meta.url': '__rawpingModuleUrl' },
  banner: { js: "const __rawpingModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// The launcher runs the bundle as Node runs a CommonJS module: a function of exports,
// require, module, __filename and __dirname. main.ts's shebang is the launcher's business.
const code = result.outputFiles[0].text.replace(/^#!.*\n/, '');
const wrapped = `(function (exports, require, module, __filename, __dirname) {${code}\n})`;
// V8 keeps a script's source for the life of the process, as one byte per character only
// when every character is ASCII: one other anywhere doubles it (1.4 MB instead of 0.7 here).
// esbuild escapes them in string literals but cannot in a regular expression or identifier.
const wide = /[\u0080-\uffff]/.exec(wrapped);
if (wide !== null) {
  const around = wrapped.slice(Math.max(0, wide.index - 40), wide.index + 20);
  console.error(`bundle-cli: the bundle must be ASCII; escape U+${wide[0].codePointAt(0).toString(16).padStart(4, '0')} in: ${around}`);
  process.exit(1);
}
writeFileSync(bundleFile, wrapped);
const root = fileURLToPath(new URL('..', import.meta.url));
writeFileSync(`${root}dist/THIRD-PARTY-NOTICES.md`, thirdPartyNotices(result.metafile, root, 'rawping'));

const hash = createHash('sha256').update(wrapped).digest('hex').slice(0, 16);
const cacheName = `main.${hash}.cache`;
for (const name of readdirSync(cliDir)) {
  if (/^main\.[0-9a-f]+\.cache$/.test(name) && name !== cacheName) rmSync(`${cliDir}${name}`);
}
const launcher = readFileSync(launcherSource, 'utf8').replace('@CACHE_FILE@', cacheName);
writeFileSync(launcherFile, launcher);
// Executable, as npm makes a package's bin when it installs it, so the launcher's node flags
// apply in this checkout too.
chmodSync(launcherFile, 0o755);

// V8 takes a code cache only under the flags it was made with: make it under the
// launcher's flags (its second line, `":" //; exec node <flags> "$0" "$@"`), in a node of its own.
const flags = launcherFlags(launcher);
const maker = `
const { readFileSync, writeFileSync } = require('node:fs');
const { Script } = require('node:vm');
const [bundle, out] = process.argv.slice(1);
writeFileSync(out, new Script(readFileSync(bundle, 'utf8'), { filename: bundle }).createCachedData());
`;
const made = spawnSync(process.execPath, [...flags, '-e', maker, bundleFile, `${cliDir}${cacheName}`], { stdio: 'inherit' });
if (made.status !== 0) {
  // The CLI works without it, only starts slower.
  console.warn('bundle-cli: no code cache written; rawping will compile its bundle at each start');
}
