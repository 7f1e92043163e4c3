// `rawping trace` argv, read by the option table's trace rows: values in library units, the
// checks the library makes under the flags' names, and what only the command line refuses.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTraceArgs, traceOptionsOf } from '../../../src/cli/trace/parse-trace-args.js';
import { UsageError } from '../../../src/cli/usage-error.js';

const refused = (argv: string[], pattern: RegExp): void => {
  assert.throws(
    () => parseTraceArgs(argv),
    (e: unknown) => e instanceof UsageError && pattern.test(e.message),
    argv.join(' '),
  );
};

describe('parseTraceArgs', () => {
  test('values in library units: -i and -W seconds become ms, -c rounds, -f and -m hops', () => {
    const o = parseTraceArgs(['-c', '5', '-i', '0.25', '-W', '2', '-f', '2', '-m', '9', '-s', '100', '-n', '--report', '10.0.0.1']);
    assert.deepEqual(
      [o.target, o.rounds, o.roundIntervalMs, o.probeTimeoutMs, o.firstHop, o.maxHops, o.size, o.numeric, o.traceReport, o.traceJson],
      ['10.0.0.1', 5, 250, 2000, 2, 9, 100, true, true, false],
    );
    assert.deepEqual(traceOptionsOf(o), { rounds: 5, roundInterval: 250, probeTimeout: 2000, firstHop: 2, maxHops: 9, size: 100, family: 0, mode: 'auto' });
  });

  test('long flags, --json, --mode, -4/-6, -I as an address or an interface', () => {
    const o = parseTraceArgs(['--count=3', '--max-hops', '4', '--first-hop=1', '--json', '--mode', 'dgram', '-6', '-I', 'fd00::2', 'host.test']);
    assert.deepEqual(
      [o.rounds, o.maxHops, o.firstHop, o.traceJson, o.mode, o.family, o.source, o.interface],
      [3, 4, 1, true, 'dgram', 6, 'fd00::2', undefined],
    );
    assert.equal(parseTraceArgs(['-I', 'eth0', 'h']).interface, 'eth0');
    assert.equal(parseTraceArgs(['-H', 'h']).reverseDns, true);
    assert.equal(parseTraceArgs(['-H', '-n', 'h']).reverseDns, false);
  });

  test('nothing given: the table decides (no value here), and no destination is fine for -h', () => {
    const o = parseTraceArgs([]);
    assert.deepEqual([o.target, o.rounds, o.maxHops, o.help], [undefined, undefined, undefined, false]);
    assert.equal(parseTraceArgs(['-h']).help, true);
  });

  test('bad input is a usage error naming the flag and its range', () => {
    refused(['-m', '0', 'h'], /^invalid -m '0': expected an integer from 1 to 255$/);
    refused(['-m', '256', 'h'], /^invalid -m '256': expected an integer from 1 to 255$/);
    refused(['-f', '5', '-m', '3', 'h'], /^invalid -f '5': expected at most -m \(3\)$/);
    refused(['-f', '31', 'h'], /^invalid -f '31': expected at most -m \(30\)$/);
    refused(['-c', '0', 'h'], /-c '0'/);
    refused(['-i', '0.01', 'h'], /-i '0.01': expected a number from 0.05/);
    refused(['-W', '0', 'h'], /-W '0'/);
    refused(['-s', '70000', 'h'], /-s/);
    refused(['-4', '-6', 'h'], /only one -4 or -6/);
    refused(['a', 'b'], /one destination, not 2/);
    refused(['-t', '5', 'h'], /-t/);
    refused(['--rate', '5', 'h'], /rate/);
    refused(['--mode', 'udp', 'h'], /--mode 'udp'/);
  });

  test("an unknown option points to the trace's own help, not ping's", () => {
    refused(['--bogus', 'h'], /^unknown option --bogus \(see rawping trace -h\)$/);
    refused(['-Z', 'h'], /^unknown option -Z \(see rawping trace -h\)$/);
  });
});
