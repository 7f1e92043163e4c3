// Runs the built CLI (`node dist/cli/main.cjs`) as a child process, the way a user would:
// optionally inside a network namespace and under `setpriv`, always in the C locale, with a
// clean environment (so an outer `sudo` cannot leak SUDO_UID into the runs under test), and
// always with a time limit that kills the child and fails the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ndjsonProblems, schemaFile, schemaOf } from './event-schema.js';
import { nsPrefix } from './netns.js';

/** Absolute path of the built CLI. */
export const CLI_PATH = fileURLToPath(new URL('../../dist/cli/main.cjs', import.meta.url));

/** How to run the CLI. */
export interface RunCliOptions {
  /** Network namespace to run in (`ip netns exec`, which execs: the child's pid is node's). */
  netns?: string;
  /** Arguments for `setpriv` (e.g. `--reuid=65534 ...`); setpriv execs node, same pid. */
  setpriv?: string[];
  /** Extra environment on top of PATH and LC_ALL=C. */
  env?: Record<string, string>;
  /** Kill the child (SIGKILL) and reject after this many ms. Default 15000. */
  timeoutMs?: number;
}

/** How a run ended. */
export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** A run in progress: its child (pid is node's own), output so far, and the final result. */
export interface RunningCli {
  child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves when stdout (or stderr) matches `pattern`; rejects after `timeoutMs` or if the child ends first. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr', timeoutMs?: number): Promise<void>;
  result: Promise<CliResult>;
}

/**
 * The variables a child running rawping must inherit from a clean environment: the addon's
 * path and the sanitizer runtime when `npm run test:asan` runs the tests.
 */
export function addonEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['RAWPING_ADDON', 'LD_PRELOAD', 'ASAN_OPTIONS', 'UBSAN_OPTIONS']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C', ...addonEnvironment() };
  return { ...env, ...extra, LC_ALL: 'C' };
}

/**
 * `setpriv` arguments that make a root test's child an unprivileged user (nobody, no group, no
 * capability, none to gain), for runs that need the process to hold no privilege (the
 * RAWPING_ADDON test seam is honoured only there); undefined when the tests already run
 * without root. Files the child reads must be readable by nobody.
 */
export function unprivilegedSetpriv(): string[] | undefined {
  return process.getuid?.() === 0 ? ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all'] : undefined;
}

/** The argv that runs the CLI with `args` under `options` (never through a shell). */
export function cliCommand(args: readonly string[], options: RunCliOptions = {}): string[] {
  return [
    ...(options.netns !== undefined ? nsPrefix(options.netns) : []),
    ...(options.setpriv !== undefined ? ['setpriv', ...options.setpriv] : []),
    process.execPath,
    CLI_PATH,
    ...args,
  ];
}

/**
 * Starts the CLI; see `RunningCli`. A --json run's result rejects (failing its test) when a
 * line it printed is not an event of its shipped schema (docs/events.schema.json, or
 * docs/trace-events.schema.json for `rawping trace`).
 */
export function startCli(args: readonly string[], options: RunCliOptions = {}): RunningCli {
  const running = startCommand(cliCommand(args, options), options);
  if (args.includes('--json')) {
    running.result = running.result.then((r) => {
      const schema = schemaOf(args);
      const problems = ndjsonProblems(r.stdout, schema);
      if (problems.length > 0)
        throw new Error(`rawping ${args.join(' ').slice(0, 200)}: ${problems.length} line(s) not in ${schemaFile(schema)}:\n${problems.join('\n')}`);
      return r;
    });
    running.result.catch(() => {});
  }
  return running;
}

/**
 * Starts any command (argv[0] looked up in PATH, no shell) the same way: C locale, clean
 * environment, time limit. For peer tools such as iputils `ping`.
 */
export function startCommand(argv: readonly string[], options: Pick<RunCliOptions, 'env' | 'timeoutMs'> = {}): RunningCli {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const [file, ...rest] = argv as [string, ...string[]];
  const started = performance.now();
  const child = spawn(file, rest, { env: environment(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const l of [...listeners]) l();
  };
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    notify();
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    notify();
  });
  // A closed stdout (a test that stops reading) is the child's business, not an error here.
  child.stdout?.on('error', () => {});

  let ended = false;
  const result = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${argv.join(' ').slice(0, 300)}: no exit within ${timeoutMs} ms (killed)\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      ended = true;
      notify();
      resolve({ status, signal, stdout, stderr, durationMs: performance.now() - started });
    });
  });
  // The caller may only look at waitFor(); keep an unobserved rejection from crashing the run.
  result.catch(() => {});

  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    waitFor(pattern, stream = 'stdout', waitMs = 10_000) {
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(stream === 'stdout' ? stdout : stderr)) done(null);
          else if (ended) done(new Error(`${file} ended before its ${stream} matched ${pattern}\nstdout: ${stdout}\nstderr: ${stderr}`));
        };
        const timer = setTimeout(() => done(new Error(`no ${pattern} on ${stream} within ${waitMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`)), waitMs);
        const done = (error: Error | null): void => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error === null) resolve();
          else reject(error);
        };
        listeners.add(check);
        check();
      });
    },
    result,
  };
}

/** Runs the CLI to the end; rejects (failing the test) if it outlives its time limit. */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  return startCli(args, options).result;
}

/** iputils' `time=` value: 3 decimals below 1 ms, 2 below 10, 1 below 100, none above. */
export const REPLY_TIME = String.raw`(?:0\.\d{3}|[1-9]\.\d{2}|[1-9]\d\.\d|[1-9]\d{2,})`;

/** Escapes text for use inside a RegExp. */
export function re(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The lines of a complete output (which must end with a newline), without the final empty string. */
export function outputLines(text: string): string[] {
  if (text.length === 0) return [];
  if (!text.endsWith('\n')) throw new Error(`output does not end with a newline: ${JSON.stringify(text.slice(-80))}`);
  return text.slice(0, -1).split('\n');
}

/** The statistics counts line of a run (`N packets transmitted, ...`), or what was printed instead. */
export function statisticsCounts(r: CliResult): string {
  return /^\d+ packets transmitted.*$/m.exec(r.stdout)?.[0] ?? `(no statistics in)\n${r.stdout}\n${r.stderr}`;
}

/** Parses `rtt min/avg/max/mdev = a/b/c/d ms` (three decimals each) into numbers, or throws. */
export function parseRttLine(line: string): { min: number; avg: number; max: number; mdev: number } {
  const m = /^rtt min\/avg\/max\/mdev = (\d+\.\d{3})\/(\d+\.\d{3})\/(\d+\.\d{3})\/(\d+\.\d{3}) ms$/.exec(line);
  if (m === null) throw new Error(`not an rtt line: ${JSON.stringify(line)}`);
  const [min, avg, max, mdev] = m.slice(1).map(Number) as [number, number, number, number];
  return { min, avg, max, mdev };
}
