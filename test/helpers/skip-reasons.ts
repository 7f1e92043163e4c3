// Why a test cannot run here: each function returns null when it can, else the reason, for
// `test(name, { skip: reason ?? false })`. Every skip in the suite that depends on the machine
// (a build, a privilege, a kernel feature, a program) comes from here, so one missing thing
// reads the same in every file and is probed once per process. They chain with `??`:
// `cliSkipReason() ?? netnsSkipReason()` is the first reason, or null.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openSockets } from '../../src/api/open-sockets.js';
import { PermissionError } from '../../src/errors.js';
import { hasNetRaw } from '../../src/os/capabilities.js';
import { CLI_PATH, runCli } from './run-cli.js';

// The namespace probe lives beside the namespace code it exercises (scripts/soak.ts imports it
// from there too); tests take it from here with the others.
export { netnsSkipReason } from './netns.js';

/** Absolute path of the built library. */
const LIBRARY_PATH = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/**
 * The sanitizer runtime npm run test:asan preloads (LD_PRELOAD, ASAN_OPTIONS, UBSAN_OPTIONS),
 * for a test that gives a child process an environment of its own: a node without it cannot
 * load the sanitized addon. Empty in a normal run.
 */
export function sanitizerEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['LD_PRELOAD', 'ASAN_OPTIONS', 'UBSAN_OPTIONS']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/**
 * Null in a normal run; under npm run test:asan, why a test of `what` cannot hold there (ASan's
 * shadow memory and slowdown make a bound on RSS or wall time meaningless; a setuid process
 * ignores LD_PRELOAD, so it cannot load the sanitized addon; the package tests pack and install
 * the unsanitized build).
 */
export function sanitizerSkipReason(what: 'memory' | 'time' | 'setuid' | 'package'): string | null {
  if (!/libasan/.test(process.env.LD_PRELOAD ?? '')) return null;
  if (what === 'memory') return 'under ASan (npm run test:asan) the shadow memory makes a bound on peak RSS meaningless';
  if (what === 'time') return 'under ASan (npm run test:asan) the slowdown makes a bound on wall time meaningless';
  if (what === 'package') return 'under ASan (npm run test:asan) there is no package to test: the tarball is packed and installed unsanitized, by npm test';
  return 'under ASan (npm run test:asan) a setuid process ignores LD_PRELOAD and cannot load the sanitized addon';
}

function missingBuild(path: string): string | null {
  return existsSync(path) ? null : `${path} is missing: run npm run build first`;
}

/** Null when the CLI is built (dist/cli/main.cjs), else why the CLI tests cannot run. */
export function cliSkipReason(): string | null {
  return missingBuild(CLI_PATH);
}

/** Null when the library is built (dist/index.js, what child processes import), else why not. */
export function libraryBuildSkipReason(): string | null {
  return missingBuild(LIBRARY_PATH);
}

/**
 * Null when `file args` runs and exits 0 (within 5 s), else `<name> is not installed` or
 * `<name> cannot run here (...)`. For the programs tests drive: setpriv, nft, python3, ping.
 *
 * @param args what to run it with to show it works; default `--version`
 * @param name how the reason calls it, e.g. 'setpriv (util-linux)'; default `file`
 */
export function commandSkipReason(file: string, args: readonly string[] = ['--version'], name = file): string | null {
  return runFailure(spawnSync(file, args, { stdio: 'ignore', timeout: 5000 }), file, args, name);
}

// Why a run of `file` did not start or did not exit 0, or null when it did.
function runFailure(r: SpawnSyncReturns<unknown>, file: string, args: readonly string[], name: string): string | null {
  if (r.error !== undefined) {
    return (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? `${name} is not installed` : `${name} cannot run here (${r.error.message.slice(0, 120)})`;
  }
  return r.status === 0 ? null : `${name} cannot run here (\`${[file, ...args].join(' ')}\` exited with ${r.status ?? r.signal})`;
}

/** iputils' release (e.g. 20221126), or the reason there is none to compare with. */
export function iputilsRelease(): number | string {
  const r = spawnSync('ping', ['-V'], { encoding: 'utf8', timeout: 5000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' } });
  const missing = runFailure(r, 'ping', ['-V'], 'iputils ping');
  if (missing !== null) return missing;
  const m = /iputils[- ](?:s)?(\d{8})/.exec(`${r.stdout}${r.stderr}`);
  return m === null ? `ping is not iputils ping: ${JSON.stringify(`${r.stdout}${r.stderr}`.trim().slice(0, 80))}` : Number(m[1]);
}

let sockets: string | null | undefined;

/**
 * Null when raw or datagram ICMP sockets of both families can be opened by this process, else
 * why not. Under `npm run test:container` (RAWPING_REQUIRE_SOCKETS=1) always null: that pass
 * exists to catch sockets that will not open, so there the tests must run and fail, not skip.
 */
export function socketSkipReason(): string | null {
  if (process.env.RAWPING_REQUIRE_SOCKETS === '1') return null;
  if (sockets !== undefined) return sockets;
  const result = openSockets({ families: [4, 6] });
  result.close();
  const denied = result.failed.find((f) => f.error instanceof PermissionError);
  if (denied !== undefined) return (sockets = `no permission to open ICMP sockets here (${(denied.error as Error).message.slice(0, 80)}...)`);
  if (result.failed.length > 0) return (sockets = `cannot open ICMP sockets: ${(result.failed[0]?.error as Error).message}`);
  return (sockets = null);
}

/**
 * Null when this process is root or holds CAP_NET_RAW (what ping asks for flood, interval 0
 * and preload above 3), else why not.
 *
 * @param because what needs it, appended to the reason in parentheses
 */
export function netRawSkipReason(because?: string): string | null {
  if (process.geteuid?.() === 0 || hasNetRaw()) return null;
  return `needs root or CAP_NET_RAW${because !== undefined ? ` (${because})` : ''}`;
}

/** Null when this process is root, may create network namespaces and has setpriv (to run as another user), else why not. */
export function rootSkipReason(): string | null {
  if (process.geteuid?.() !== 0) return 'needs root (network namespaces, setpriv)';
  const probe = spawnSync('unshare', ['-n', 'true'], { stdio: 'ignore', timeout: 5000 });
  if (probe.status !== 0) return 'cannot create network namespaces here (unshare -n failed)';
  return commandSkipReason('setpriv', ['--version'], 'setpriv (util-linux)');
}

let icmpProbe: Promise<string | null> | undefined;

/**
 * Null when the built CLI can ping 127.0.0.1 as this process's user (root, CAP_NET_RAW or
 * ping_group_range), else the reason (the CLI's own message). Probed once with a one-probe run.
 */
export function icmpSkipReason(): Promise<string | null> {
  const missing = cliSkipReason();
  if (missing !== null) return Promise.resolve(missing);
  icmpProbe ??= runCli(['-c', '1', '-W', '2', '127.0.0.1'], { timeoutMs: 10_000 }).then(
    (r) => (r.status === 0 ? null : `cannot ping 127.0.0.1 here: ${r.stderr.trim().slice(0, 200) || `exit ${r.status}`}`),
    (error: unknown) => `cannot run the CLI: ${(error as Error).message.slice(0, 200)}`,
  );
  return icmpProbe;
}
