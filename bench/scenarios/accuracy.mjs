// The accuracy scenario.
import { join } from 'node:path';
import {
  LOOPBACK,
  WALL_S,
  checkPingOutput,
  fmt,
  lastJsonLine,
  med,
  na,
  pairedDiffs,
  processFailure,
  rawpingCli,
  rawpingMissing,
  stderrHint,
  verdict,
} from '../lib/scenario-kit.mjs';

/** @type {object} */
export default {
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
    if (ctx.peers.iputils.path)
      commands.push({ key: 'iputils-sleeping', display: `ping ${sleeping.join(' ')}`, argv: [ctx.peers.iputils.path, ...sleeping], check });
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
  /** The 'Done when' targets this scenario measures. */
  targets() {
    return [
      { id: 'rtt-cli', issue: 5, text: 'loopback avg RTT: rawping CLI within 5 us of iputils' },
      { id: 'rtt-lib', issue: 5, text: 'loopback avg RTT: rawping library within 5 us of iputils' },
    ];
  },
};
