// The exporter scenario: `rawping exporter` at 100, 1000 and 10000 loopback targets at one
// probe per second, smokeping_prober (Debian's prometheus-smokeping-prober) at 100 and 1000 on
// the same targets, each over a window of 60 s after a warm-up (bench/peers/exporter-run.mjs):
// CPU in % of one core, peak RSS, the loss the exporter's own counters show, and the time to
// serve one /metrics. And prom-client, the standard metrics library, serving the same families
// for 10000 targets (bench/peers/prom-client-exposition.mjs): the measurement behind writing
// the exposition by hand. One run per command by default: each takes over a minute.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, kbToMB, lastJsonLine, na, processFailure, SIZES, stderrHint, verdict } from '../lib/scenario-kit.mjs';

const SMOKEPING = ['/usr/bin/prometheus-smokeping-prober', '/usr/local/bin/smokeping_prober', '/usr/bin/smokeping_prober'];
const INSTALL = 'smokeping_prober not found: apt-get install prometheus-smokeping-prober';

/** Window and warm-up of one run, s, and the target counts, for a full and a --quick run. */
function plan(s) {
  return s === SIZES.quick
    ? { windowS: 10, warmupS: 3, rawping: [100, 1000, 10000], smokeping: [100] }
    : { windowS: 60, warmupS: 10, rawping: [100, 1000, 10000], smokeping: [100, 1000] };
}

const pct = (v) => `${v.toFixed(2)} %`;

/** @type {object} */
export default {
  name: 'exporter',
  needs: 'raw',
  maxRuns: 1,
  // smokeping_prober starts its 1000 pingers one by one and serves nothing before: here that
  // took 45-50 s, then come the warm-up and the window.
  timeoutS: 300,
  verdictIds: ['exporter-10k-loss', 'exporter-10k-cpu', 'exporter-10k-rss', 'exporter-10k-metrics', 'exporter-1k-cpu-vs-smokeping'],
  title: (s) => `exporter: Prometheus ping exporters at one probe per second per loopback target, ${plan(s).windowS} s windows`,
  metrics: [
    { key: 'cpuPct', label: 'CPU', format: pct },
    { key: 'peakRssKb', label: 'peak RSS', format: fmt.mb },
    { key: 'lossPct', label: 'loss', format: pct },
    { key: 'metricsMs', label: '/metrics', format: fmt.ms },
  ],
  commands(ctx, s) {
    const p = plan(s);
    const driver = join(ctx.benchDir, 'peers', 'exporter-run.mjs');
    const check = (m) => {
      const failure = processFailure(m);
      if (failure) return { ok: false, error: failure };
      const j = lastJsonLine(m.stdout);
      if (!j || j.error || m.exitCode !== 0) return { ok: false, error: j?.error ?? `exit ${m.exitCode}${stderrHint(m)}` };
      const drops = j.drops === null ? '' : `, ${j.drops} kernel receive drops`;
      return {
        ok: true,
        values: { cpuPct: j.cpuPct, peakRssKb: j.peakRssKb, lossPct: j.lossPct ?? 100, metricsMs: j.metricsMs },
        note: `${j.requests} requests, ${j.responses} responses in ${j.windowS.toFixed(1)} s${drops}; /metrics ${(j.metricsBytes / 1e6).toFixed(1)} MB`,
      };
    };
    const commands = p.rawping.map((n) => ({
      key: `rawping-${n}`,
      display: `rawping exporter, ${n} targets`,
      argv: [ctx.node, driver, 'rawping', ctx.rawping.cli, String(n), String(p.warmupS), String(p.windowS), '0'],
      check,
    }));
    const skipped = [];
    const smokeping = SMOKEPING.find((path) => existsSync(path));
    if (smokeping === undefined) skipped.push(INSTALL);
    else {
      for (const n of p.smokeping) {
        commands.push({
          key: `smokeping-${n}`,
          display: `smokeping_prober, ${n} targets`,
          argv: [ctx.node, driver, 'smokeping', smokeping, String(n), String(p.warmupS), String(p.windowS), '0'],
          check,
        });
      }
    }
    commands.push({
      key: 'prom-client-10000',
      display: 'prom-client registry.metrics(), 10000 targets (no probes)',
      argv: [ctx.node, join(ctx.benchDir, 'peers', 'prom-client-exposition.mjs'), join(ctx.benchDir, '..'), '10000'],
      check: (m) => {
        const failure = processFailure(m);
        if (failure) return { ok: false, error: failure };
        const j = lastJsonLine(m.stdout);
        if (!j || m.exitCode !== 0) return { ok: false, error: `exit ${m.exitCode}${stderrHint(m)}` };
        return { ok: true, values: { peakRssKb: j.peakRssKb, metricsMs: j.metricsMs }, note: `${(j.metricsBytes / 1e6).toFixed(1)} MB of text` };
      },
    });
    return { commands, skipped };
  },
  analyze(results) {
    const verdicts = [];
    const lines = [];
    const derived = {};
    const first = (key) => results.get(key)?.samples.find((x) => x.ok)?.values ?? null;
    const big = first('rawping-10000');
    if (big === null) {
      for (const id of ['exporter-10k-loss', 'exporter-10k-cpu', 'exporter-10k-rss', 'exporter-10k-metrics'])
        verdicts.push(na(id, 'the 10000-target run failed'));
    } else {
      verdicts.push(verdict('exporter-10k-loss', big.lossPct === 0, `loss ${pct(big.lossPct)}`));
      verdicts.push(verdict('exporter-10k-cpu', big.cpuPct <= 25, `${pct(big.cpuPct)} of one core`));
      verdicts.push(verdict('exporter-10k-rss', kbToMB(big.peakRssKb) <= 250, `peak RSS ${fmt.mb(big.peakRssKb)}`));
      verdicts.push(verdict('exporter-10k-metrics', big.metricsMs < 500, `one /metrics in ${fmt.ms(big.metricsMs)}`));
    }
    const raw = first('rawping-1000');
    const peer = first('smokeping-1000');
    if (raw === null || peer === null)
      verdicts.push(
        na('exporter-1k-cpu-vs-smokeping', raw === null ? 'the rawping 1000-target run failed' : 'smokeping_prober at 1000 targets missing or failed'),
      );
    else {
      derived.cpuRatioVsSmokeping1000 = raw.cpuPct / peer.cpuPct;
      lines.push(`CPU at 1000 targets, rawping/smokeping_prober: ${(raw.cpuPct / peer.cpuPct).toFixed(3)}   (${pct(raw.cpuPct)} vs ${pct(peer.cpuPct)})`);
      verdicts.push(
        verdict(
          'exporter-1k-cpu-vs-smokeping',
          raw.cpuPct <= peer.cpuPct / 10,
          `${pct(raw.cpuPct)} against ${pct(peer.cpuPct)} (ratio ${(raw.cpuPct / peer.cpuPct).toFixed(3)})`,
        ),
      );
    }
    const prom = first('prom-client-10000');
    if (prom !== null && big !== null) {
      lines.push(
        `/metrics at 10000 targets: rawping ${fmt.ms(big.metricsMs)}; prom-client alone ${fmt.ms(prom.metricsMs)}, peak RSS ${fmt.mb(prom.peakRssKb)} (why the exporter writes its own)`,
      );
    }
    return { lines, derived, verdicts };
  },
  /** The 'Done when' targets this scenario measures. */
  targets() {
    return [
      { id: 'exporter-10k-loss', issue: 14, text: 'exporter, 10000 loopback targets at 1 probe/s: 0 % loss' },
      { id: 'exporter-10k-cpu', issue: 14, text: 'exporter, 10000 targets: at most 25 % of one core' },
      { id: 'exporter-10k-rss', issue: 14, text: 'exporter, 10000 targets: peak RSS at most 250 MB' },
      { id: 'exporter-10k-metrics', issue: 14, text: 'exporter, 10000 targets: one /metrics served in under 0.5 s' },
      { id: 'exporter-1k-cpu-vs-smokeping', issue: 14, text: "exporter, 1000 targets: rawping's CPU at most a tenth of smokeping_prober's" },
    ];
  },
};
