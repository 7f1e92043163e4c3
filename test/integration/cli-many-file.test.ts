// --file whatever it is given (docs/hostile-inputs.md #32): read as the sweep goes, never whole;
// a device refused before anything is read; a file over 64 MiB refused by its size; a pipe that
// never ends cut at 64 MiB; and the memory of the process bounded through all of it (issue 18:
// /dev/zero used to grow without bound, a 200 MB file peaked at 221 MB).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliCommand, runCli, startCommand, type CliResult } from '../helpers/run-cli.js';
import { cliSkipReason, commandSkipReason, sanitizerSkipReason } from '../helpers/skip-reasons.js';

const GNU_TIME = '/usr/bin/time';
const skip = cliSkipReason();
const skipRss = skip ?? sanitizerSkipReason('memory') ?? commandSkipReason(GNU_TIME, ['-q', '-f', '%M', 'true'], 'GNU time (/usr/bin/time)');
const MAX_RSS_KB = 100 * 1000;

/** Runs the CLI under GNU time: its result, and its peak RSS in KiB (the last line time wrote). */
async function withRss(args: string[], stdin?: string): Promise<{ r: CliResult; rssKb: number }> {
  // -q: no "Command exited with non-zero status" line of its own.
  const argv = [GNU_TIME, '-q', '-f', 'RSS %M', ...cliCommand(args)];
  const r = stdin === undefined ? await startCommand(argv, { timeoutMs: 60_000 }).result : await viaShell(argv, stdin);
  const m = /RSS (\d+)\n$/.exec(r.stderr);
  assert.ok(m !== null, r.stderr);
  return { r: { ...r, stderr: r.stderr.slice(0, m.index) }, rssKb: Number(m[1]) };
}

/** Runs argv with stdin read from the file `stdin` (as `< file`). */
function viaShell(argv: string[], stdin: string): Promise<CliResult> {
  return startCommand(['sh', '-c', `exec "$@" < '${stdin}'`, 'sh', ...argv], { timeoutMs: 60_000 }).result;
}

describe('--file is bounded whatever it is', { skip: skip ?? false }, () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'rawping-file-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('/dev/zero and other devices: one line, status 2, at once', async () => {
    for (const device of ['/dev/zero', '/dev/urandom', '/dev/null']) {
      const r = await runCli(['-c', '1', '--file', device], { timeoutMs: 10_000 });
      assert.equal(r.status, 2, device);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `rawping: --file ${device}: not a regular file (a device or socket has no end to read to)\n`);
    }
  });

  test('a 200 MB file: refused by its size, before it is read, in little memory', { skip: skipRss ?? false }, async () => {
    const path = join(dir, 'big.txt');
    writeFileSync(path, '127.0.0.1\n');
    await truncate(path, 200 * 1000 * 1000);
    const { r, rssKb } = await withRss(['-c', '1', '--file', path]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `rawping: --file ${path}: more than 67108864 bytes\n`);
    assert.equal(r.stdout, '');
    assert.ok(rssKb < MAX_RSS_KB, `peak RSS ${rssKb} KiB`);
  });

  test('stdin that never ends (/dev/zero: no newline ever): cut at the first 64 KiB line, in little memory', { skip: skipRss ?? false }, async () => {
    const { r, rssKb } = await withRss(['-c', '1', '--file', '-'], '/dev/zero');
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'rawping: --file -: a line longer than 65536 bytes\n');
    assert.ok(rssKb < MAX_RSS_KB, `peak RSS ${rssKb} KiB`);
  });

  test('a pipe of endless comment lines: cut at 64 MiB, in little memory', { skip: skipRss ?? false }, async () => {
    // `yes` writes its line for ever: 64 MiB of comments, then rawping stops reading.
    const argv = [GNU_TIME, '-q', '-f', 'RSS %M', ...cliCommand(['-c', '1', '--file', '-'])];
    const child = spawn('sh', ['-c', `yes '# a comment, no target' | "$@"`, 'sh', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    assert.equal(status, 2, stderr);
    assert.match(stderr, /^rawping: --file -: more than 67108864 bytes\nRSS (\d+)\n$/);
    const rssKb = Number(/RSS (\d+)/.exec(stderr)?.[1]);
    assert.ok(rssKb < MAX_RSS_KB, `peak RSS ${rssKb} KiB`);
  });
});
