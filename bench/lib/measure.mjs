// Runs one command and measures it: wall time with process.hrtime around the spawn, peak RSS
// with GNU time's %M (the child's ru_maxrss, read by the kernel at exit, so not racy).
// stdout and stderr go to files, as a shell redirection would, so a chatty peer (fping writes
// 65534 summary lines) is not slowed down by pipe back-pressure from this process.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Process group of the command being measured, so SIGINT/timeouts can end it (and only it). */
let currentGroup = null;
let counter = 0;

/** Kills the command being measured, if any (its whole process group: time + the command). */
export function killCurrent() {
  if (currentGroup === null) return;
  try {
    process.kill(-currentGroup, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Finds a GNU time that writes %M to a file. Returns its path, or null.
 * @param {string} tmpDir
 */
export function findGnuTime(tmpDir) {
  for (const candidate of ['/usr/bin/time', '/bin/time']) {
    const probe = join(tmpDir, 'time-probe');
    try {
      writeFileSync(probe, '');
      const r = spawnSync(candidate, ['-f', '%M', '-o', probe, 'true'], { stdio: 'ignore', timeout: 5000 });
      if (r.status === 0 && /^\d+\s*$/.test(readFileSync(probe, 'utf8'))) return candidate;
    } catch {
      // not there or not GNU time
    }
  }
  return null;
}

/**
 * @typedef {object} Measurement
 * @property {number|null} wallMs   spawn to exit, ms (null if the command could not start)
 * @property {number|null} rssKb    peak RSS of the command in KiB (null without GNU time or after a kill)
 * @property {number|null} exitCode
 * @property {string|null} signal
 * @property {boolean} timedOut
 * @property {string|null} spawnError
 * @property {string} stdout
 * @property {string} stderr
 */

/**
 * @param {string[]} argv command and arguments
 * @param {{tmpDir: string, timeBin: string|null, timeoutMs: number, env?: NodeJS.ProcessEnv}} opts
 * @returns {Promise<Measurement>}
 */
export function measure(argv, { tmpDir, timeBin, timeoutMs, env }) {
  const id = counter++;
  const outPath = join(tmpDir, `${id}.out`);
  const errPath = join(tmpDir, `${id}.err`);
  const rssPath = join(tmpDir, `${id}.rss`);
  const full = timeBin ? [timeBin, '-f', '%M', '-o', rssPath, ...argv] : argv;
  const outFd = openSync(outPath, 'w');
  const errFd = openSync(errPath, 'w');
  if (timeBin) writeFileSync(rssPath, '');

  return new Promise((resolve) => {
    let timedOut = false;
    let spawnError = null;
    const t0 = process.hrtime.bigint();
    // detached: own process group, so a timeout kills time and the command together.
    const child = spawn(full[0], full.slice(1), { stdio: ['ignore', outFd, errFd], detached: true, env: env ?? process.env });
    closeSync(outFd);
    closeSync(errFd);
    if (child.pid !== undefined) currentGroup = child.pid;
    const timer = setTimeout(() => {
      timedOut = true;
      killCurrent();
    }, timeoutMs);

    let finished = false;
    const finish = (code, signal) => {
      if (finished) return;
      finished = true;
      const t1 = process.hrtime.bigint();
      clearTimeout(timer);
      currentGroup = null;
      let rssKb = null;
      if (timeBin && !timedOut) {
        // GNU time may prefix "Command exited with non-zero status N"; %M is the last line.
        const text = readFileSync(rssPath, 'utf8');
        const lines = text.trim().split('\n');
        const last = Number(lines[lines.length - 1]);
        if (Number.isFinite(last) && last > 0) rssKb = last;
        const killed = /Command terminated by signal (\d+)/.exec(text);
        if (killed && signal === null) {
          signal = `signal ${killed[1]}`;
          code = null;
        }
      }
      const stdout = readFileSync(outPath, 'utf8');
      const stderr = readFileSync(errPath, 'utf8');
      for (const path of [outPath, errPath, rssPath]) rmSync(path, { force: true });
      resolve({
        wallMs: spawnError ? null : Number(t1 - t0) / 1e6,
        rssKb,
        exitCode: code,
        signal,
        timedOut,
        spawnError,
        stdout,
        stderr,
      });
    };
    child.once('error', (error) => {
      spawnError = error.message;
      finish(null, null);
    });
    child.once('exit', (code, signal) => finish(code, signal));
  });
}
