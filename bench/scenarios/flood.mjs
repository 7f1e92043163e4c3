// The flood scenario.
import { join } from 'node:path';
import { LOOPBACK, RSS, WALL_S, checkPingOutput, fmt, med, na, rawpingCli, rawpingMissing, verdict } from '../lib/scenario-kit.mjs';

/** @type {object} */
export default {
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
    return { commands, skipped };
  },
  analyze(results, s) {
    const raw = med(results, 'rawping', 'wallMs');
    const ref = med(results, 'iputils', 'wallMs');
    if (raw === null) return { lines: [], derived: {}, verdicts: [rawpingMissing(results, 'rawping', 'flood')] };
    if (ref === null) return { lines: [], derived: {}, verdicts: [na('flood', 'iputils ping missing or failed')] };
    const ratio = raw / ref;
    const lines = [
      `ratio rawping/iputils (median wall): ${ratio.toFixed(2)}   (${fmt.s(raw)} vs ${fmt.s(ref)}; iputils ${((s.floodCount / ref) * 1000).toFixed(0)} round trips/s, rawping ${((s.floodCount / raw) * 1000).toFixed(0)}/s)`,
    ];
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
  /** The 'Done when' targets this scenario measures. */
  targets(s) {
    return [{ id: 'flood', issue: 5, text: `flood ${s.floodCount}: rawping wall / iputils wall <= 1.0` }];
  },
};
