// Runs a snippet of ES module code in a node child, as a program using rawping would, and
// reads its answer: the JSON of the last line it prints.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nsPrefix } from './netns.js';
import { startCommand } from './run-cli.js';

/**
 * Runs `source` (an ES module) with node in the clean environment the CLI tests use, inside
 * `netns` when given. Resolves with the JSON of its last stdout line; rejects when it exits
 * non-zero, prints no JSON, or outlives `timeoutMs` (default 20 s; then it is killed).
 */
export async function runModule(source: string, options: { netns?: string; timeoutMs?: number } = {}): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'rawping-module-'));
  chmodSync(dir, 0o755); // readable after a switch to another user inside the child
  const file = join(dir, 'run.mjs');
  writeFileSync(file, source);
  try {
    const argv = [...(options.netns !== undefined ? nsPrefix(options.netns) : []), process.execPath, file];
    const r = await startCommand(argv, { timeoutMs: options.timeoutMs ?? 20_000 }).result;
    if (r.status !== 0) throw new Error(`module run failed (exit ${r.status}, signal ${r.signal})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    try {
      return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
    } catch {
      throw new Error(`no JSON result\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const LIBRARY = new URL('../../dist/index.js', import.meta.url).href;

/**
 * Runs `body` with runModule as a program using rawping would, with these in scope: `lib`
 * (rawping's built library, dist/index.js), `ip(...args)` (runs ip(8), no shell), `fds()`
 * (how many descriptors the process has open) and `readdirSync`. Inside `netns` when given.
 */
export function runLibrary(body: string, options: { netns?: string; timeoutMs?: number } = {}): Promise<Record<string, unknown>> {
  const source = `import * as lib from ${JSON.stringify(LIBRARY)};
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
const ip = (...args) => execFileSync('ip', args, { stdio: 'pipe' });
const fds = () => readdirSync('/proc/self/fd').length;
${body}\n`;
  return runModule(source, options);
}
