// What the scenarios share: sizes, parsers of the tools' output, verdict helpers, formats.
// A scenario (bench/scenarios/<name>.mjs) names its commands (rawping first, then the peers
// that are present), says how to read a command's output into figures, and turns the medians
// into derived figures and verdicts against the 'Done when' targets it owns. Every target
// address is in 127.0.0.0/8.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launcherFlags } from '../../scripts/launcher-flags.mjs';
import { median } from './stats.mjs';

/** The one address most scenarios ping. */
export const LOOPBACK = '127.0.0.1';

/** Sizes of a full run (the issues' figures) and of a --quick smoke run. */
export const SIZES = {
  full: {
    floodCount: 100000,
    accuracyCount: 300,
    accuracyIntervalMs: 5,
    sleepingCount: 100,
    sleepingIntervalMs: 20,
    sweepCidr: '127.0.0.0/16',
    streamingCidrs: ['127.0.0.0/16', '127.0.0.0/14', '127.0.0.0/12'],
    memSmall: 100000,
    memLarge: 1000000,
    adaptiveCount: 20000,
    concurrency: [1000, 10000],
    pingers: 1000,
    pingerSeconds: 20,
  },
  quick: {
    floodCount: 10000,
    accuracyCount: 50,
    accuracyIntervalMs: 5,
    sleepingCount: 20,
    sleepingIntervalMs: 20,
    sweepCidr: '127.0.0.0/20',
    streamingCidrs: ['127.0.0.0/20', '127.0.0.0/18', '127.0.0.0/16'],
    memSmall: 10000,
    memLarge: 100000,
    adaptiveCount: 2000,
    concurrency: [1000],
    pingers: 100,
    pingerSeconds: 3,
  },
};

/** 1 MB = 10^6 bytes; GNU time's %M is in KiB. */
export const kbToMB = (kb) => (kb * 1024) / 1e6;

// --- output parsers -----------------------------------------------------------------------

/** iputils' (and rawping's) statistics: "N packets transmitted, M received". */
export function parseCounts(text) {
  const m = /(\d+) packets transmitted, (\d+) received/.exec(text);
  return m ? { transmitted: Number(m[1]), received: Number(m[2]) } : null;
}

/** iputils' rtt line: "rtt min/avg/max/mdev = a/b/c/d ms" -> ms figures. */
export function parseRttLine(text) {
  const m = /rtt min\/avg\/max\/mdev = ([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+) ms/.exec(text);
  return m ? { min: Number(m[1]), avg: Number(m[2]), max: Number(m[3]), mdev: Number(m[4]) } : null;
}

/** The statistics' elapsed time: "..., time 721ms" -> 721. */
export function parseElapsedMs(text) {
  const m = /packets transmitted, .*, time (\d+)ms/.exec(text);
  return m ? Number(m[1]) : null;
}

export function lastJsonLine(text) {
  const lines = text.trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]);
  } catch {
    return null;
  }
}

/** The common verdict on a measurement: it ran, in time, and was not killed. */
export function processFailure(m) {
  if (m.spawnError) return `could not start: ${m.spawnError}`;
  if (m.timedOut) return 'timed out (killed)';
  if (m.signal) return `killed by ${m.signal}`;
  return null;
}

/** The most telling line of a failed command's output: an error line if there is one. */
export function stderrHint(m) {
  const lines = `${m.stderr}\n${m.stdout}`.split('\n').filter((l) => l.trim() && !/^PING /.test(l));
  const line = lines.find((l) => /error|rawping:|ping:/i.test(l)) ?? lines[0];
  return line ? `: ${line.trim().slice(0, 200)}` : '';
}

/** A check for ping-like output (iputils and rawping's single-target CLI). */
export function checkPingOutput({ needRtt }) {
  return (m) => {
    const failure = processFailure(m);
    if (failure) return { ok: false, error: failure };
    const counts = parseCounts(m.stdout);
    const rtt = parseRttLine(m.stdout);
    if (!counts || (needRtt && !rtt)) return { ok: false, error: `exit ${m.exitCode}, no statistics${stderrHint(m)}` };
    const values = { transmitted: counts.transmitted, received: counts.received };
    if (rtt) values.avgUs = rtt.avg * 1000;
    // From the tool's own clock, first probe to last answer: start-up is not in it.
    const elapsedMs = parseElapsedMs(m.stdout);
    if (elapsedMs !== null && counts.transmitted > 0) values.usPerProbe = (elapsedMs * 1000) / counts.transmitted;
    const note = counts.received < counts.transmitted ? `${counts.transmitted - counts.received} lost` : undefined;
    return { ok: true, values, note };
  };
}

export function checkExitZero(m) {
  const failure = processFailure(m);
  if (failure) return { ok: false, error: failure };
  if (m.exitCode !== 0) return { ok: false, error: `exit ${m.exitCode}${stderrHint(m)}` };
  return { ok: true, values: {} };
}

// --- verdict helpers ----------------------------------------------------------------------

export function verdict(id, pass, measured) {
  return { id, status: pass ? 'PASS' : 'FAIL', measured };
}

export function na(id, reason) {
  return { id, status: 'n/a', measured: reason };
}

/**
 * The verdict when rawping's figure is missing: FAIL if rawping ran and every run failed (a
 * timeout or a crash is a result), n/a when it was not run at all.
 */
export function rawpingMissing(results, key, id) {
  const r = results.get(key);
  if (!r || r.samples.length === 0) return na(id, 'not run');
  const errors = [...new Set(r.samples.map((x) => x.error).filter(Boolean))];
  return { id, status: 'FAIL', measured: `every run failed: ${errors.join('; ').slice(0, 120)}` };
}

/** Median of one figure over the good samples of one command, or null. */
export function med(results, key, figure) {
  const r = results.get(key);
  if (!r) return null;
  return median(r.samples.filter((s) => s.ok).map((s) => s.values[figure]));
}

/** Median over runs of (a - b) for one figure, using only runs where both succeeded. */
export function pairedDiffs(results, keyA, keyB, figure) {
  const a = results.get(keyA);
  const b = results.get(keyB);
  if (!a || !b) return null;
  const byRun = new Map(b.samples.filter((x) => x.ok).map((x) => [x.run, x.values[figure]]));
  return median(a.samples.filter((x) => x.ok && byRun.has(x.run)).map((x) => x.values[figure] - byRun.get(x.run)));
}

export const fmt = {
  s: (ms) => `${(ms / 1000).toFixed(3)} s`,
  ms: (ms) => `${ms.toFixed(1)} ms`,
  mb: (kb) => `${kbToMB(kb).toFixed(1)} MB`,
  us: (us) => `${us.toFixed(1)} us`,
  int: (n) => String(Math.round(n)),
};

export const WALL_S = { key: 'wallMs', label: 'wall', format: fmt.s };
export const WALL_MS = { key: 'wallMs', label: 'wall', format: fmt.ms };
export const RSS = { key: 'rssKb', label: 'peak RSS', format: fmt.mb };

export function rawpingCli(ctx, args) {
  // The CLI file itself, as the `rawping` bin runs it: its shebang carries node flags.
  return { display: `rawping ${args.join(' ')}`, argv: [ctx.rawping.cli, ...args] };
}

/** The node flags rawping's bin runs its bundle under (the launcher's `exec node <flags>` line). */
export function binNodeFlags(cli) {
  return launcherFlags(readFileSync(cli, 'utf8'));
}

/**
 * peers/addon-flood.mjs under the bin's node flags: `count` probes to LOOPBACK, each sent by
 * the addon's receive thread on the reply before, replies only counted in JavaScript. The
 * floor of a Node flood over this addon; it prints ping's statistics line.
 */
export function addonFloodCommand(ctx, count) {
  const flags = binNodeFlags(ctx.rawping.cli);
  return {
    key: 'addon-floor',
    display: `node ${flags.join(' ')} addon-flood.mjs ${count} ${LOOPBACK} (the addon's thread, replies only counted)`,
    argv: [ctx.node, ...flags, join(ctx.benchDir, 'peers', 'addon-flood.mjs'), ctx.rawping.index, String(count), LOOPBACK],
    check: checkPingOutput({ needRtt: false }),
  };
}
