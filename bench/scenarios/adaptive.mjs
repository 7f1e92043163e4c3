// The adaptive scenario: ping -A (each reply lets the next probe go at once), with every reply
// line printed, as a user runs it: rawping against iputils, wall time (issue 13).
import { LOOPBACK, RSS, WALL_S, addonFloodCommand, checkPingOutput, fmt, med, na, rawpingCli, rawpingMissing, verdict } from '../lib/scenario-kit.mjs';

/** The most rawping's wall may be of iputils' (issue 13). */
const MAX_RATIO = 1.5;

/** @type {object} */
export default {
  name: 'adaptive',
  needs: 'raw',
  verdictIds: ['adaptive'],
  title: (s) => `adaptive: -A -c ${s.adaptiveCount} ${LOOPBACK} (a line per reply), wall time`,
  metrics: [WALL_S, { key: 'usPerProbe', label: 'per probe', format: fmt.us }, RSS, { key: 'received', label: 'received', format: fmt.int }],
  commands(ctx, s) {
    const args = ['-A', '-c', String(s.adaptiveCount), LOOPBACK];
    const check = checkPingOutput({ needRtt: true });
    const commands = [{ key: 'rawping', ...rawpingCli(ctx, args), check }];
    const skipped = [];
    if (ctx.peers.iputils.path) commands.push({ key: 'iputils', display: `ping ${args.join(' ')}`, argv: [ctx.peers.iputils.path, ...args], check });
    else skipped.push(ctx.peers.iputils.missing);
    // The floor of a Node program for as many probes: the addon's thread sends each on the
    // reply before, as rawping's -A does (peers/addon-flood.mjs); it prints no reply lines.
    commands.push(addonFloodCommand(ctx, s.adaptiveCount));
    return { commands, skipped };
  },
  analyze(results) {
    const raw = med(results, 'rawping', 'wallMs');
    const ref = med(results, 'iputils', 'wallMs');
    if (raw === null) return { lines: [], derived: {}, verdicts: [rawpingMissing(results, 'rawping', 'adaptive')] };
    if (ref === null) return { lines: [], derived: {}, verdicts: [na('adaptive', 'iputils ping missing or failed')] };
    const ratio = raw / ref;
    const floor = med(results, 'addon-floor', 'wallMs');
    return {
      lines: [
        `ratio rawping/iputils (median wall): ${ratio.toFixed(2)}   (${fmt.s(raw)} vs ${fmt.s(ref)})`,
        ...(floor !== null
          ? [`floor, a Node program over the addon's thread, no reply lines: wall ${fmt.s(floor)} (${(floor / ref).toFixed(2)}x iputils)`]
          : []),
      ],
      derived: { ratio },
      verdicts: [verdict('adaptive', ratio <= MAX_RATIO, `ratio ${ratio.toFixed(2)} (rawping ${fmt.s(raw)}, iputils ${fmt.s(ref)})`)],
    };
  },
  /** The 'Done when' targets this scenario measures. */
  targets(s) {
    return [{ id: 'adaptive', issue: 13, text: `-A -c ${s.adaptiveCount}: rawping wall / iputils wall <= ${MAX_RATIO}` }];
  },
};
