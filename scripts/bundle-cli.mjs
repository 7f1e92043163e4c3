#!/usr/bin/env node
// Bundles the CLI entry (dist/cli/main.js, from tsc) with its imports into that same file.
// Node 20 spends about a millisecond per ES module it loads; the CLI pulls in some fifty
// (its own and yargs'), which made `rawping -c 1` start 50 ms slower than it needs to.
// The library (dist/index.js and the rest) stays unbundled. The addon is still loaded from
// build/Release by path, so it is left out of the bundle.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  logLevel: 'warning',
  // Bundled CommonJS dependencies (yargs' helpers) call require(); give them one.
  banner: { js: "import { createRequire as __rawpingCreateRequire } from 'node:module'; const require = __rawpingCreateRequire(import.meta.url);" },
});
// Executable, as npm makes a package's bin when it installs it, so the shebang's node flags
// apply in this checkout too.
chmodSync(entry, 0o755);
