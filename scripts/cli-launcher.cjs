#!/bin/sh
":" //; exec node --max-semi-space-size=4 --min-semi-space-size=4 --no-allocation-site-pretenuring --v8-pool-size=1 "$0" "$@"
// The `rawping` bin, written into dist/cli/main.cjs by scripts/bundle-cli.mjs. Its first two
// lines are both shell and JavaScript: /bin/sh runs the second line, which execs node with
// the bin's flags (an `env -S node <flags>` shebang does not start where env is BusyBox's,
// as on Alpine, and an `env node` one cannot pass flags); to node, that line is a string and
// a comment. A shell costs about a millisecond of the start; node run on this file directly
// (`node main.cjs`) runs it without the flags. It runs the CLI
// bundle (main.bundle.js) with V8's code cache made for it at build time, so a start does not
// parse and compile 260 kB of JavaScript again: about 15 ms of a `rawping -c 1` here.
// Without the cache file, or when V8 refuses it (another Node version or other V8 flags), the
// bundle is compiled as usual. The cache's name carries a hash of the bundle it was made
// from, because V8 itself checks only the length of the source.
// The flags cap V8's young generation at 4 MiB per semi-space (default 16): rawping makes
// many short-lived objects at a steady rate, and the smaller nursery cut the peak RSS of a
// /16 sweep from about 102 MB to about 84 MB at no cost in time. They also fix it at 4 MiB
// from the start (default 1, growing): V8 grows the nursery only after scavenges that keep
// much, and a sweep that began in a small one kept its probes in flight past two scavenges,
// to die in the old generation. Started at 1 MiB, the /16 sweep peaked at 89 MB instead of
// 70; started at 2 MiB, once its probes went from the socket's thread, it peaked at 82-86 MB
// in half the runs (and at 64 MB in the others); fixed at 4 MiB, at 64 MB in every run. A
// one-probe ping peaks at 46.6 MB either way.
// And they turn off V8's allocation-site pretenuring. After its first full collection V8
// judged the sites of a sweep's per-target objects long-lived (most outlived one scavenge)
// and allocated them in the old generation, where they died at once and piled up until the
// next full collection: pingEach over a /16 peaked at 81-84 MB with the 4 MiB nursery, 63-64
// MB without pretenuring (6 alternating runs each).
// And they give V8 one worker thread for its background jobs (concurrent marking and
// compiling; default 4). On this 2-vCPU machine the others only competed with the addon's
// receive thread and kept malloc arenas of their own: with one, the /16 sweep peaked at 63 MB
// instead of 68, and the flood's own time per probe was about 5 % lower (7 alternating runs).
'use strict';
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { Script } = require('node:vm');

const bundle = join(__dirname, 'main.bundle.js');
let cachedData;
try {
  cachedData = readFileSync(join(__dirname, '@CACHE_FILE@'));
} catch {
  // No cache: compile.
}
const script = new Script(readFileSync(bundle, 'utf8'), { filename: bundle, cachedData });
script.runInThisContext()(exports, createRequire(bundle), module, bundle, __dirname);
