#!/usr/bin/env node
// rawping's benchmark harness: rawping against iputils ping, fping and npm net-ping, on
// loopback only, in one run. Commands of a scenario alternate over the runs (the order rotates
// each run), and the tables show medians, min and max per command, ratios and differences,
// then the 'Done when' targets of issues 4 and 5 as PASS/FAIL. Raw numbers go to
// bench/results/latest.json. See bench/README.md.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findFping, findIputilsPing, findNetPing, findRawping, gitDescribe, machine, privileges } from './lib/environment.mjs';
import { findGnuTime, killCurrent, measure } from './lib/measure.mjs';
import { SIZES } from './lib/scenario-kit.mjs';
import { SCENARIOS, targets } from './scenarios/index.mjs';
import { summarize } from './lib/stats.mjs';
import { table } from './lib/table.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDir);
const NET_PING_WINDOW = 100; // requests in flight in the net-ping sweep; the fastest window measured here

const HELP = `Usage: node bench/run.mjs [options]      (npm run bench -- [options])

Benchmarks rawping against iputils ping, fping and net-ping on loopback (127.0.0.0/8 only).

Options:
  --runs N          runs per scenario, commands alternating (default 5; 1 with --quick)
  --quick           short smoke run: smaller counts, a /20 sweep, one run
  --only LIST       comma-separated scenarios: ${SCENARIOS.map((s) => s.name).join(',')}
  --timeout SECS    per-command time limit; the command is killed past it (default 120)
  --json PATH       where to write the raw numbers (default bench/results/latest.json)
  --strict          exit 1 when a target is FAIL (default: exit 0 once the run completes)
  -h, --help        this text

Needs root (or CAP_NET_RAW) for flood, memory and sweep; those are skipped otherwise.
Installs nothing: a missing peer is skipped with the command that installs it.`;

function usage(message) {
  process.stderr.write(`bench: ${message}\n\n${HELP}\n`);
  process.exit(2);
}

function parseCli() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        runs: { type: 'string' },
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        timeout: { type: 'string', default: '120' },
        json: { type: 'string' },
        strict: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (error) {
    usage(error.message);
  }
  if (parsed.help) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const runs = parsed.runs === undefined ? (parsed.quick ? 1 : 5) : Number(parsed.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) usage(`--runs must be an integer 1-100, got ${parsed.runs}`);
  const timeoutS = Number(parsed.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 3600) usage(`--timeout must be 1-3600 seconds, got ${parsed.timeout}`);
  const names = SCENARIOS.map((s) => s.name);
  let only = names;
  if (parsed.only !== undefined) {
    only = parsed.only
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    const unknown = only.filter((x) => !names.includes(x));
    if (unknown.length || only.length === 0) usage(`--only: unknown scenario ${unknown.join(',') || '(none given)'}; choose from ${names.join(',')}`);
  }
  return {
    runs,
    quick: parsed.quick,
    only,
    timeoutMs: timeoutS * 1000,
    jsonPath: parsed.json ?? join(benchDir, 'results', 'latest.json'),
    strict: parsed.strict,
  };
}

const out = (line = '') => process.stdout.write(`${line}\n`);
const progress = (line) => process.stderr.write(`${line}\n`);

function statsCell(stat, format) {
  return stat === null ? '-' : format(stat);
}

async function runScenario(scenario, ctx, opts) {
  const s = ctx.sizes;
  out(`\n=== ${scenario.title(s)} ===`);
  if (scenario.needs === 'raw' && !ctx.priv.capNetRaw) {
    const why = `skipped: needs root or CAP_NET_RAW (uid ${ctx.priv.uid}, CAP_NET_RAW not effective); run as root, e.g. sudo npm run bench`;
    out(`  ${why}`);
    return {
      name: scenario.name,
      skipped: why,
      verdicts: scenario.verdictIds.map((id) => ({ id, status: 'n/a', measured: 'skipped: not root / no CAP_NET_RAW' })),
    };
  }
  if (scenario.needs === 'icmp' && !ctx.priv.capNetRaw && !ctx.priv.dgram.allowed) {
    const why = `skipped: rawping cannot open an ICMP socket here: no CAP_NET_RAW, and no group of this user is in net.ipv4.ping_group_range (${ctx.priv.dgram.range ?? 'unreadable'}); run as root`;
    out(`  ${why}`);
    return {
      name: scenario.name,
      skipped: why,
      verdicts: scenario.verdictIds.map((id) => ({ id, status: 'n/a', measured: 'skipped: no ICMP socket permitted' })),
    };
  }
  const { commands, skipped } = scenario.commands(ctx, s);
  // A scenario whose commands run for minutes may ask for a longer limit (scenario.timeoutS).
  const timeoutMs = Math.max(opts.timeoutMs, (scenario.timeoutS ?? 0) * 1000);
  const measureCommand = (c) => measure(c.argv, { tmpDir: ctx.tmpDir, timeBin: ctx.timeBin, timeoutMs, env: c.env });
  for (const line of skipped) out(`  skipped: ${line}`);

  if (scenario.warmup) {
    progress(`  [${scenario.name}] warm-up (not recorded)`);
    for (const c of commands) await measureCommand(c);
  }

  /** @type {Map<string, {command: object, samples: object[]}>} */
  const results = new Map(commands.map((c) => [c.key, { command: c, samples: [] }]));
  // A scenario whose commands each take minutes may cap its runs (scenario.maxRuns).
  const runs = Math.min(opts.runs, scenario.maxRuns ?? opts.runs);
  for (let run = 0; run < runs; run++) {
    // Alternate: every run goes through all commands, starting one further along each time.
    const order = commands.map((_, i) => commands[(i + run) % commands.length]);
    for (const c of order) {
      if (ctx.interrupted) return null;
      const m = await measureCommand(c);
      const checked = c.check(m);
      const sample = {
        run: run + 1,
        ok: checked.ok,
        error: checked.error ?? null,
        note: checked.note ?? null,
        exitCode: m.exitCode,
        signal: m.signal,
        timedOut: m.timedOut,
        values: { wallMs: m.wallMs, rssKb: m.rssKb, ...(checked.values ?? {}) },
      };
      if (!sample.ok) sample.stderrTail = m.stderr.trim().split('\n').slice(-5).join('\n');
      results.get(c.key).samples.push(sample);
      const rss = m.rssKb === null ? '' : `, ${((m.rssKb * 1024) / 1e6).toFixed(1)} MB`;
      const status = sample.ok ? `${(m.wallMs / 1000).toFixed(3)} s${rss}${sample.note ? ` (${sample.note})` : ''}` : `FAILED: ${sample.error}`;
      progress(`  [${scenario.name} ${run + 1}/${runs}] ${c.display}: ${status}`);
    }
  }

  // The table: per command, good runs and median/min/max of each figure.
  const headers = ['command', 'ok'];
  const right = [false, true];
  for (const metric of scenario.metrics) {
    headers.push(`${metric.label} median`, 'min', 'max');
    right.push(true, true, true);
  }
  const rows = [];
  const perCommand = {};
  for (const { command, samples } of results.values()) {
    const good = samples.filter((x) => x.ok);
    const row = [command.display, `${good.length}/${samples.length}`];
    const figures = {};
    for (const metric of scenario.metrics) {
      const st = summarize(good.map((x) => x.values[metric.key]));
      figures[metric.key] = st;
      row.push(statsCell(st.median, metric.format), statsCell(st.min, metric.format), statsCell(st.max, metric.format));
    }
    rows.push(row);
    perCommand[command.key] = { display: command.display, argv: command.argv, figures, samples };
  }
  out(table(headers, rows, right));
  for (const { command, samples } of results.values()) {
    for (const x of samples.filter((y) => !y.ok).slice(0, 3)) out(`  ! ${command.display}, run ${x.run}: ${x.error}`);
    const notes = [...new Set(samples.filter((y) => y.ok && y.note).map((y) => y.note))];
    if (notes.length) out(`  note: ${command.display}: ${notes.join('; ')}`);
  }
  const analysis = scenario.analyze(results, s);
  for (const line of analysis.lines) out(`  ${line}`);
  return { name: scenario.name, title: scenario.title(s), skippedPeers: skipped, commands: perCommand, derived: analysis.derived, verdicts: analysis.verdicts };
}

async function main() {
  const opts = parseCli();
  const rawping = findRawping(repoRoot);
  if (rawping.error) {
    process.stderr.write(`bench: ${rawping.error}\n`);
    process.exit(2);
  }
  const tmpDir = mkdtempSync(join(tmpdir(), 'rawping-bench-'));
  const ctx = {
    node: process.execPath,
    benchDir,
    rawping,
    tmpDir,
    sizes: opts.quick ? SIZES.quick : SIZES.full,
    priv: privileges(),
    timeBin: findGnuTime(tmpDir),
    peers: { iputils: findIputilsPing(), fping: findFping(), netPing: findNetPing(repoRoot) },
    netPingWindow: NET_PING_WINDOW,
    interrupted: false,
  };
  const cleanup = () => rmSync(tmpDir, { recursive: true, force: true });
  process.on('SIGINT', () => {
    ctx.interrupted = true;
    killCurrent();
    cleanup();
    process.stderr.write('\nbench: interrupted\n');
    process.exit(130);
  });

  const env = machine();
  out(`rawping benchmark${opts.quick ? ' (QUICK smoke run: reduced sizes, verdicts indicative only)' : ''}`);
  out(`  ${env.cpuModel}, ${env.cpus} CPUs, Linux ${env.kernel}, Node ${env.node}`);
  out(`  runs per scenario: ${opts.runs} (commands alternating), per-command timeout ${opts.timeoutMs / 1000} s`);
  out(
    `  privileges: uid ${ctx.priv.uid}, CAP_NET_RAW ${ctx.priv.capNetRaw ? 'yes' : 'no'}, ICMP datagram sockets ${ctx.priv.dgram.allowed ? 'allowed' : 'not allowed'} (ping_group_range ${ctx.priv.dgram.range ?? '?'})`,
  );
  out(`  peak RSS: ${ctx.timeBin ? `${ctx.timeBin} -f %M` : 'not measured (GNU time missing: apt-get install time)'}`);
  for (const [name, peer] of Object.entries(ctx.peers)) {
    out(`  ${name}: ${peer.missing ? `MISSING: ${peer.missing}` : `${peer.version}${peer.path ? ` (${peer.path})` : ''}`}`);
  }
  for (const w of rawping.warnings) out(`  warning: ${w}`);
  if (!ctx.priv.capNetRaw) out('  not root and no CAP_NET_RAW: flood, memory and sweep are skipped, and net-ping with them');

  const scenarios = [];
  for (const scenario of SCENARIOS.filter((x) => opts.only.includes(x.name))) {
    const result = await runScenario(scenario, ctx, opts);
    if (result === null) break;
    scenarios.push(result);
  }

  // Summary: every target, PASS/FAIL, or n/a with the reason.
  const byId = new Map(scenarios.flatMap((x) => x.verdicts).map((v) => [v.id, v]));
  const verdicts = targets(ctx.sizes).map((t) => ({ ...t, ...(byId.get(t.id) ?? { status: 'n/a', measured: 'scenario not selected' }) }));
  out(`\n=== Summary: the scenarios' 'Done when' targets${opts.quick ? ' (QUICK run: indicative only)' : ''} ===`);
  out(
    table(
      ['', 'issue', 'target', 'measured (medians)'],
      verdicts.map((v) => [v.status, `#${v.issue}`, v.text, v.measured]),
    ),
  );

  const report = {
    generatedAt: new Date().toISOString(),
    quick: opts.quick,
    runs: opts.runs,
    timeoutMs: opts.timeoutMs,
    sizes: ctx.sizes,
    machine: env,
    rawping: { ...gitDescribe(repoRoot), cli: relative(repoRoot, rawping.cli) },
    privileges: ctx.priv,
    rssTool: ctx.timeBin,
    peers: ctx.peers,
    scenarios,
    verdicts,
  };
  mkdirSync(dirname(opts.jsonPath), { recursive: true });
  writeFileSync(opts.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  const shown = relative(process.cwd(), opts.jsonPath);
  out(`\nraw numbers: ${shown && !shown.startsWith('..') ? shown : opts.jsonPath}`);
  cleanup();
  if (opts.strict && verdicts.some((v) => v.status === 'FAIL')) process.exitCode = 1;
}

main().catch((error) => {
  killCurrent();
  process.stderr.write(`bench: ${error?.stack ?? error}\n`);
  process.exit(2);
});
