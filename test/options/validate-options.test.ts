// Option validation (docs/hostile-inputs.md #24, #27): every bad value is an OptionError that names
// the option (as the caller spelled it) and states the allowed range. Ranges and defaults are
// iputils ping's (ping(8): -s 56 by default, at most 65507 for IPv4 = 65535 - 20 - 8 and 65527
// for IPv6 = 65535 - 8; -t 1-255; -p up to 16 pattern bytes; -i and -W 1 s) in library units.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OptionError } from '../../src/errors.js';
import type { PingOptions } from '../../src/api/ping-options.js';
import type { OptionKey } from '../../src/options/option-table.js';
import { checkSizeForFamily, numericOption, parseNumberOption, parsePattern, type NumericOptionSpec, type OptionNamer } from '../../src/options/parse-value.js';
import { validateOptions, type ValidatedOptions } from '../../src/options/validate-options.js';

function spec(key: OptionKey): NumericOptionSpec {
  return numericOption(key);
}

/** validateOptions with ping()'s defaults, the way the tests below were first written. */
function resolveOptions(input?: PingOptions, kind?: 'library' | 'pinger' | 'many', name?: OptionNamer): ValidatedOptions {
  return validateOptions(input, { ...(kind !== undefined ? { kind } : {}), ...(name !== undefined ? { name } : {}) });
}

/** Asserts `fn` throws an OptionError naming `option` whose message contains every `mentions`. */
function rejects(fn: () => unknown, option: string, mentions: string[], why: string): OptionError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof OptionError, `${why}: expected an OptionError, got ${String(caught)}`);
  assert.equal(caught.option, option, why);
  assert.equal(caught.code, 'ERR_RAWPING_OPTION');
  for (const m of mentions) assert.ok(caught.message.includes(m), `${why}: message ${JSON.stringify(caught.message)} lacks ${JSON.stringify(m)}`);
  return caught;
}

const MAX_SAFE = String(Number.MAX_SAFE_INTEGER);

test('defaults: size 56, preload 1, interval 1000 ms, timeout 1000 ms, count 4, no deadline, auto sockets', () => {
  const r = resolveOptions();
  assert.deepEqual(r.session, {
    count: 4,
    intervalMs: 1000,
    timeoutMs: 1000,
    deadlineMs: null,
    preload: 1,
    size: 56,
    pattern: null,
    ratePps: 0,
    stopOnReply: false,
    retries: 0,
    backoff: 1.5,
    adaptive: false,
    minIntervalMs: 0,
  });
  assert.deepEqual(r.socket, { mode: 'auto' });
  assert.equal(r.family, 0);
  assert.equal(r.resolveTimeoutMs, 5000);
  assert.equal(r.broadcast, false);
  assert.equal(r.signal, undefined);
  assert.equal(r.sockets, undefined);
  assert.equal(r.lookup, undefined);
  assert.deepEqual(resolveOptions({}), r);
});

test('valid values pass through to the session and socket configuration', () => {
  const controller = new AbortController();
  const r = resolveOptions({
    count: 10,
    interval: 200,
    timeout: 2500,
    deadline: 60_000,
    size: 1472,
    ttl: 1,
    tos: 0xb8,
    pattern: 'ff00',
    preload: 3,
    family: 6,
    mode: 'raw',
    source: '2001:db8::1',
    interface: 'eth0',
    broadcast: true,
    rate: 50,
    backoff: 2,
    resolveTimeout: 100,
    adaptive: true,
    minInterval: 2,
    signal: controller.signal,
  });
  assert.deepEqual(r.session, {
    count: 10,
    intervalMs: 200,
    timeoutMs: 2500,
    deadlineMs: 60_000,
    preload: 3,
    size: 1472,
    pattern: Uint8Array.from([0xff, 0x00]),
    ratePps: 50,
    stopOnReply: false,
    retries: 0,
    backoff: 2,
    adaptive: true,
    minIntervalMs: 2,
  });
  assert.deepEqual(r.socket, { mode: 'raw', ttl: 1, tos: 0xb8, source: '2001:db8::1', interface: 'eth0', broadcast: true });
  assert.equal(r.family, 6);
  assert.equal(r.resolveTimeoutMs, 100);
  assert.equal(r.broadcast, true);
  assert.equal(r.signal, controller.signal);
  // Infinity is "no limit" for count; interval 0 is allowed (flood pacing).
  assert.equal(resolveOptions({ count: Infinity }).session.count, Infinity);
  assert.equal(resolveOptions({ interval: 0 }).session.intervalMs, 0);
  // Retries replace the count: one probe plus the retries, and a reply ends the target.
  assert.equal(resolveOptions({ retries: 3 }).session.count, 4);
  assert.equal(resolveOptions({ retries: 3 }).session.stopOnReply, true);
  // The kind of run's defaults apply to what was not set: createPinger has no count limit,
  // pingMany caps the rate.
  const d = resolveOptions({ count: 2 }, 'pinger');
  assert.deepEqual([d.session.count, d.session.intervalMs, d.session.timeoutMs, d.session.ratePps], [2, 1000, 1000, 0]);
  assert.equal(resolveOptions({}, 'pinger').session.count, Infinity);
  assert.equal(resolveOptions({}, 'many').session.ratePps, 1000);
});

test('count: 0, -1, 1.5, NaN, -Infinity and non-numbers are rejected with the range 1..MAX_SAFE_INTEGER', () => {
  for (const count of [0, -1, 1.5, NaN, -Infinity, Number.MAX_SAFE_INTEGER + 2]) {
    rejects(() => resolveOptions({ count }), 'count', ['count', '1', MAX_SAFE, 'integer'], `count ${count}`);
  }
  rejects(() => resolveOptions({ count: '5' as unknown as number }), 'count', ['1', MAX_SAFE], "count '5'");
  rejects(() => resolveOptions({ count: null as unknown as number }), 'count', ['1', MAX_SAFE], 'count null');
});

test('interval: -1, NaN, 1e300, Infinity are rejected with the range 0..2147483647 ms', () => {
  for (const interval of [-1, NaN, 1e300, Infinity, -0.001]) {
    rejects(() => resolveOptions({ interval }), 'interval', ['interval', '0', '2147483647'], `interval ${interval}`);
  }
});

test('timeout: 0 and 1e300 are rejected with the range 1..2147483647 ms', () => {
  for (const timeout of [0, 1e300, -5, NaN]) {
    rejects(() => resolveOptions({ timeout }), 'timeout', ['timeout', '1', '2147483647'], `timeout ${timeout}`);
  }
});

test('size: 2147483647 and -1 rejected (0..65527); 65508 rejected for IPv4, accepted for IPv6', () => {
  rejects(() => resolveOptions({ size: 2147483647 }), 'size', ['size', '0', '65527'], 'size 2^31-1');
  rejects(() => resolveOptions({ size: -1 }), 'size', ['0', '65527'], 'size -1');
  rejects(() => resolveOptions({ size: 56.5 }), 'size', ['integer'], 'size 56.5');
  rejects(() => resolveOptions({ size: 65508, family: 4 }), 'size', ['65507', 'IPv4'], 'size 65508 IPv4');
  assert.equal(resolveOptions({ size: 65507, family: 4 }).session.size, 65507);
  assert.equal(resolveOptions({ size: 65508, family: 6 }).session.size, 65508);
  assert.equal(resolveOptions({ size: 65527, family: 6 }).session.size, 65527);
  rejects(() => resolveOptions({ size: 65528, family: 6 }), 'size', ['65527'], 'size 65528 IPv6');
});

test('checkSizeForFamily: 65535 - 20 - 8 = 65507 for IPv4, 65535 - 8 = 65527 for IPv6', () => {
  rejects(() => checkSizeForFamily(2147483647, 4), 'size', ['65507', 'IPv4'], '2^31-1 IPv4');
  rejects(() => checkSizeForFamily(65508, 4), 'size', ['65507', 'IPv4'], '65508 IPv4');
  rejects(() => checkSizeForFamily(65528, 6), 'size', ['65527', 'IPv6'], '65528 IPv6');
  assert.doesNotThrow(() => checkSizeForFamily(65507, 4));
  assert.doesNotThrow(() => checkSizeForFamily(65508, 6));
  assert.doesNotThrow(() => checkSizeForFamily(0, 4));
  // The CLI names the option by its flag.
  rejects(() => checkSizeForFamily(65508, 4, () => '-s'), '-s', ['-s', '65507'], 'flag name');
});

test('ttl 256, 0 and -1, tos 256, preload 0 and 65537 are rejected with their ranges', () => {
  // TTL 0 is refused by the kernel's IP_TTL (1-255), so it is refused up front.
  rejects(() => resolveOptions({ ttl: 256 }), 'ttl', ['1', '255'], 'ttl 256');
  rejects(() => resolveOptions({ ttl: 0 }), 'ttl', ['1', '255'], 'ttl 0');
  rejects(() => resolveOptions({ ttl: -1 }), 'ttl', ['1', '255'], 'ttl -1');
  rejects(() => resolveOptions({ ttl: 1.5 }), 'ttl', ['1', '255'], 'ttl 1.5');
  rejects(() => resolveOptions({ tos: 256 }), 'tos', ['0', '255'], 'tos 256');
  rejects(() => resolveOptions({ preload: 0 }), 'preload', ['1', '65536'], 'preload 0');
  rejects(() => resolveOptions({ preload: 65537 }), 'preload', ['1', '65536'], 'preload 65537');
  assert.equal(resolveOptions({ ttl: 255 }).socket.ttl, 255);
});

test('family, mode, source, interface and signal: only the documented values', () => {
  rejects(() => resolveOptions({ family: 5 as 4 }), 'family', ['4', '6', '0'], 'family 5');
  rejects(() => resolveOptions({ mode: 'stream' as 'raw' }), 'mode', ['auto', 'raw', 'dgram'], 'mode stream');
  rejects(() => resolveOptions({ source: '' }), 'source', ['source'], 'empty source');
  rejects(() => resolveOptions({ source: '10.0.0.1 x' }), 'source', ['source'], 'source with a space');
  rejects(() => resolveOptions({ interface: 'eth0\n' }), 'interface', ['interface'], 'interface with a newline');
  rejects(() => resolveOptions({ interface: 'x'.repeat(256) }), 'interface', ['interface'], 'interface too long');
  rejects(() => resolveOptions({ signal: {} as AbortSignal }), 'signal', ['AbortSignal'], 'signal {}');
  rejects(() => resolveOptions(null as unknown as PingOptions), 'options', ['object'], 'null options');
});

test('a namer renames the option in .option and in the message (the CLI passes its flags)', () => {
  const flags: Record<string, string> = { count: '-c', interval: '-i', ttl: '-t' };
  const namer = (key: string): string => flags[key] ?? key;
  rejects(() => resolveOptions({ count: 0 }, undefined, namer), '-c', ["invalid -c '0'", '1', MAX_SAFE], '-c 0');
  rejects(() => resolveOptions({ ttl: 256 }, undefined, namer), '-t', ["invalid -t '256'", '255'], '-t 256');
});

test('parseNumberOption (integer option): strict decimal text only', () => {
  const count = spec('count');
  assert.equal(parseNumberOption(count, '10'), 10);
  assert.equal(parseNumberOption(count, '1'), 1);
  for (const text of ['10xyz', '', ' 5', '5 ', '0x10', '1e3', '1.5', '-1', '0', 'NaN', 'Infinity', '٣', '1_000', '+', '99999999999999999999']) {
    rejects(() => parseNumberOption(count, text), 'count', ['count', '1', MAX_SAFE], `count ${JSON.stringify(text)}`);
  }
  // The text is quoted back as given.
  rejects(() => parseNumberOption(count, '10xyz', () => '-c'), '-c', ["'10xyz'"], 'echo of the text');
});

test('parseNumberOption: a 1 MB value is cut in the message, not echoed whole', () => {
  const huge = '9'.repeat(1_000_000);
  const e = rejects(() => parseNumberOption(spec('count'), huge), 'count', ['count'], '1 MB');
  assert.ok(e.message.length < 200, `message is ${e.message.length} characters`);
});

test('parseNumberOption with scale 1000 (seconds for a millisecond option): ranges shown in seconds', () => {
  const interval = spec('interval');
  assert.equal(parseNumberOption(interval, '0.2', undefined, 1000), 200);
  assert.equal(parseNumberOption(interval, '.5', undefined, 1000), 500);
  assert.equal(parseNumberOption(interval, '2', undefined, 1000), 2000);
  assert.equal(parseNumberOption(interval, '0', undefined, 1000), 0);
  // 2147483647 ms = 2147483.647 s is the largest.
  for (const text of ['1e300', '-1', 'NaN', '', '1e400', '2147484', 'inf', '1s']) {
    rejects(() => parseNumberOption(interval, text, () => '-i', 1000), '-i', ['-i', '0', '2147483.647'], `-i ${JSON.stringify(text)}`);
  }
  const timeout = spec('timeout');
  assert.equal(parseNumberOption(timeout, '1.5', undefined, 1000), 1500);
  for (const text of ['1e300', '0', '-2']) {
    rejects(() => parseNumberOption(timeout, text, () => '-W', 1000), '-W', ['-W', '0.001', '2147483.647'], `-W ${text}`);
  }
});

test('parsePattern: 1 to 32 hex digits (16 bytes), else rejected', () => {
  assert.deepEqual(parsePattern('ff'), Uint8Array.from([0xff]));
  assert.deepEqual(parsePattern('DEADbeef'), Uint8Array.from([0xde, 0xad, 0xbe, 0xef]));
  assert.deepEqual(parsePattern('f'), Uint8Array.from([0x0f]));
  const sixteen = parsePattern('00112233445566778899aabbccddeeff');
  assert.equal(sixteen.length, 16);
  assert.equal(sixteen[15], 0xff);
  for (const text of ['zz', '', 'a'.repeat(33), '0x11', 'ff ', '-1', 'g']) {
    rejects(() => parsePattern(text), 'pattern', ['pattern', '32'], `pattern ${JSON.stringify(text)}`);
  }
  rejects(() => parsePattern(new Uint8Array(0)), 'pattern', ['16'], 'empty bytes');
  rejects(() => parsePattern(new Uint8Array(17)), 'pattern', ['16'], '17 bytes');
  assert.deepEqual(parsePattern(Uint8Array.from([1, 2, 3])), Uint8Array.from([1, 2, 3]));
  rejects(() => resolveOptions({ pattern: 'zz' }), 'pattern', ['pattern'], 'via resolveOptions');
});

test('parsePattern with an odd number of digits reads two digits at a time, as ping does', () => {
  // iputils fill(): sscanf(patp, "%2x%2x...") takes "ab" then "c": bytes 0xab, 0x0c.
  // iputils 20221126 on this machine prints "PATTERN: 0xab0c" for `ping -p abc`.
  assert.deepEqual(parsePattern('abc'), Uint8Array.from([0xab, 0x0c]));
  assert.deepEqual(parsePattern('12345'), Uint8Array.from([0x12, 0x34, 0x05]));
});

describe("the socket settings of ping's other options", () => {
  test('each lands in the socket spec under its name; none by default', () => {
    const { socket } = validateOptions({
      identifier: 7,
      pmtu: 'do',
      mark: 9,
      sendBuffer: 4096,
      debug: true,
      dontRoute: true,
      noLoopback: true,
      flowLabel: 0x12345,
      connect: true,
      strictSource: true,
      userLatency: true,
    });
    assert.deepEqual(
      { ...socket },
      {
        mode: 'auto',
        identifier: 7,
        pmtu: 'do',
        mark: 9,
        sendBuffer: 4096,
        debug: true,
        dontRoute: true,
        multicastLoop: false,
        flowLabel: 0x12345,
        connect: true,
        strictSource: true,
        userLatency: true,
      },
    );
    assert.deepEqual({ ...validateOptions({}).socket }, { mode: 'auto' });
  });

  test('recordRoute and ipTimestamp become the IPv4 option bytes; they exclude each other', () => {
    assert.equal(validateOptions({ recordRoute: true }).socket.ipOptions?.[1], 7);
    assert.equal(validateOptions({ ipTimestamp: 'tsonly' }).socket.ipOptions?.[0], 68);
    assert.equal(validateOptions({ ipTimestamp: 'tsprespec', timestampHops: ['192.0.2.1'] }).socket.ipOptions?.length, 12);
    assert.throws(() => validateOptions({ recordRoute: true, ipTimestamp: 'tsonly' }), /only one of ipTimestamp or recordRoute/);
    assert.throws(() => validateOptions({ ipTimestamp: 'tsprespec' }), /tsprespec' needs 1 to 4 IPv4 addresses/);
    assert.throws(() => validateOptions({ timestampHops: ['192.0.2.1'] }), /with ipTimestamp 'tsprespec' only/);
  });

  test('bad values are refused with their ranges', () => {
    assert.throws(() => validateOptions({ pmtu: 'always' as 'do' }), /invalid pmtu 'always'/);
    assert.throws(() => validateOptions({ identifier: 65536 }), /invalid identifier/);
    assert.throws(() => validateOptions({ flowLabel: 0x100000 }), /invalid flowLabel/);
    assert.throws(() => validateOptions({ mark: -1 }), /invalid mark/);
    assert.throws(() => validateOptions({ ipTimestamp: 'all' as 'tsonly' }), /invalid ipTimestamp 'all'/);
  });
});
