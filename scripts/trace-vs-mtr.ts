// Issue 15's 'Done when', measured side by side with mtr on namespace routers this script
// builds (nothing leaves the machine): a chain of 3 routers with Linux's default ICMP rate
// limit, traced with `rawping trace -c 10 -i 0.2` and `mtr -r -n -c 10 -i 0.2`, first with no
// loss, then with router 2 dropping every third echo request it forwards. Each run gets a lab
// of its own (the routers' rate-limit buckets start full), and the two tools alternate which
// goes first. Prints, per tool: the loss at each hop (median over the runs), the probes each
// hop was sent and rawping's Lim, the wall time, and how long after its last probe rawping
// ended.
//
//   sudo node --import tsx scripts/trace-vs-mtr.ts [runs]     (default 5; needs mtr: apt-get install mtr-tiny)
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { TraceSummary } from '../src/index.js';
import { NetnsLab, nsPrefix, type TestHost } from '../test/helpers/netns.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.cjs', import.meta.url));
const ROUNDS = 10;
const INTERVAL_S = 0.2;
const runs = Number(process.argv[2] ?? 5);

interface Run {
  loss: number[];
  sent?: number[];
  limited?: number[];
  wallMs: number;
  /** rawping: from its last probe to its end, ms. */
  afterLastMs?: number;
}

function timed(argv: string[]): { stdout: string; wallMs: number } {
  const started = performance.now();
  const r = spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH, LC_ALL: 'C' } });
  if (r.error !== undefined) throw r.error;
  return { stdout: r.stdout, wallMs: performance.now() - started };
}

function rawping(lab: NetnsLab, host: TestHost): Run {
  const { stdout, wallMs } = timed([
    ...nsPrefix(lab.client),
    process.execPath,
    CLI,
    'trace',
    '--json',
    '-c',
    String(ROUNDS),
    '-i',
    String(INTERVAL_S),
    host.ip4,
  ]);
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; time: number; hop?: number; status?: string; rttMs?: number | null; timeoutMs?: number });
  const summary = lines.at(-1) as unknown as TraceSummary & { time: number };
  const timeoutMs = lines[0]?.timeoutMs as number;
  // The last probe of a round is the destination's: it left its answer's round trip before
  // its line was written, or, unanswered, its timeout before (ms resolution of the lines' times).
  const last = lines.filter((l) => l.type === 'hop' && l.hop === summary.hops.length).at(-1) as { time: number; status: string; rttMs: number | null };
  const lastSentAt = last.time - (last.status === 'silent' ? timeoutMs : (last.rttMs ?? 0));
  return {
    loss: summary.hops.map((h) => h.loss),
    sent: summary.hops.map((h) => h.sent),
    limited: summary.hops.map((h) => h.limited),
    wallMs,
    afterLastMs: summary.time - lastSentAt,
  };
}

function mtr(lab: NetnsLab, host: TestHost): Run {
  const { stdout, wallMs } = timed([...nsPrefix(lab.client), 'mtr', '-r', '-n', '-c', String(ROUNDS), '-i', String(INTERVAL_S), host.ip4]);
  const loss = [...stdout.matchAll(/^\s*\d+\.\|-- \S+\s+([\d.]+)%/gm)].map((m) => Number(m[1]));
  return { loss, wallMs };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function report(name: string, all: Run[]): void {
  const hops = Math.max(...all.map((r) => r.loss.length));
  const perHop = (pick: (r: Run) => number[] | undefined): string =>
    Array.from({ length: hops }, (_, i) => median(all.map((r) => pick(r)?.[i] ?? NaN)).toFixed(0)).join(' / ');
  const after = all.flatMap((r) => (r.afterLastMs === undefined ? [] : [r.afterLastMs]));
  console.log(
    `  ${name.padEnd(8)} loss % per hop ${perHop((r) => r.loss).padEnd(18)}` +
      (all[0]?.sent !== undefined
        ? `  Snt ${perHop((r) => r.sent).padEnd(15)}  Lim ${perHop((r) => r.limited).padEnd(14)}`
        : `  Snt ${String(ROUNDS).padEnd(15)}${''.padEnd(20)}`) +
      `  wall ${(median(all.map((r) => r.wallMs)) / 1000).toFixed(2)} s (${all.map((r) => (r.wallMs / 1000).toFixed(2)).join(', ')})` +
      (after.length > 0 ? `  end ${median(after).toFixed(1)} ms after the last probe` : ''),
  );
}

function scenario(title: string, lossy: boolean): void {
  const ours: Run[] = [];
  const theirs: Run[] = [];
  for (let i = 0; i < runs; i++) {
    for (const tool of i % 2 === 0 ? (['rawping', 'mtr'] as const) : (['mtr', 'rawping'] as const)) {
      const lab = NetnsLab.create();
      try {
        const host = lab.addHost({ hops: 3 });
        lab.icmpRateLimit(1000, ...host.routerNamespaces);
        if (lossy) lab.nft(host.routerNamespaces[1] as string, { drop: { every: 3 } });
        if (tool === 'rawping') ours.push(rawping(lab, host));
        else theirs.push(mtr(lab, host));
      } finally {
        lab.destroy();
      }
    }
  }
  console.log(`\n${title} (${runs} runs each, medians):`);
  report('rawping', ours);
  report('mtr', theirs);
}

console.log(`rawping trace -c ${ROUNDS} -i ${INTERVAL_S} against mtr -r -n -c ${ROUNDS} -i ${INTERVAL_S}, 3 routers with Linux's default ICMP rate limit`);
console.log(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
scenario('no loss', false);
scenario('router 2 drops every third echo request it forwards (loss from hop 3 on)', true);
console.log(
  `\nload average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
