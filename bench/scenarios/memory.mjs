// The memory scenario.
import { LOOPBACK, RSS, WALL_S, checkPingOutput, fmt, kbToMB, med, na, rawpingCli, rawpingMissing, verdict } from '../lib/scenario-kit.mjs';

/** The most peak RSS may grow from the small flood to the large one, MB (issue 13). */
const MAX_GROWTH_MB = 1;

/** @type {object} */
export default {
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
      lines: [
        `peak RSS after ${s.memLarge} minus after ${s.memSmall} (medians): ${diffMB >= 0 ? '+' : ''}${diffMB.toFixed(1)} MB   (${fmt.mb(large)} vs ${fmt.mb(small)})`,
      ],
      derived: { diffMB, smallMB: kbToMB(small), largeMB: kbToMB(large) },
      verdicts: [verdict('memory', diffMB <= MAX_GROWTH_MB, `${diffMB >= 0 ? '+' : ''}${diffMB.toFixed(1)} MB (${fmt.mb(large)} vs ${fmt.mb(small)})`)],
    };
  },
  /** The 'Done when' targets this scenario measures. */
  targets(s) {
    return [{ id: 'memory', issue: 13, text: `peak RSS after ${s.memLarge} probes within ${MAX_GROWTH_MB} MB of after ${s.memSmall}` }];
  },
};
