// The flood scenario.
import { join } from 'node:path';
import { LOOPBACK, RSS, WALL_S, addonFloodCommand, checkPingOutput, fmt, med, na, rawpingCli, rawpingMissing, verdict } from '../lib/scenario-kit.mjs';

/** The most rawping's figures may be of iputils' (issue 13): time per probe from each tool's own statistics line, and wall time. */
const MAX_PER_PROBE_RATIO = 1.1;
const MAX_WALL_RATIO = 1.25;

/** @type {object} */
export default {
  name: 'flood',
  needs: 'raw',
  verdictIds: ['flood-per-probe', 'flood-wall'],
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
    // RAWPING_ADDON is honoured only by a process without privilege, so as root it runs as
    // nobody with no capability (the echo's socket is a raw one: -f is allowed on it).
    const echo = rawpingCli(ctx, args);
    const asNobody = process.geteuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all'] : [];
    commands.push({
      key: 'rawping-echo',
      ...echo,
      argv: [...asNobody, ...echo.argv],
      display: `rawping ${args.join(' ')}, in-process echo, no socket`,
      env: { ...process.env, RAWPING_ADDON: join(ctx.benchDir, 'lib', 'echo-addon.cjs') },
      check,
    });
    // And the floor under both: a Node program over the same addon thread whose JavaScript
    // only counts the replies (peers/addon-flood.mjs).
    commands.push(addonFloodCommand(ctx, s.floodCount));
    return { commands, skipped };
  },
  analyze(results, s) {
    const raw = med(results, 'rawping', 'wallMs');
    const ref = med(results, 'iputils', 'wallMs');
    const ids = ['flood-per-probe', 'flood-wall'];
    if (raw === null) return { lines: [], derived: {}, verdicts: ids.map((id) => rawpingMissing(results, 'rawping', id)) };
    if (ref === null) return { lines: [], derived: {}, verdicts: ids.map((id) => na(id, 'iputils ping missing or failed')) };
    const ratio = raw / ref;
    const lines = [
      `ratio rawping/iputils (median wall): ${ratio.toFixed(2)}   (${fmt.s(raw)} vs ${fmt.s(ref)}; iputils ${((s.floodCount / ref) * 1000).toFixed(0)} round trips/s, rawping ${((s.floodCount / raw) * 1000).toFixed(0)}/s)`,
    ];
    const perProbe = Object.fromEntries(['rawping', 'iputils', 'rawping-echo', 'addon-floor'].map((key) => [key, med(results, key, 'usPerProbe')]));
    if (perProbe.rawping !== null && perProbe.iputils !== null && perProbe['rawping-echo'] !== null) {
      lines.push(
        `per probe (medians of each run's own "time" / probes): iputils ${fmt.us(perProbe.iputils)}, rawping ${fmt.us(perProbe.rawping)}, ` +
          `the same over an in-process echo (no system call) ${fmt.us(perProbe['rawping-echo'])}`,
      );
    }
    const floor = med(results, 'addon-floor', 'wallMs');
    if (floor !== null && perProbe['addon-floor'] !== null && perProbe.iputils !== null) {
      lines.push(
        `floor, a Node program over the addon's thread that only counts replies: ${fmt.us(perProbe['addon-floor'])} per probe ` +
          `(${(perProbe['addon-floor'] / perProbe.iputils).toFixed(2)}x iputils), wall ${fmt.s(floor)} (${(floor / ref).toFixed(2)}x)`,
      );
    }
    const probeRatio = perProbe.rawping !== null && perProbe.iputils !== null ? perProbe.rawping / perProbe.iputils : null;
    return {
      lines,
      derived: { ratio, probeRatio, rawpingMedianMs: raw, iputilsMedianMs: ref, usPerProbe: perProbe },
      verdicts: [
        probeRatio === null
          ? na('flood-per-probe', 'no statistics line to read the time from')
          : verdict(
              'flood-per-probe',
              probeRatio <= MAX_PER_PROBE_RATIO,
              `ratio ${probeRatio.toFixed(2)} (rawping ${fmt.us(perProbe.rawping)}, iputils ${fmt.us(perProbe.iputils)})`,
            ),
        verdict('flood-wall', ratio <= MAX_WALL_RATIO, `ratio ${ratio.toFixed(2)} (rawping ${fmt.s(raw)}, iputils ${fmt.s(ref)})`),
      ],
    };
  },
  /** The 'Done when' targets this scenario measures. */
  targets(s) {
    return [
      { id: 'flood-per-probe', issue: 13, text: `flood ${s.floodCount}: time per probe (statistics line) <= ${MAX_PER_PROBE_RATIO}x iputils'` },
      { id: 'flood-wall', issue: 13, text: `flood ${s.floodCount}: rawping wall / iputils wall <= ${MAX_WALL_RATIO}` },
    ];
  },
};
