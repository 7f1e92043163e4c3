// The sweep scenario: a /16 through the CLI against fping. Issue 13's targets: wall at most
// 0.7x fping's, peak RSS at most 60 MB (fping's is about 36).
import { join } from 'node:path';

/** Issue 13's 'Done when': rawping's wall over fping's, and rawping's peak RSS. */
const MAX_WALL_RATIO = 0.7;
const MAX_RSS_MB = 60;
/** How long the node-floor row churns its young generation, ms: about a /16 sweep's wall. */
const NURSERY_FLOOR_MS = 700;
import { hostCount, loopbackRange } from '../lib/cidr.mjs';
import {
  RSS,
  WALL_S,
  binNodeFlags,
  checkExitZero,
  fmt,
  kbToMB,
  lastJsonLine,
  med,
  na,
  processFailure,
  rawpingCli,
  rawpingMissing,
  stderrHint,
  verdict,
} from '../lib/scenario-kit.mjs';

/** @type {object} */
export default {
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
    // The floor under rawping's peak RSS: node under the bin's flags, churning its young
    // generation for about as long as the sweep takes, with nothing of rawping loaded.
    const flags = binNodeFlags(ctx.rawping.cli);
    commands.push({
      key: 'node-floor',
      display: `node ${flags.join(' ')} nursery-floor.mjs ${NURSERY_FLOOR_MS} (no rawping: short-lived objects for ${NURSERY_FLOOR_MS} ms)`,
      argv: [ctx.node, ...flags, join(ctx.benchDir, 'peers', 'nursery-floor.mjs'), String(NURSERY_FLOOR_MS)],
      check: checkExitZero,
    });
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
      verdicts.push(verdict('sweep-wall', raw <= MAX_WALL_RATIO * ref, `rawping ${fmt.s(raw)}, fping ${fmt.s(ref)} (ratio ${(raw / ref).toFixed(2)})`));
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
      verdicts.push(verdict('sweep-rss', kbToMB(rss) <= MAX_RSS_MB, `${fmt.mb(rss)}${peers.length ? ` (${peers.join(', ')})` : ''}`));
      const floor = med(results, 'node-floor', 'rssKb');
      if (floor !== null)
        lines.push(
          `peak RSS over node's own floor (the bin's flags, its young generation churned): ${fmt.mb(rss)} vs ${fmt.mb(floor)}, +${(kbToMB(rss) - kbToMB(floor)).toFixed(1)} MB`,
        );
    }
    return { lines, derived, verdicts };
  },
  /** The 'Done when' targets this scenario measures. */
  targets(s) {
    return [
      { id: 'sweep-alive', issue: 13, text: `sweep ${s.sweepCidr}: all ${hostCount(s.sweepCidr)} targets listed alive` },
      { id: 'sweep-wall', issue: 13, text: `sweep ${s.sweepCidr}: wall <= ${MAX_WALL_RATIO}x fping's` },
      { id: 'sweep-rss', issue: 13, text: `sweep ${s.sweepCidr}: peak RSS <= ${MAX_RSS_MB} MB` },
    ];
  },
};
