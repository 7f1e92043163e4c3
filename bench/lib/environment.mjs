// What this machine offers the benchmark: privileges, the peers (iputils ping, fping, net-ping)
// and rawping's own build. Nothing here installs anything; a missing peer is reported with the
// command that would install it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, release } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

const CAP_NET_RAW = 13;

/**
 * Whether this process may open an unprivileged ICMP datagram socket: one of its groups lies
 * inside net.ipv4.ping_group_range.
 */
function dgramAllowed() {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ping_group_range', 'utf8').trim().split(/\s+/).map(Number);
    const groups = new Set([process.getgid?.() ?? -1, ...(process.getgroups?.() ?? [])]);
    return { range: `${lo} ${hi}`, allowed: [...groups].some((g) => g >= lo && g <= hi) };
  } catch {
    return { range: null, allowed: false };
  }
}

/** @returns {{uid: number, isRoot: boolean, capNetRaw: boolean, dgram: {range: string|null, allowed: boolean}}} */
export function privileges() {
  const uid = process.getuid?.() ?? -1;
  let capNetRaw = false;
  try {
    const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) capNetRaw = ((BigInt(`0x${m[1]}`) >> BigInt(CAP_NET_RAW)) & 1n) === 1n;
  } catch {
    // no /proc: assume nothing
  }
  return { uid, isRoot: uid === 0, capNetRaw, dgram: dgramAllowed() };
}

/** @param {string} name @returns {string|null} absolute path of an executable on PATH */
export function which(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function firstLine(argv) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 5000 });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n')[0] ?? '';
}

/** @returns {{path: string, version: string} | {missing: string}} */
export function findIputilsPing() {
  const path = which('ping');
  if (!path) return { missing: 'iputils ping not found: apt-get install iputils-ping' };
  const version = firstLine([path, '-V']);
  if (!/iputils/i.test(version)) {
    return { missing: `${path} is not iputils ping (${version || 'no -V output'}): apt-get install iputils-ping` };
  }
  return { path, version };
}

/** @returns {{path: string, version: string} | {missing: string}} */
export function findFping() {
  const path = which('fping');
  if (!path) return { missing: 'fping not found: apt-get install fping' };
  return { path, version: firstLine([path, '-v']).replace(/^\S*fping:\s*/, 'fping ') };
}

/**
 * net-ping as resolved from the repository (a devDependency), or through NODE_PATH.
 * Loading it in a child also proves raw-socket's native addon was built for this Node.
 * @param {string} repoRoot
 * @returns {{entry: string, version: string} | {missing: string}}
 */
export function findNetPing(repoRoot) {
  let entry;
  try {
    entry = createRequire(join(repoRoot, 'package.json')).resolve('net-ping');
  } catch {
    return { missing: 'npm package net-ping not installed: run `npm install` (it is a devDependency)' };
  }
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(entry)})`], { encoding: 'utf8', timeout: 15000 });
  if (r.status !== 0) {
    const why = (r.stderr ?? '').split('\n').find((l) => /Error/.test(l)) ?? `exit ${r.status}`;
    return { missing: `net-ping is installed but does not load (${why.trim()}): reinstall it with \`npm install\`` };
  }
  let version = '?';
  try {
    version = JSON.parse(readFileSync(join(dirname(entry), 'package.json'), 'utf8')).version;
  } catch {
    // keep '?'
  }
  return { entry, version };
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * rawping's built CLI and library. Returns an error message when unusable, warnings when stale.
 * @param {string} repoRoot
 */
export function findRawping(repoRoot) {
  const cli = join(repoRoot, 'dist', 'cli', 'main.cjs');
  const index = join(repoRoot, 'dist', 'index.js');
  if (!existsSync(cli) || !existsSync(index)) {
    return { error: `rawping is not built (${cli} missing): run \`npm run build\` first` };
  }
  const warnings = [];
  try {
    if (newestMtime(join(repoRoot, 'src')) > statSync(cli).mtimeMs) {
      warnings.push('dist/ is older than src/: the figures are for the last build; run `npm run build` to refresh');
    }
  } catch {
    // no src/ (installed package): nothing to compare
  }
  return { cli, index, warnings };
}

/** @param {string} repoRoot */
export function gitDescribe(repoRoot) {
  const head = spawnSync('git', ['-C', repoRoot, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
  const dirty = spawnSync('git', ['-C', repoRoot, 'status', '--porcelain', '--', 'src', 'native'], { encoding: 'utf8' });
  return {
    commit: head.status === 0 ? head.stdout.trim() : null,
    dirtySources: dirty.status === 0 ? dirty.stdout.trim().length > 0 : null,
  };
}

export function machine() {
  const cpu = cpus();
  return { kernel: release(), cpuModel: cpu[0]?.model ?? '?', cpus: cpu.length, node: process.version };
}
