// Running `rawping exporter` as a user would (the built CLI, a child process, optionally in a
// network namespace) and reading what it serves: scrapes parsed into series, reloads asked
// for over HTTP. A namespace's loopback is its own, so from outside it the test reaches the
// exporter through a node child run inside the namespace.
import { execFile } from 'node:child_process';
import { nsPrefix } from './netns.js';
import { startCli, type CliResult, type RunCliOptions, type RunningCli } from './run-cli.js';

/** One sample of a scrape. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Reads the text format into samples (comments skipped). Throws on a line it cannot read. */
export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    const body = m[2] ?? '';
    const pair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;
    for (let p = pair.exec(body); p !== null; p = pair.exec(body)) {
      labels[p[1] as string] = (p[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    out.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return out;
}

/** The samples of `name` whose labels include `labels`. */
export function samples(all: readonly Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return all.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The one sample of `name` with `labels`; throws when there is none or more than one. */
export function value(all: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples(all, name, labels);
  if (found.length !== 1) throw new Error(`${found.length} samples of ${name}${JSON.stringify(labels)}`);
  return (found[0] as Sample).value;
}

/** An HTTP answer. */
export interface Answer {
  status: number;
  body: string;
}

const FETCH = `const [url, method] = process.argv.slice(1);
fetch(url, { method, signal: AbortSignal.timeout(10000) }).then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() })), (e) => { process.stderr.write(String(e)); process.exit(1); });`;

/** GET (or POST) `url`, from inside network namespace `ns` when given. Bounded: 10 s. */
export async function request(url: string, method = 'GET', ns?: string): Promise<Answer> {
  if (ns === undefined) {
    const r = await fetch(url, { method, signal: AbortSignal.timeout(10_000) });
    return { status: r.status, body: await r.text() };
  }
  const argv = [...nsPrefix(ns), process.execPath, '-e', FETCH, url, method];
  const file = argv[0] as string;
  const args = argv.slice(1);
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 15_000, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`${url}: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as Answer);
    });
  });
}

/** An exporter started by `startExporter`. */
export interface RunningExporter {
  cli: RunningCli;
  /** http://host:port of its metrics. */
  base: string;
  /** The namespace it runs in, if any. */
  ns: string | undefined;
  /** Scrapes /metrics and parses it. */
  scrape(): Promise<Sample[]>;
  /** POST /-/reload. */
  reload(): Promise<Answer>;
  /** SIGTERM, then its result. */
  stop(): Promise<CliResult>;
}

/**
 * Starts `rawping exporter args` listening on an ephemeral port of 127.0.0.1 and waits for its
 * "listening" line. Killed after `timeoutMs` (default 60 s) whatever happens.
 */
export async function startExporter(args: readonly string[], options: RunCliOptions = {}): Promise<RunningExporter> {
  const cli = startCli(['exporter', '--listen', '127.0.0.1:0', ...args], { timeoutMs: 60_000, ...options });
  // The "listening" line, in logfmt or JSON.
  const listening = /msg=listening address=([^\s"]+)|"msg":"listening","address":"([^"]+)"/;
  await cli.waitFor(listening, 'stderr', 20_000);
  const m = listening.exec(cli.stderr) as RegExpExecArray;
  const address = (m[1] ?? m[2]) as string;
  const base = `http://${address}`;
  const ns = options.netns;
  return {
    cli,
    base,
    ns,
    scrape: async () => {
      const r = await request(`${base}/metrics`, 'GET', ns);
      if (r.status !== 200) throw new Error(`/metrics: ${r.status} ${r.body}`);
      return parseExposition(r.body);
    },
    reload: () => request(`${base}/-/reload`, 'POST', ns),
    stop: () => {
      cli.child.kill('SIGTERM');
      return cli.result;
    },
  };
}

/** Waits until `check` returns true (polled every 100 ms), at most `ms`; false if it never did. */
export async function eventually(check: () => Promise<boolean> | boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}
