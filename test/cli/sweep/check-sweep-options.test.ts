// The many-target options that need another one, or exclude one, are refused with a line that
// says why, at parse time (before any socket), never silently ignored.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseArgs } from '../../../src/cli/parse-args.js';
import { UsageError } from '../../../src/cli/usage-error.js';

function refused(argv: string[], message: RegExp): void {
  assert.throws(
    () => parseArgs(argv),
    (e: unknown) => e instanceof UsageError && message.test(e.message),
    argv.join(' '),
  );
}

describe('sweep option combinations', () => {
  test('the per-probe outputs need -c or --loop', () => {
    for (const flag of ['--rtt-list', '--outage']) refused([flag, '127.0.0.1'], new RegExp(`^${flag} applies with -c or --loop only`));
    refused(['--report', '1', '127.0.0.1'], /^--report applies with -c or --loop only/);
    refused(['-c', '2', '--cumulative', '127.0.0.1'], /^--cumulative applies with --report only$/);
    assert.equal(parseArgs(['-c', '2', '--rtt-list', '--report', '1', '--cumulative', '--outage', '127.0.0.1']).reportMs, 1000);
    assert.equal(parseArgs(['--loop', '--outage', '127.0.0.1']).loop, true);
  });

  test('exclusive pairs', () => {
    refused(['-c', '2', '--loop', '127.0.0.1'], /^only one of -c and --loop may be given$/);
    refused(['--loop', '--retries', '1', '127.0.0.1'], /^--retries applies without -c and --loop only$/);
    refused(['--reachable', '1', '--fast-reachable', '1', '127.0.0.1'], /^only one of --reachable and --fast-reachable may be given$/);
  });

  test('each of them picks the many-target mode by itself, even with one target; -D works in both', () => {
    for (const argv of [['--loop'], ['--stats'], ['--reachable', '1'], ['--fast-reachable', '2'], ['-c', '1', '--rtt-list']]) {
      assert.equal(parseArgs([...argv, '127.0.0.1']).runMode, 'sweep', argv.join(' '));
    }
    assert.equal(parseArgs(['-D', '-c', '1', '--stats', '127.0.0.1']).timestamp, true);
    assert.equal(parseArgs(['-D', '127.0.0.1']).runMode, 'ping');
  });

  test('values are read by their rows: --report in seconds, the thresholds as counts of targets', () => {
    assert.equal(parseArgs(['-c', '1', '--report', '0.5', '127.0.0.1']).reportMs, 500);
    refused(['--reachable', '0', '127.0.0.1'], /--reachable/);
    refused(['--fast-reachable', 'x', '127.0.0.1'], /--fast-reachable/);
    refused(['-c', '1', '--report', '-1', '127.0.0.1'], /--report/);
  });
});
