#!/usr/bin/env node
// Bundles the CLI (tsc's dist/cli/main.js and what it imports) into dist/cli/main.cjs, the
// `rawping` bin. Two reasons:
// - Start-up: Node 20 loads ES modules one by one at about a millisecond each, and the CLI
//   and yargs are some fifty of them.
// - Privilege: an ES module entry is read through libuv's thread pool, which starts its
//   threads before any of our code runs; those threads would keep CAP_NET_RAW after the CLI
//   drops it on the main thread (capabilities are per thread), and getaddrinfo parses DNS
//   answers on them. A CommonJS entry is read synchronously, so the pool starts only after
//   the drop, and its threads inherit no capability.
// The library (dist/index.js and the rest) stays as tsc wrote it. The addon is loaded from
// build/Release by path, so it stays out of the bundle.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const outfile = fileURLToPath(new URL('../dist/cli/main.cjs', import.meta.url));
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: false,
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  // The sources are ES modules that locate files with import.meta.url.
  define: { 'import.meta.url': '__rawpingModuleUrl' },
  banner: { js: "const __rawpingModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// Executable, as npm makes a package's bin when it installs it, so the shebang's node flags
// apply in this checkout too.
chmodSync(outfile, 0o755);
