// The five scenarios of issues 4 and 5. Each one names its commands (rawping first, then the
// peers that are present), says how to read a command's output into figures, and turns the
// medians into derived figures and verdicts. Every target is in 127.0.0.0/8.
import { join } from 'node:path';
import { hostCount, loopbackRange } from './cidr.mjs';
import { median } from './stats.mjs';

const LOOPBACK = '127.0.0.1';

/** Sizes of a full run (the issues' figures) and of a --quick smoke run. */
export const SIZES = {
  full: { floodCount: 100000, accuracyCount: 300, accuracyIntervalMs: 5, sleepingCount: 100, sleepingIntervalMs: 20, sweepCidr: '127.0.0.0/16', memSmall: 100000, memLarge: 1000000 },
  quick: { floodCount: 10000, accuracyCount: 50, accuracyIntervalMs: 5, sleepingCount: 20, sleepingIntervalMs: 20, sweepCidr: '127.0.0.0/20', memSmall: 10000, memLarge: 100000 },
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

function lastJsonLine(text) {
  const lines = text.trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]);
  } catch {
    return null;
  }
}

/** The common verdict on a measurement: it ran, in time, and was not killed. */
function processFailure(m) {
  if (m.spawnError) return `could not start: ${m.spawnError}`;
  if (m.timedOut) return 'timed out (killed)';
  if (m.signal) return `killed by ${m.signal}`;
  return null;
}

/** The most telling line of a failed command's output: an error line if there is one. */
function stderrHint(m) {
  const lines = `${m.stderr}\n${m.stdout}`.split('\n').filter((l) => l.trim() && !/^PING /.test(l));
  const line = lines.find((l) => /error|rawping:|ping:/i.test(l)) ?? lines[0];
  return line ? `: ${line.trim().slice(0, 200)}` : '';
}

/** A check for ping-like output (iputils and rawping's single-target CLI). */
function checkPingOutput({ needRtt }) {
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

function checkExitZero(m) {
  const failure = processFailure(m);
  if (failure) return { ok: false, error: failure };
  if (m.exitCode !== 0) return { ok: false, error: `exit ${m.exitCode}${stderrHint(m)}` };
  return { ok: true, values: {} };
}

// --- verdict helpers ----------------------------------------------------------------------

function verdict(id, pass, measured) {
  return { id, status: pass ? 'PASS' : 'FAIL', measured };
}

function na(id, reason) {
  return { id, status: 'n/a', measured: reason };
}

/**
 * The verdict when rawping's figure is missing: FAIL if rawping ran and every run failed (a
 * timeout or a crash is a result), n/a when it was not run at all.
 */
function rawpingMissing(results, key, id) {
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
function pairedDiffs(results, keyA, keyB, figure) {
  const a = results.get(keyA);
  const b = results.get(keyB);
  if (!a || !b) return null;
  const byRun = new Map(b.samples.filter((x) => x.ok).map((x) => [x.run, x.values[figure]]));
  return median(a.samples.filter((x) => x.ok && byRun.has(x.run)).map((x) => x.values[figure] - byRun.get(x.run)));
}

const fmt = {
  s: (ms) => `${(ms / 1000).toFixed(3)} s`,
  ms: (ms) => `${ms.toFixed(1)} ms`,
  mb: (kb) => `${kbToMB(kb).toFixed(1)} MB`,
  us: (us) => `${us.toFixed(1)} us`,
  int: (n) => String(Math.round(n)),
};

const WALL_S = { key: 'wallMs', label: 'wall', format: fmt.s };
const WALL_MS = { key: 'wallMs', label: 'wall', format: fmt.ms };
const RSS = { key: 'rssKb', label: 'peak RSS', format: fmt.mb };

function rawpingCli(ctx, args) {
  // The CLI file itself, as the `rawping` bin runs it: its shebang carries node flags.
  return { display: `rawping ${args.join(' ')}`, argv: [ctx.rawping.cli, ...args] };
}

// --- scenarios ----------------------------------------------------------------------------

/** @type {Array<object>} */
export const SCENARIOS = [
  {
    name: 'flood',
    needs: 'raw',
    verdictIds: ['flood'],
    title: (s) => `flood: -f -q -c ${s.floodCount} ${LOOPBACK}, wall time`,
    metrics: [WALL_S, { key: 'usPerProbe', label: 'per probe', format: fmt.us }, RSS, { key: 'received', label: 'received', format: fmt.int }],
    commands(ctx, s) {
      const args = ['-f', '-q', '-c', String(s.floodCount), LOOPBACK];
      const check = checkPingOutput({ needRtt: false });
      const commands = [{ key: 'rawping', ...rawpingCli(ctx, args), check }];
      const skipped = [];
      if (ctx.peers.iputils.path) commands.push({ key: 'iputils', display: `ping ${args.join(' ')}`, argv: [ctx.peers.iputils.path, ...args], check });
      else skipped.push(ctx.peers.iputils.missing);
      // The same flood with the socket replaced by an in-process echo (lib/echo-addon.cjs): no
      // system call, so its time per probe is what rawping's JavaScript costs on its own.
      commands.push({
        key: 'rawping-echo',
        ...rawpingCli(ctx, args),
        display: `rawping ${args.join(' ')}, in-process echo, no socket`,
        env: { ...process.env, RAWPING_ADDON: join(ctx.benchDir, 'lib', 'echo-addon.cjs') },
        check,
      });
      return { commands, skipped };
    },
    analyze(results, s) {
      const raw = med(results, 'rawping', 'wallMs');
      const ref = med(results, 'iputils', 'wallMs');
      if (raw === null) return { lines: [], derived: {}, verdicts: [rawpingMissing(results, 'rawping', 'flood')] };
      if (ref === null) return { lines: [], derived: {}, verdicts: [na('flood', 'iputils ping missing or failed')] };
      const ratio = raw / ref;
      const lines = [`ratio rawping/iputils (median wall): ${ratio.toFixed(2)}   (${fmt.s(raw)} vs ${fmt.s(ref)}; iputils ${((s.floodCount / ref) * 1000).toFixed(0)} round trips/s, rawping ${((s.floodCount / raw) * 1000).toFixed(0)}/s)`];
      const perProbe = Object.fromEntries(['rawping', 'iputils', 'rawping-echo'].map((key) => [key, med(results, key, 'usPerProbe')]));
      if (Object.values(perProbe).every((v) => v !== null)) {
        lines.push(
          `per probe (medians of each run's own "time" / probes): iputils ${fmt.us(perProbe.iputils)}, rawping ${fmt.us(perProbe.rawping)}, ` +
            `of which its JavaScript alone (in-process echo) ${fmt.us(perProbe['rawping-echo'])}`,
        );
      }
      return {
        lines,
        derived: { ratio, rawpingMedianMs: raw, iputilsMedianMs: ref, usPerProbe: perProbe },
        verdicts: [verdict('flood', ratio <= 1.0, `ratio ${ratio.toFixed(2)} (rawping ${fmt.s(raw)}, iputils ${fmt.s(ref)})`)],
      };
    },
  },

  {
    name: 'accuracy',
    needs: 'icmp',
    verdictIds: ['rtt-cli', 'rtt-lib'],
    title: (s) => `accuracy: average RTT of -c ${s.accuracyCount} -i ${s.accuracyIntervalMs / 1000} -q ${LOOPBACK}`,
    metrics: [{ key: 'avgUs', label: 'avg RTT', format: fmt.us }, WALL_S, { key: 'received', label: 'received', format: fmt.int }],
    commands(ctx, s) {
      const args = ['-c', String(s.accuracyCount), '-i', String(s.accuracyIntervalMs / 1000), '-q', LOOPBACK];
      const check = checkPingOutput({ needRtt: true });
      const commands = [{ key: 'rawping', ...rawpingCli(ctx, args), check }];
      const skipped = [];
      if (ctx.peers.iputils.path) commands.push({ key: 'iputils', display: `ping ${args.join(' ')}`, argv: [ctx.peers.iputils.path, ...args], check });
      else skipped.push(ctx.peers.iputils.missing);
      // A control: at 10 ms or more iputils sleeps between probes, as rawping always does (under
      // 10 ms it spins a core instead), so the two measure under the same conditions there.
      const sleeping = ['-c', String(s.sleepingCount), '-i', String(s.sleepingIntervalMs / 1000), '-q', LOOPBACK];
      commands.push({ key: 'rawping-sleeping', ...rawpingCli(ctx, sleeping), check });
      if (ctx.peers.iputils.path) commands.push({ key: 'iputils-sleeping', display: `ping ${sleeping.join(' ')}`, argv: [ctx.peers.iputils.path, ...sleeping], check });
      const checkJson = (m) => {
        const failure = processFailure(m);
        if (failure) return { ok: false, error: failure };
        const j = lastJsonLine(m.stdout);
        if (m.exitCode !== 0 || !j || j.avgMs === null) return { ok: false, error: `exit ${m.exitCode}, no result${stderrHint(m)}` };
        const values = { avgUs: j.avgMs * 1000, received: j.received, transmitted: j.transmitted };
        if (j.zeroMs !== undefined) values.zeroMs = j.zeroMs;
        const note = j.received < j.transmitted ? `${j.transmitted - j.received} lost` : undefined;
        return { ok: true, values, note };
      };
      commands.push({
        key: 'library',
        display: `library ping('${LOOPBACK}', { count: ${s.accuracyCount}, interval: ${s.accuracyIntervalMs} })`,
        argv: [ctx.node, join(ctx.benchDir, 'peers', 'library-accuracy.mjs'), ctx.rawping.index, String(s.accuracyCount), String(s.accuracyIntervalMs)],
        check: checkJson,
      });
      if (!ctx.peers.netPing.entry) skipped.push(ctx.peers.netPing.missing);
      else if (!ctx.priv.capNetRaw) skipped.push('net-ping: needs root or CAP_NET_RAW (raw sockets only)');
      else {
        commands.push({
          key: 'net-ping',
          display: `net-ping ${s.accuracyCount} x pingHost('${LOOPBACK}') every ${s.accuracyIntervalMs} ms`,
          argv: [ctx.node, join(ctx.benchDir, 'peers', 'netping-accuracy.mjs'), ctx.peers.netPing.entry, String(s.accuracyCount), String(s.accuracyIntervalMs)],
          check: checkJson,
        });
      }
      return { commands, skipped };
    },
    analyze(results, s) {
      const lines = [];
      const derived = {};
      const verdicts = [];
      // Each command against the iputils run of its own pattern: the last row is the control.
      for (const [key, refKey, id, label] of [
        ['rawping', 'iputils', 'rtt-cli', 'rawping CLI'],
        ['library', 'iputils', 'rtt-lib', 'rawping library'],
        ['net-ping', 'iputils', null, 'net-ping'],
        ['rawping-sleeping', 'iputils-sleeping', null, `control, -i ${s.sleepingIntervalMs / 1000} (iputils sleeps between probes too): rawping CLI`],
      ]) {
        const v = med(results, key, 'avgUs');
        const ref = med(results, refKey, 'avgUs');
        if (v === null || ref === null) {
          if (id) verdicts.push(v === null ? rawpingMissing(results, key, id) : na(id, 'iputils ping missing or failed'));
          continue;
        }
        const diff = v - ref;
        derived[`${key}MinusIputilsUs`] = diff;
        // Runs alternate, so run i of each command saw the same conditions: the median of the
        // per-run differences is shown too, as a check on the difference of the medians.
        const paired = pairedDiffs(results, key, refKey, 'avgUs');
        derived[`${key}MinusIputilsPairedUs`] = paired;
        const pairedText = paired === null ? '' : `; median of per-run differences ${paired >= 0 ? '+' : ''}${paired.toFixed(1)} us`;
        lines.push(`${label} avg - iputils avg (medians): ${diff >= 0 ? '+' : ''}${diff.toFixed(1)} us   (${fmt.us(v)} vs ${fmt.us(ref)}${pairedText})`);
        if (id) verdicts.push(verdict(id, Math.abs(diff) <= 5, `${diff >= 0 ? '+' : ''}${diff.toFixed(1)} us (${label} ${fmt.us(v)}, iputils ${fmt.us(ref)})`));
      }
      const zeros = med(results, 'net-ping', 'zeroMs');
      if (zeros !== null) lines.push(`net-ping reports whole milliseconds: median ${zeros} of its RTTs were 0 ms`);
      derived.iputilsAvgUs = med(results, 'iputils', 'avgUs');
      return { lines, derived, verdicts };
    },
  },

  {
    name: 'sweep',
    needs: 'raw',
    verdictIds: ['sweep-alive', 'sweep-wall', 'sweep-rss'],
    title: (s) => `sweep: ${s.sweepCidr} (${hostCount(s.sweepCidr)} targets), one probe each, wall time and peak RSS`,
    metrics: [WALL_S, RSS, { key: 'alive', label: 'alive', format: fmt.int }],
    commands(ctx, s) {
      loopbackRange(s.sweepCidr); // throws outside 127.0.0.0/8
      const expected = hostCount(s.sweepCidr);
      const commands = [];
      const skipped = [];
      const rawArgs = ['-q', '-c', '1', '--rate', '0', '--alive', '--generate', s.sweepCidr];
      commands.push({
        key: 'rawping',
        ...rawpingCli(ctx, rawArgs),
        check: (m) => {
          const failure = processFailure(m);
          if (failure) return { ok: false, error: failure };
          const lines = m.stdout.split('\n').filter((l) => l.trim());
          const alive = new Set(lines).size;
          if (m.exitCode !== 0 && alive === 0) return { ok: false, error: `exit ${m.exitCode}${stderrHint(m)}` };
          const note = alive !== expected ? `listed ${alive} of ${expected}` : undefined;
          return { ok: true, values: { alive }, note };
        },
      });
      if (ctx.peers.fping.path) {
        const args = ['-q', '-c', '1', '-i', '0', '-p', '10', '-g', s.sweepCidr];
        commands.push({
          key: 'fping',
          display: `fping ${args.join(' ')}`,
          argv: [ctx.peers.fping.path, ...args],
          check: (m) => {
            const failure = processFailure(m);
            if (failure) return { ok: false, error: failure };
            // -q -c: one summary line per target on stderr; "1/1/0%" for a target that answered.
            const alive = (m.stderr.match(/xmt\/rcv\/%loss = 1\/1\/0%/g) ?? []).length;
            if (alive === 0) return { ok: false, error: `exit ${m.exitCode}${stderrHint(m)}` };
            return { ok: true, values: { alive }, note: alive !== expected ? `${alive} of ${expected} answered` : undefined };
          },
        });
      } else skipped.push(ctx.peers.fping.missing);
      if (ctx.peers.netPing.entry) {
        commands.push({
          key: 'net-ping',
          display: `net-ping sweep ${s.sweepCidr} (window ${ctx.netPingWindow})`,
          argv: [ctx.node, join(ctx.benchDir, 'peers', 'netping-sweep.mjs'), ctx.peers.netPing.entry, s.sweepCidr, String(ctx.netPingWindow)],
          check: (m) => {
            const failure = processFailure(m);
            if (failure) return { ok: false, error: failure };
            const j = lastJsonLine(m.stdout);
            if (!j || m.exitCode === 3) return { ok: false, error: `exit ${m.exitCode}${stderrHint(m)}` };
            return { ok: true, values: { alive: j.alive }, note: j.alive !== expected ? `${j.alive} of ${expected} answered` : undefined };
          },
        });
      } else skipped.push(ctx.peers.netPing.missing);
      return { commands, skipped };
    },
    analyze(results, s) {
      const expected = hostCount(s.sweepCidr);
      const r = results.get('rawping');
      const good = r ? r.samples.filter((x) => x.ok) : [];
      const verdicts = [];
      const lines = [];
      const derived = { expected };
      if (good.length === 0) {
        verdicts.push(...['sweep-alive', 'sweep-wall', 'sweep-rss'].map((id) => rawpingMissing(results, 'rawping', id)));
        return { lines, derived, verdicts };
      }
      const allListed = good.every((x) => x.values.alive === expected);
      const counts = [...new Set(good.map((x) => x.values.alive))].join(', ');
      verdicts.push(verdict('sweep-alive', allListed, `listed ${counts} of ${expected} in ${good.length} run(s)`));
      const raw = med(results, 'rawping', 'wallMs');
      const ref = med(results, 'fping', 'wallMs');
      if (ref === null) verdicts.push(na('sweep-wall', 'fping missing or failed'));
      else {
        derived.wallRatioVsFping = raw / ref;
        lines.push(`ratio rawping/fping (median wall): ${(raw / ref).toFixed(2)}   (${fmt.s(raw)} vs ${fmt.s(ref)})`);
        verdicts.push(verdict('sweep-wall', raw <= ref, `rawping ${fmt.s(raw)}, fping ${fmt.s(ref)} (ratio ${(raw / ref).toFixed(2)})`));
      }
      const np = med(results, 'net-ping', 'wallMs');
      if (np !== null) {
        derived.wallRatioVsNetPing = raw / np;
        lines.push(`ratio rawping/net-ping (median wall): ${(raw / np).toFixed(2)}   (${fmt.s(raw)} vs ${fmt.s(np)})`);
      }
      const rss = med(results, 'rawping', 'rssKb');
      if (rss === null) verdicts.push(na('sweep-rss', 'no RSS figures (GNU time missing)'));
      else {
        const peers = ['fping', 'net-ping']
          .map((k) => [k, med(results, k, 'rssKb')])
          .filter(([, v]) => v !== null)
          .map(([k, v]) => `${k} ${fmt.mb(v)}`);
        verdicts.push(verdict('sweep-rss', kbToMB(rss) <= 100, `${fmt.mb(rss)}${peers.length ? ` (${peers.join(', ')})` : ''}`));
      }
      return { lines, derived, verdicts };
    },
  },

  {
    name: 'startup',
    needs: 'icmp',
    warmup: true,
    verdictIds: ['startup'],
    title: () => `startup: rawping -c 1 -q ${LOOPBACK} against node -e 0`,
    metrics: [WALL_MS, RSS],
    commands(ctx) {
      const args = ['-c', '1', '-q', LOOPBACK];
      return {
        commands: [
          { key: 'rawping', ...rawpingCli(ctx, args), check: checkPingOutput({ needRtt: true }) },
          { key: 'node', display: 'node -e 0', argv: [ctx.node, '-e', '0'], check: checkExitZero },
        ],
        skipped: [],
      };
    },
    analyze(results) {
      const raw = med(results, 'rawping', 'wallMs');
      const ref = med(results, 'node', 'wallMs');
      if (raw === null) return { lines: [], derived: {}, verdicts: [rawpingMissing(results, 'rawping', 'startup')] };
      if (ref === null) return { lines: [], derived: {}, verdicts: [na('startup', 'node -e 0 failed')] };
      const diff = raw - ref;
      return {
        lines: [`rawping -c 1 minus node -e 0 (medians): ${diff.toFixed(1)} ms   (${fmt.ms(raw)} vs ${fmt.ms(ref)})`],
        derived: { diffMs: diff },
        verdicts: [verdict('startup', diff <= 60, `+${diff.toFixed(1)} ms (rawping ${fmt.ms(raw)}, node -e 0 ${fmt.ms(ref)})`)],
      };
    },
  },

  {
    name: 'memory',
    needs: 'raw',
    verdictIds: ['memory'],
    title: (s) => `memory: peak RSS of rawping -f -q after ${s.memSmall} and after ${s.memLarge} probes`,
    metrics: [RSS, WALL_S, { key: 'received', label: 'received', format: fmt.int }],
    commands(ctx, s) {
      const check = checkPingOutput({ needRtt: false });
      return {
        commands: [
          { key: 'small', ...rawpingCli(ctx, ['-f', '-q', '-c', String(s.memSmall), LOOPBACK]), check },
          { key: 'large', ...rawpingCli(ctx, ['-f', '-q', '-c', String(s.memLarge), LOOPBACK]), check },
        ],
        skipped: ctx.timeBin ? [] : ['GNU time (/usr/bin/time) missing: no RSS figures; apt-get install time'],
      };
    },
    analyze(results, s) {
      const small = med(results, 'small', 'rssKb');
      const large = med(results, 'large', 'rssKb');
      for (const key of ['small', 'large']) {
        const r = results.get(key);
        if (r && r.samples.length && r.samples.every((x) => !x.ok)) return { lines: [], derived: {}, verdicts: [rawpingMissing(results, key, 'memory')] };
      }
      if (small === null || large === null) return { lines: [], derived: {}, verdicts: [na('memory', 'no RSS figures (GNU time missing)')] };
      const diffMB = kbToMB(large) - kbToMB(small);
      return {
        lines: [`peak RSS after ${s.memLarge} minus after ${s.memSmall} (medians): ${diffMB >= 0 ? '+' : ''}${diffMB.toFixed(1)} MB   (${fmt.mb(large)} vs ${fmt.mb(small)})`],
        derived: { diffMB, smallMB: kbToMB(small), largeMB: kbToMB(large) },
        verdicts: [verdict('memory', diffMB <= 5, `${diffMB >= 0 ? '+' : ''}${diffMB.toFixed(1)} MB (${fmt.mb(large)} vs ${fmt.mb(small)})`)],
      };
    },
  },
];

/** The 'Done when' targets, in the order the summary prints them. */
export function targets(s) {
  return [
    { id: 'flood', issue: 5, text: `flood ${s.floodCount}: rawping wall / iputils wall <= 1.0` },
    { id: 'rtt-cli', issue: 5, text: 'loopback avg RTT: rawping CLI within 5 us of iputils' },
    { id: 'rtt-lib', issue: 5, text: 'loopback avg RTT: rawping library within 5 us of iputils' },
    { id: 'startup', issue: 5, text: 'rawping -c 1 at most 60 ms slower than node -e 0' },
    { id: 'memory', issue: 5, text: `peak RSS after ${s.memLarge} probes within 5 MB of after ${s.memSmall}` },
    { id: 'sweep-alive', issue: 4, text: `sweep ${s.sweepCidr}: all ${hostCount(s.sweepCidr)} targets listed alive` },
    { id: 'sweep-wall', issue: 4, text: `sweep ${s.sweepCidr}: wall <= fping's` },
    { id: 'sweep-rss', issue: 4, text: `sweep ${s.sweepCidr}: peak RSS <= 100 MB` },
  ];
}
