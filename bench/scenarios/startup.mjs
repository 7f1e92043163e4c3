// The startup scenario.
import { LOOPBACK, RSS, WALL_MS, checkExitZero, checkPingOutput, fmt, med, na, rawpingCli, rawpingMissing, verdict } from '../lib/scenario-kit.mjs';

/** The most `rawping -c 1` may take over `node -e 0`, ms (issue 13). */
const MAX_OVER_NODE_MS = 40;

/** @type {object} */
export default {
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
      verdicts: [verdict('startup', diff <= MAX_OVER_NODE_MS, `+${diff.toFixed(1)} ms (rawping ${fmt.ms(raw)}, node -e 0 ${fmt.ms(ref)})`)],
    };
  },
  /** The 'Done when' targets this scenario measures. */
  targets() {
    return [{ id: 'startup', issue: 13, text: `rawping -c 1 at most ${MAX_OVER_NODE_MS} ms slower than node -e 0` }];
  },
};
