#!/usr/bin/env node
// npm run fuzz:native [-- --seconds S] [--seed N] [--asan]
//
// A longer run of test/native/receive-fuzz.test.ts: random datagrams through the addon's real
// receive path (raw and datagram sockets, IPv4 and IPv6, the error queue), checked packet by
// packet; see that file and receive-fuzz-driver.ts beside it. Needs root (a network namespace
// of its own, raw sockets). Runs in rounds of at most 60 s, each a fresh namespace and driver
// with its own seed (printed), until the rounds add up to --seconds of fuzzing (default 60;
// start-up and the sanitizer build are not counted); with --seed, one round with that seed. A failing round stops with the driver's report of what was wrong.
// With --asan, the addon is built with ASan/UBSan first (as npm run test:asan does) and every
// round runs on that build.
//
// Reproduce a round: npm run fuzz:native -- --seed <seed> --seconds <its length> [--asan]
// (the datagrams follow the seed; the kernel's identifiers and the timing of batches may not).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const FILE = 'test/native/receive-fuzz.test.ts';
const ROUND_SECONDS = 60;

function parse(argv) {
  const options = { seconds: 60, seed: null, asan: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--asan') {
      options.asan = true;
      continue;
    }
    const key = { '--seconds': 'seconds', '--seed': 'seed' }[argv[i]];
    const value = Number(argv[i + 1]);
    if (key === undefined || !Number.isFinite(value) || (key === 'seconds' && value <= 0) || (key === 'seed' && !Number.isInteger(value))) {
      console.error(`fuzz:native: bad option ${argv[i]} ${argv[i + 1] ?? ''}\nusage: fuzz:native [--seconds 60] [--seed N] [--asan]`);
      process.exit(2);
    }
    options[key] = value;
    i++;
  }
  return options;
}

const options = parse(process.argv.slice(2));
if (process.geteuid?.() !== 0) {
  console.error('fuzz:native: needs root (a network namespace of its own, raw sockets)');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'rawping-fuzz-native-'));
const started = performance.now();
const totals = { rounds: 0, seconds: 0, sent: 0, packets: 0 };
let status = 0;
console.log(
  `fuzz:native: ${FILE}${options.asan ? ' on the ASan/UBSan build' : ''}, ${options.seed !== null ? `seed ${options.seed}, ` : ''}${options.seconds} s`,
);
try {
  for (;;) {
    const seconds = options.seed !== null ? options.seconds : Math.min(ROUND_SECONDS, options.seconds - totals.seconds);
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    const report = join(dir, `round-${totals.rounds}.json`);
    const env = { ...process.env, RAWPING_NATIVE_FUZZ_SECONDS: String(seconds), RAWPING_NATIVE_FUZZ_SEED: String(seed), RAWPING_NATIVE_FUZZ_REPORT: report };
    const command = options.asan ? [join(root, 'scripts/test-asan.mjs'), FILE] : ['--import', 'tsx', '--test', '--test-reporter', 'dot', FILE];
    // test-asan rebuilds the sanitizer addon each time; only the first round needs it.
    if (options.asan && totals.rounds > 0) env.RAWPING_ASAN_REUSE = '1';
    const run = spawnSync(process.execPath, command, { cwd: root, encoding: 'utf8', env });
    totals.rounds++;
    totals.seconds += seconds;
    if (run.status !== 0) {
      process.stdout.write(run.stdout);
      process.stderr.write(run.stderr);
      console.log(
        `fuzz:native: round ${totals.rounds} FAILED with seed ${seed} (reproduce: npm run fuzz:native -- --seed ${seed} --seconds ${seconds}${options.asan ? ' --asan' : ''})`,
      );
      status = 1;
      break;
    }
    const r = JSON.parse(readFileSync(report, 'utf8'));
    const packets = Object.values(r.seen).reduce((n, s) => n + s.packets, 0);
    totals.sent += r.sent;
    totals.packets += packets;
    const line = Object.entries(r.seen)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, s]) => `${name} ${s.packets} (${s.errorQueue} from the error queue, ${s.oversize} over the slot, ${s.kernelDrops} dropped by the kernel)`)
      .join(', ');
    console.log(`fuzz:native: round ${totals.rounds} seed ${seed}, ${seconds} s${r.sanitized ? ', ASan' : ''}: ${r.sent} datagrams sent, received ${line}`);
    if (options.seed !== null || totals.seconds >= options.seconds) break;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `fuzz:native: ${status === 0 ? 'PASS' : 'FAIL'}: ${totals.rounds} rounds, ${totals.seconds} s of fuzzing, ${totals.sent} datagrams sent, ${totals.packets} packets received and checked, ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(status);
