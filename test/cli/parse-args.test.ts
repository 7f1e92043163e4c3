// -i as iputils ping reads it: seconds, kept in whole milliseconds ((int)(seconds * 1000)),
// and the floor for users checked on that value.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseArgs } from '../../src/cli/parse-args.js';
import { checkUserLimits } from '../../src/cli/user-limits.js';

const interval = (text: string): number | undefined => parseArgs(['-i', text, '127.0.0.1']).intervalMs;

describe('-i in whole milliseconds, as ping keeps it', () => {
  test('fractions of a millisecond are dropped', () => {
    assert.equal(interval('0.2'), 200);
    assert.equal(interval('0.0015'), 1, 'ping sends every 1 ms');
    assert.equal(interval('0.0002'), 0, 'ping sends as with -i 0');
    assert.equal(interval('0'), 0);
    assert.equal(interval('2.5'), 2500);
  });

  test('the same double product as ping: 1.001 s is 1000 ms there too', () => {
    // 1.001 * 1000 is 1000.9999999999999 in IEEE doubles, in C as in JavaScript.
    assert.equal(interval('1.001'), 1000);
    assert.equal(interval('0.003'), 3);
  });

  test("a user's 2 ms floor applies to the truncated value", () => {
    assert.equal(checkUserLimits(parseArgs(['-i', '0.0025', '127.0.0.1']), false), null, '2 ms: allowed');
    assert.match(checkUserLimits(parseArgs(['-i', '0.00199', '127.0.0.1']), false) ?? '', /minimal interval for user must be >= 2 ms/, '1 ms: refused');
  });
});

describe('the command line read from the option table', () => {
  test('--retries 0 is one probe per target: no retry, not a fallback to a count', () => {
    const o = parseArgs(['-q', '--retries', '0', '127.0.0.1', '127.0.0.2']);
    assert.equal(o.runMode, 'sweep');
    assert.equal(o.retries, 0);
    assert.equal(o.count, undefined);
  });

  test('fping options select the many-target mode even for one target; two targets do too', () => {
    assert.equal(parseArgs(['--retries', '1', '127.0.0.1']).runMode, 'sweep');
    assert.equal(parseArgs(['--alive', '127.0.0.1']).runMode, 'sweep');
    assert.equal(parseArgs(['127.0.0.1', '127.0.0.2']).runMode, 'sweep');
    assert.equal(parseArgs(['-c', '1', '127.0.0.1']).runMode, 'ping');
  });

  test('options of the other mode are refused, not ignored', () => {
    assert.throws(() => parseArgs(['-f', '127.0.0.1', '127.0.0.2']), /-f applies to one target only/);
    assert.throws(() => parseArgs(['-A', '--alive', '127.0.0.1']), /-A applies to one target only/);
    assert.throws(() => parseArgs(['-c', '1', '--retries', '1', '127.0.0.1']), /--retries applies without -c only/);
  });

  test('getopt spellings reach the options: -c2 -i.5 -W.5 -Q0x10 -pff -qn', () => {
    const o = parseArgs(['-c2', '-i.5', '-W.5', '-Q0x10', '-pff', '-qn', '127.0.0.1']);
    assert.deepEqual([o.count, o.intervalMs, o.timeoutMs, o.tos, [...(o.pattern ?? [])], o.quiet, o.numeric], [2, 500, 500, 16, [255], true, true]);
  });

  test('-I: an address is the source, a name the interface', () => {
    assert.equal(parseArgs(['-I127.0.0.1', '127.0.0.1']).source, '127.0.0.1');
    assert.equal(parseArgs(['-Ilo', '127.0.0.1']).interface, 'lo');
  });

  test('bad values name the flag as ping users know it', () => {
    assert.throws(() => parseArgs(['-c', '0', '127.0.0.1']), /invalid -c '0'/);
    assert.throws(() => parseArgs(['--rate', 'x', '127.0.0.1', '127.0.0.2']), /invalid --rate 'x'/);
    assert.throws(() => parseArgs(['--mode', 'stream', '127.0.0.1']), /invalid --mode 'stream'/);
  });
});

describe("ping's other options, read as ping reads them", () => {
  const parse = (...argv: string[]) => parseArgs([...argv, '127.0.0.1']);

  test('flags: -a -B -C -d -L -r -R -U, each under its key; none set by default', () => {
    const o = parse('-aBCdLrRU');
    for (const key of ['audible', 'strictSource', 'connect', 'debug', 'noLoopback', 'dontRoute', 'recordRoute', 'userLatency'] as const) {
      assert.equal(o[key], true, key);
      assert.equal(parse()[key], false, key);
    }
  });

  test('-M takes do, want, probe and dont, and nothing else', () => {
    assert.equal(parse('-Mdo').pmtu, 'do');
    assert.equal(parse('-M', 'probe').pmtu, 'probe');
    assert.throws(() => parse('-M', 'yes'), /invalid -M 'yes': expected 'do', 'want', 'probe', 'dont'/);
  });

  test("-e and -m in decimal, as ping's strtoul(..., 10) reads them, with their ranges", () => {
    assert.equal(parse('-e', '1234').identifier, 1234);
    assert.equal(parse('-e', '010').identifier, 10);
    assert.throws(() => parse('-e0x10'), /invalid -e '0x10'/);
    assert.throws(() => parse('-e', '65536'), /invalid -e '65536': expected an integer from 0 to 65535/);
    assert.equal(parse('-m', '4294967295').mark, 4294967295);
    assert.throws(() => parse('-m', '-1'), /invalid -m/);
  });

  test('-e 0 forces a raw socket, as ping does; with --mode dgram it is refused', () => {
    assert.equal(parse('-e', '0').mode, 'raw');
    assert.equal(parse('-e', '5').mode, 'auto');
    assert.throws(() => parse('-e', '0', '--mode', 'dgram'), /-e 0 needs a raw socket/);
  });

  test('-S: bytes from 1; -F: hex, 0x optional, at most 20 bits', () => {
    assert.equal(parse('-S', '4096').sendBuffer, 4096);
    assert.throws(() => parse('-S', '0'), /invalid -S '0'/);
    assert.equal(parseArgs(['-F', '12345', '::1']).flowLabel, 0x12345);
    assert.equal(parseArgs(['-F0xfffff', '::1']).flowLabel, 0xfffff);
    assert.throws(() => parseArgs(['-F', '0x100000', '::1']), /invalid -F '0x100000': expected a hex flow label from 0 to 0xfffff/);
    assert.throws(() => parseArgs(['-F', 'zz', '::1']), /invalid -F 'zz'/);
  });

  test("-w takes whole seconds, as ping's strtol: -w 0.5 and -w 0,1 are refused", () => {
    assert.equal(parse('-w', '2').deadlineMs, 2000);
    assert.throws(() => parse('-w0.1'), /invalid -w '0.1': expected whole seconds/);
    assert.throws(() => parse('-w0,1'), /invalid -w '0,1'/);
  });

  test('-T: the three kinds; tsprespec takes the hosts before the target, and stays one target', () => {
    assert.equal(parse('-T', 'tsonly').ipTimestamp, 'tsonly');
    const o = parseArgs(['-T', 'tsprespec', '192.0.2.1', '192.0.2.2', '127.0.0.1']);
    assert.deepEqual(o.timestampHops, ['192.0.2.1', '192.0.2.2']);
    assert.deepEqual(o.targets, ['127.0.0.1']);
    assert.equal(o.runMode, 'ping');
    assert.throws(() => parseArgs(['-T', 'tsprespec', '127.0.0.1']), /-T tsprespec.*1 to 4 IPv4 addresses/);
    assert.throws(() => parseArgs(['-T', 'tsprespec', 'a.example', '127.0.0.1']), /must be IPv4 addresses/);
    assert.throws(() => parse('-T', 'tsall'), /invalid -T 'tsall'/);
    assert.throws(() => parse('-R', '-T', 'tsonly'), /only one of -T or -R may be used/);
  });

  test('-N (node information queries) is refused with its reason, never ignored', () => {
    assert.throws(() => parseArgs(['-N', 'name', '::1']), /-N: IPv6 node information queries \(RFC 4620\) are not supported/);
  });

  test("ping's one-target options are refused with many targets", () => {
    assert.throws(() => parseArgs(['-R', '127.0.0.1', '127.0.0.2']), /-R applies to one target only/);
    assert.throws(() => parseArgs(['-M', 'do', '--alive', '127.0.0.1']), /-M applies to one target only/);
  });

  test('a %scope names any interface (if_nametoindex); an unknown one is refused as getaddrinfo refuses it', () => {
    const o = parseArgs(['fe80::1%lo']);
    assert.equal(o.scopeName, 'lo');
    assert.equal(o.interface, undefined, 'a unicast scope is carried in each send, not bound');
    assert.throws(() => parseArgs(['fe80::1%nosuch0']), /fe80::1%nosuch0: Name or service not known/);
  });
});
