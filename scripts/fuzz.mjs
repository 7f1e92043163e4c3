#!/usr/bin/env node
// npm run fuzz [-- --seconds S | --runs N] [--seed X]
//
// A longer random run of the properties in test/pinger/receive-fuzz.test.ts: the pinger's
// receive path over the fake socket (random and mutated replies and ICMP errors from any
// source, raw and datagram sockets) and the decoders on the same datagrams. Each round runs
// the file with a fresh seed (printed, for reproduction) and --runs runs per property, until
// --seconds have passed (default 60) or, with --runs and no --seconds, once. A failing round
// stops the fuzzing with fast-check's counterexample and exit 1.
//
// Reproduce a round: npm run fuzz -- --seed <seed> --runs <runs>
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const FILE = 'test/pinger/receive-fuzz.test.ts';

function parse(argv) {
  const options = { seconds: null, runs: null, seed: null };
  for (let i = 0; i < argv.length; i += 2) {
    const key = { '--seconds': 'seconds', '--runs': 'runs', '--seed': 'seed' }[argv[i]];
    const value = Number(argv[i + 1]);
    if (key === undefined || !Number.isFinite(value) || (key !== 'seed' && value <= 0)) {
      console.error(`fuzz: bad option ${argv[i]} ${argv[i + 1] ?? ''}\nusage: fuzz [--seconds 60] [--runs 10000] [--seed N]`);
      process.exit(2);
    }
    options[key] = Math.trunc(value);
  }
  if (options.seconds === null && (options.runs === null || options.seed === null)) options.seconds ??= 60;
  options.runs ??= 10000;
  return options;
}

const options = parse(process.argv.slice(2));
const dir = mkdtempSync(join(tmpdir(), 'rawping-fuzz-'));
const started = performance.now();
let rounds = 0;
let datagrams = 0;
let replies = 0;
let status = 0;
console.log(`fuzz: ${FILE}, ${options.runs} runs per property per round${options.seconds !== null ? `, for ${options.seconds} s` : ''}`);
try {
  for (;;) {
    const seed = options.seed ?? (Math.random() * 2 ** 31) | 0;
    const report = join(dir, `round-${rounds}.json`);
    const t0 = performance.now();
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter', 'dot', FILE], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, RAWPING_FUZZ_RUNS: String(options.runs), RAWPING_FUZZ_SEED: String(seed), RAWPING_FUZZ_REPORT: report },
    });
    rounds++;
    if (run.status !== 0) {
      process.stdout.write(run.stdout);
      process.stderr.write(run.stderr);
      console.log(`fuzz: round ${rounds} FAILED with seed ${seed} (reproduce: npm run fuzz -- --seed ${seed} --runs ${options.runs})`);
      status = 1;
      break;
    }
    const r = JSON.parse(readFileSync(report, 'utf8'));
    datagrams += r.datagrams;
    replies += r.replies;
    console.log(
      `fuzz: round ${rounds} seed ${seed}: ${r.datagrams} datagrams (${r.replies} counted as replies) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    if (options.seconds === null || options.seed !== null) break;
    if (performance.now() - started >= options.seconds * 1000) break;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `fuzz: ${status === 0 ? 'PASS' : 'FAIL'}: ${rounds} rounds, ${datagrams} datagrams fuzzed through the receive path and the decoders, ${replies} replies checked, ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(status);
