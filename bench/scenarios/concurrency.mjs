// The concurrency scenario: many checks started at once in one process (issue 13): N parallel
// isReachable and ping(count 1) calls, and N long-lived pingers at one probe per second, on
// loopback addresses 127.1.0.0 onwards. Replies counted, wall time, peak RSS, kernel drops.
import { join } from 'node:path';
import { RSS, WALL_S, fmt, lastJsonLine, na, processFailure, rawpingMissing, stderrHint, verdict } from '../lib/scenario-kit.mjs';

const ANSWERED = { key: 'answered', label: 'answered', format: fmt.int };
const INNER = { key: 'innerMs', label: 'calls to results', format: fmt.ms };
const DROPS = { key: 'kernelDrops', label: 'kernel drops', format: fmt.int };

function check(m) {
  const failure = processFailure(m);
  if (failure) return { ok: false, error: failure };
  const j = lastJsonLine(m.stdout);
  if (m.exitCode !== 0 || !j || typeof j.answered !== 'number') return { ok: false, error: `exit ${m.exitCode}, no result${stderrHint(m)}` };
  const values = { answered: j.answered, expected: j.expected, innerMs: j.wallMs, kernelDrops: j.kernelDrops };
  const note = j.answered < j.expected ? `${j.expected - j.answered} of ${j.expected} unanswered` : undefined;
  return { ok: true, values, note };
}

/** Every run of `key` answered all it expected: the verdict for one target. */
function allAnswered(results, key, id, what) {
  const r = results.get(key);
  const good = r ? r.samples.filter((x) => x.ok) : [];
  if (good.length === 0) return rawpingMissing(results, key, id);
  const complete = good.filter((x) => x.values.answered === x.values.expected).length;
  const counts = [...new Set(good.map((x) => x.values.answered))].join(', ');
  const drops = Math.max(...good.map((x) => x.values.kernelDrops ?? 0));
  return verdict(
    id,
    complete === good.length,
    `${what}: ${counts} of ${good[0].values.expected} in ${complete}/${good.length} run(s)${drops > 0 ? `, kernel drops up to ${drops}` : ''}`,
  );
}

/** @type {object} */
export default {
  name: 'concurrency',
  needs: 'icmp',
  verdictIds: ['conc-reachable', 'conc-ping', 'conc-pinger'],
  title: (s) =>
    `concurrency: ${s.concurrency.join(' and ')} parallel isReachable and ping(count 1), ${s.pingers} createPinger at 1/s for ${s.pingerSeconds} s (127.1.0.0 onwards)`,
  metrics: [ANSWERED, WALL_S, INNER, RSS, DROPS],
  commands(ctx, s) {
    const script = join(ctx.benchDir, 'peers', 'library-concurrency.mjs');
    const commands = [];
    for (const n of s.concurrency) {
      commands.push({
        key: `reachable-${n}`,
        display: `${n} x isReachable in parallel`,
        argv: [ctx.node, script, ctx.rawping.index, 'reachable', String(n)],
        check,
      });
      commands.push({ key: `ping-${n}`, display: `${n} x ping(count 1) in parallel`, argv: [ctx.node, script, ctx.rawping.index, 'ping', String(n)], check });
    }
    commands.push({
      key: 'pinger',
      display: `${s.pingers} x createPinger, 1/s, ${s.pingerSeconds} s`,
      argv: [ctx.node, script, ctx.rawping.index, 'pinger', String(s.pingers), String(s.pingerSeconds)],
      check,
    });
    return { commands, skipped: [] };
  },
  analyze(results, s) {
    const largest = Math.max(...s.concurrency);
    return {
      lines: [],
      derived: {},
      verdicts: [
        allAnswered(results, `reachable-${largest}`, 'conc-reachable', `${largest} isReachable true`),
        allAnswered(results, `ping-${largest}`, 'conc-ping', `${largest} ping(count 1) answered`),
        results.has('pinger') ? allAnswered(results, 'pinger', 'conc-pinger', `replies to ${s.pingers} pingers`) : na('conc-pinger', 'not run'),
      ],
    };
  },
  /** The 'Done when' targets this scenario measures. */
  targets(s) {
    const largest = Math.max(...s.concurrency);
    return [
      { id: 'conc-reachable', issue: 13, text: `${largest} parallel isReachable('127.x.y.z') all true` },
      { id: 'conc-ping', issue: 13, text: `${largest} parallel ping(count 1) each with one reply` },
      { id: 'conc-pinger', issue: 13, text: `${s.pingers} createPinger at 1 probe/s for ${s.pingerSeconds} s lose nothing` },
    ];
  },
};
