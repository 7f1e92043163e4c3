// The streaming-memory scenario: the library's pingEach over a generator of ever larger ranges
// (addressRange, one probe each, as fast as the socket takes). Memory must not grow with the
// number of targets: issue 13's target is a /12 (about a million) within 10 MB of a /16.
//
// The script runs under the node flags of rawping's own bin (its launcher's: a 4 MiB young
// generation). With node's default of 16 MiB, V8 doubles the young generation as a long run's
// survivors add up, from 8 to 32 MB: measured here, a /16 peaked at 65 MB and a /12 at 86 MB
// with the old generation flat at 5.4 MB used. That is V8 sizing its nursery, not rawping
// holding targets; under the bin's flags the same runs peak at 63.5 and 65.4 MB.
import { join } from 'node:path';
import { hostCount, loopbackRange } from '../lib/cidr.mjs';
import { RSS, WALL_S, binNodeFlags, fmt, kbToMB, lastJsonLine, med, na, processFailure, rawpingMissing, stderrHint, verdict } from '../lib/scenario-kit.mjs';

/** Issue 13's 'Done when': the largest range's peak RSS over the smallest's, MB. */
const MAX_GROWTH_MB = 10;

/** @type {object} */
export default {
  name: 'streaming',
  needs: 'raw',
  verdictIds: ['streaming-all', 'streaming-rss'],
  title: (s) => `streaming: pingEach over addressRange of ${s.streamingCidrs.join(', ')}, one probe each: peak RSS`,
  metrics: [RSS, WALL_S, { key: 'targets', label: 'targets', format: fmt.int }],
  commands(ctx, s) {
    const flags = binNodeFlags(ctx.rawping.cli);
    return {
      commands: s.streamingCidrs.map((cidr) => {
        loopbackRange(cidr); // throws outside 127.0.0.0/8
        const expected = hostCount(cidr);
        return {
          key: cidr,
          display: `${flags.length ? `node ${flags.join(' ')}: ` : ''}pingEach(addressRange('${cidr}'), { count: 1, rate: 0 })`,
          argv: [ctx.node, ...flags, join(ctx.benchDir, 'peers', 'library-streaming.mjs'), ctx.rawping.index, cidr],
          check: (m) => {
            const failure = processFailure(m);
            if (failure) return { ok: false, error: failure };
            const j = lastJsonLine(m.stdout);
            if (!j || m.exitCode !== 0) return { ok: false, error: `exit ${m.exitCode}${stderrHint(m)}` };
            const note = j.targets !== expected || j.alive !== expected ? `${j.alive} of ${j.targets} alive, ${expected} expected` : undefined;
            return { ok: true, values: { targets: j.targets, alive: j.alive }, note };
          },
        };
      }),
      skipped: ctx.timeBin ? [] : ['GNU time (/usr/bin/time) missing: no RSS figures; apt-get install time'],
    };
  },
  analyze(results, s) {
    const cidrs = s.streamingCidrs;
    const smallest = cidrs[0];
    const largest = cidrs[cidrs.length - 1];
    const verdicts = [];
    const lines = [];
    const derived = {};
    for (const cidr of cidrs) {
      const r = results.get(cidr);
      if (r && r.samples.length && r.samples.every((x) => !x.ok)) {
        return { lines, derived, verdicts: ['streaming-all', 'streaming-rss'].map((id) => rawpingMissing(results, cidr, id)) };
      }
    }
    const complete = cidrs.every((cidr) =>
      (results.get(cidr)?.samples ?? []).filter((x) => x.ok).every((x) => x.values.targets === hostCount(cidr) && x.values.alive === hostCount(cidr)),
    );
    verdicts.push(
      verdict('streaming-all', complete, complete ? 'every target of every range summarized and alive' : 'some run missed targets (see the notes)'),
    );
    const small = med(results, smallest, 'rssKb');
    const large = med(results, largest, 'rssKb');
    if (small === null || large === null) {
      verdicts.push(na('streaming-rss', 'no RSS figures (GNU time missing)'));
      return { lines, derived, verdicts };
    }
    for (const cidr of cidrs) {
      const rss = med(results, cidr, 'rssKb');
      if (rss !== null) derived[cidr] = kbToMB(rss);
    }
    const growth = kbToMB(large) - kbToMB(small);
    derived.growthMB = growth;
    lines.push(`peak RSS of ${largest} minus ${smallest} (medians): ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB   (${fmt.mb(large)} vs ${fmt.mb(small)})`);
    verdicts.push(verdict('streaming-rss', growth <= MAX_GROWTH_MB, `${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB (${fmt.mb(large)} vs ${fmt.mb(small)})`));
    return { lines, derived, verdicts };
  },
  /** The 'Done when' targets this scenario measures. */
  targets(s) {
    const cidrs = s.streamingCidrs;
    return [
      { id: 'streaming-all', issue: 13, text: `pingEach over ${cidrs.join(', ')}: every target summarized and alive` },
      { id: 'streaming-rss', issue: 13, text: `pingEach over ${cidrs[cidrs.length - 1]}: peak RSS within ${MAX_GROWTH_MB} MB of ${cidrs[0]}` },
    ];
  },
};
