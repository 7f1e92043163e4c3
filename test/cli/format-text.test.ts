// iputils ping's text, line by line and byte for byte, without a socket: the formatter is pure,
// so every line shape and every rounding boundary is checked here with exact strings. The
// expected lines are iputils' (its ping_common.c and ping.c, release 20221126 and later, in the
// C locale); cli-differential.test.ts compares whole runs with the installed iputils ping on top
// of this.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  errorLine,
  formatPercentG,
  headerLine,
  patternLine,
  replyLine,
  statisticsBlock,
  statusLine,
  timestampPrefix,
  type ReplyFacts,
  type StatisticsFacts,
} from '../../src/cli/format-text.js';
import type { IputilsRtt } from '../../src/pinger/rtt-summary.js';

const RTT: IputilsRtt = { minUs: 35, avgUs: 45, maxUs: 61, mdevUs: 11, ewmaTimes8Us: 320 };

function reply(overrides: Partial<ReplyFacts> = {}): string {
  return replyLine({ bytes: 64, from: '127.0.0.1', sequence: 1, ttl: 64, us: 45, truncated: false, duplicate: false, badChecksum: false, ...overrides });
}

function statistics(overrides: Partial<StatisticsFacts> = {}): string {
  return statisticsBlock({
    host: '127.0.0.1',
    transmitted: 3,
    received: 3,
    duplicates: 0,
    corrupted: 0,
    errors: 0,
    timeMs: 2003,
    rtt: RTT,
    pipe: 1,
    ipgEwma: false,
    ...overrides,
  });
}

describe('the PING line', () => {
  test('IPv4: size(size + 28) bytes of data', () => {
    assert.equal(headerLine({ family: 4, host: '127.0.0.1', address: '127.0.0.1', size: 56 }), 'PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.');
    assert.equal(headerLine({ family: 4, host: 'localhost', address: '127.0.0.1', size: 0 }), 'PING localhost (127.0.0.1) 0(28) bytes of data.');
    assert.equal(headerLine({ family: 4, host: '10.0.0.1', address: '10.0.0.1', size: 65507 }), 'PING 10.0.0.1 (10.0.0.1) 65507(65535) bytes of data.');
  });

  test('IPv6: size data bytes, with a space before the parenthesis (current iputils)', () => {
    assert.equal(headerLine({ family: 6, host: '::1', address: '::1', size: 56 }), 'PING ::1 (::1) 56 data bytes');
    assert.equal(headerLine({ family: 6, host: 'localhost', address: '::1', size: 1000 }), 'PING localhost (::1) 1000 data bytes');
  });

  test('with -I: "from <source> <device>: ", and an empty device (-I gave an address) still leaves its space', () => {
    assert.equal(
      headerLine({ family: 4, host: 'host', address: '10.0.0.1', size: 56, source: { address: '10.0.0.2', device: 'eth0' } }),
      'PING host (10.0.0.1) from 10.0.0.2 eth0: 56(84) bytes of data.',
    );
    // ping.c: printf("from %s %s: ", source, device ? device : "").
    assert.equal(
      headerLine({ family: 4, host: '10.0.0.1', address: '10.0.0.1', size: 56, source: { address: '10.0.0.2', device: '' } }),
      'PING 10.0.0.1 (10.0.0.1) from 10.0.0.2 : 56(84) bytes of data.',
    );
    assert.equal(
      headerLine({ family: 6, host: 'fd00::1', address: 'fd00::1', size: 56, source: { address: 'fd00::2', device: 'veth0' } }),
      'PING fd00::1 (fd00::1) from fd00::2 veth0: 56 data bytes',
    );
  });
});

describe("the PING line of ping's other options", () => {
  test('-R and -T: the 40 option bytes count in the IP size, 56(124)', () => {
    assert.equal(
      headerLine({ family: 4, host: '127.0.0.1', address: '127.0.0.1', size: 56, optionBytes: 40 }),
      'PING 127.0.0.1 (127.0.0.1) 56(124) bytes of data.',
    );
  });

  test('-F: ", flow 0x<5 hex digits>, " after the address (ping6_common.c), nothing for label 0', () => {
    assert.equal(headerLine({ family: 6, host: '::1', address: '::1', size: 56, flowLabel: 0x12345 }), 'PING ::1 (::1) , flow 0x12345, 56 data bytes');
    assert.equal(headerLine({ family: 6, host: '::1', address: '::1', size: 56, flowLabel: 0xab }), 'PING ::1 (::1) , flow 0x000ab, 56 data bytes');
    assert.equal(headerLine({ family: 6, host: '::1', address: '::1', size: 56, flowLabel: 0 }), 'PING ::1 (::1) 56 data bytes');
  });
});

test('PATTERN: two hex digits per byte, leading zeros kept', () => {
  assert.equal(patternLine(Uint8Array.from([0xff])), 'PATTERN: 0xff');
  assert.equal(patternLine(Uint8Array.from([0xde, 0xad, 0x0b, 0x00])), 'PATTERN: 0xdead0b00');
});

test('-D prefix: [seconds.microseconds] with six digits and a trailing space', () => {
  assert.equal(timestampPrefix(1_700_000_000_000), '[1700000000.000000] ');
  assert.equal(timestampPrefix(1_700_000_000_001), '[1700000000.001000] ');
  assert.equal(timestampPrefix(1_700_000_000_123.5), '[1700000000.123500] ');
  assert.equal(timestampPrefix(1_700_000_000_999.75), '[1700000000.999750] ');
  assert.equal(timestampPrefix(0), '[0.000000] ');
});

describe('reply lines', () => {
  test('-v: ident= between icmp_seq and ttl (ping_common.c)', () => {
    assert.equal(reply({ ident: 18169 }), '64 bytes from 127.0.0.1: icmp_seq=1 ident=18169 ttl=64 time=0.045 ms');
    assert.equal(reply({ ident: 0 }), '64 bytes from 127.0.0.1: icmp_seq=1 ident=0 ttl=64 time=0.045 ms');
  });

  test('bytes, from, icmp_seq, ttl, time', () => {
    assert.equal(reply(), '64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.045 ms');
    assert.equal(
      reply({ from: 'localhost (127.0.0.1)', sequence: 65535, ttl: 255 }),
      '64 bytes from localhost (127.0.0.1): icmp_seq=65535 ttl=255 time=0.045 ms',
    );
    assert.equal(reply({ from: 'fe80::1%eth0', bytes: 16 }), '16 bytes from fe80::1%eth0: icmp_seq=1 ttl=64 time=0.045 ms');
  });

  test('ttl -1 (unknown) is left out; a reply without timing (payload under 16 bytes) has no time', () => {
    assert.equal(reply({ ttl: -1 }), '64 bytes from 127.0.0.1: icmp_seq=1 time=0.045 ms');
    assert.equal(reply({ us: null, bytes: 16 }), '16 bytes from 127.0.0.1: icmp_seq=1 ttl=64');
  });

  // ping_common.c, for triptime in microseconds:
  //   >= 99950: "%ld" of (t + 500) / 1000     >= 9995: "%ld.%01ld" of (t + 50)   >= 1000: "%ld.%02ld" of (t + 5)
  //   else "%ld.%03ld" of t, truncated. The figures were run through that C code (gcc) when this was written.
  const TIMES: [number, string][] = [
    [0, '0.000'],
    [1, '0.001'],
    [45, '0.045'],
    [999, '0.999'],
    [1000, '1.00'],
    [1004, '1.00'],
    [1005, '1.01'],
    [1994, '1.99'],
    [1995, '2.00'],
    [9994, '9.99'],
    [9995, '10.0'],
    [9999, '10.0'],
    [10000, '10.0'],
    [10049, '10.0'],
    [10050, '10.1'],
    [99949, '99.9'],
    [99950, '100'],
    [99999, '100'],
    [100000, '100'],
    [100499, '100'],
    [100500, '101'],
    [1234567, '1235'],
  ];
  for (const [us, shown] of TIMES) {
    test(`${us} µs is time=${shown} ms`, () => {
      assert.equal(reply({ us }), `64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=${shown} ms`);
    });
  }

  test('(DUP!) and (BAD CHECKSUM!) after the time, in that order', () => {
    assert.equal(reply({ duplicate: true }), '64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.045 ms (DUP!)');
    assert.equal(reply({ badChecksum: true }), '64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.045 ms (BAD CHECKSUM!)');
    assert.equal(reply({ duplicate: true, badChecksum: true }), '64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.045 ms (DUP!) (BAD CHECKSUM!)');
  });

  test('(truncated) ends the line: no time, no DUP, no checksum note', () => {
    assert.equal(reply({ bytes: 20, truncated: true }), '20 bytes from 127.0.0.1: icmp_seq=1 ttl=64 (truncated)');
    assert.equal(reply({ bytes: 20, truncated: true, duplicate: true, badChecksum: true, ttl: -1 }), '20 bytes from 127.0.0.1: icmp_seq=1 (truncated)');
  });
});

test('ICMP error lines: From <router> icmp_seq=<n> <reason>', () => {
  assert.equal(errorLine('10.0.0.1', 3, 'Destination Host Unreachable'), 'From 10.0.0.1 icmp_seq=3 Destination Host Unreachable');
  assert.equal(
    errorLine('2001:db8::1', 1, 'Destination unreachable: Address unreachable'),
    'From 2001:db8::1 icmp_seq=1 Destination unreachable: Address unreachable',
  );
});

describe('the statistics block', () => {
  test('a blank line, the title, the counts, the rtt line, each ending in a newline', () => {
    assert.equal(
      statistics(),
      '\n--- 127.0.0.1 ping statistics ---\n3 packets transmitted, 3 received, 0% packet loss, time 2003ms\nrtt min/avg/max/mdev = 0.035/0.045/0.061/0.011 ms\n',
    );
  });

  test('the host as typed, the rtt figures in whole microseconds as ms with three decimals', () => {
    const block = statistics({ host: 'localhost', rtt: { minUs: 1_234_567, avgUs: 2_000_000, maxUs: 9_999_999, mdevUs: 0, ewmaTimes8Us: 0 } });
    assert.match(block, /^\n--- localhost ping statistics ---\n/);
    assert.match(block, /\nrtt min\/avg\/max\/mdev = 1234\.567\/2000\.000\/9999\.999\/0\.000 ms\n$/);
  });

  test('+duplicates, +corrupted, +errors after received, in that order, only when not 0', () => {
    const counts = (s: Partial<StatisticsFacts>): string => statistics(s).split('\n')[2] as string;
    assert.equal(
      counts({ transmitted: 5, received: 5, duplicates: 2, timeMs: 4006 }),
      '5 packets transmitted, 5 received, +2 duplicates, 0% packet loss, time 4006ms',
    );
    assert.equal(
      counts({ transmitted: 3, received: 2, corrupted: 1, timeMs: 2002 }),
      '3 packets transmitted, 2 received, +1 corrupted, 33.3333% packet loss, time 2002ms',
    );
    assert.equal(
      counts({ transmitted: 4, received: 0, errors: 4, timeMs: 3012, rtt: null }),
      '4 packets transmitted, 0 received, +4 errors, 100% packet loss, time 3012ms',
    );
    assert.equal(
      counts({ transmitted: 9, received: 3, duplicates: 1, corrupted: 2, errors: 3 }),
      '9 packets transmitted, 3 received, +1 duplicates, +2 corrupted, +3 errors, 66.6667% packet loss, time 2003ms',
    );
  });

  test('no replies: no rtt line, the block ends with an empty line', () => {
    assert.equal(
      statistics({ transmitted: 2, received: 0, rtt: null, timeMs: 1001 }),
      '\n--- 127.0.0.1 ping statistics ---\n2 packets transmitted, 0 received, 100% packet loss, time 1001ms\n\n',
    );
    assert.match(statistics({ received: 3, rtt: null }), /, time 2003ms\n\n$/, 'replies without timing: no rtt line either');
  });

  test('nothing sent (interrupted while resolving): neither loss nor time', () => {
    assert.equal(
      statistics({ host: 'never-answers.test', transmitted: 0, received: 0, rtt: null, timeMs: 0 }),
      '\n--- never-answers.test ping statistics ---\n0 packets transmitted, 0 received\n\n',
    );
  });

  test('time is rounded half up to whole milliseconds', () => {
    assert.match(statistics({ timeMs: 2002.5 }), /, time 2003ms\n/);
    assert.match(statistics({ timeMs: 2002.49 }), /, time 2002ms\n/);
    assert.match(statistics({ timeMs: 0.4 }), /, time 0ms\n/);
  });

  test('pipe N when more than one probe was outstanding, after the rtt figures or alone', () => {
    assert.match(statistics({ pipe: 2 }), /\nrtt min\/avg\/max\/mdev = 0\.035\/0\.045\/0\.061\/0\.011 ms, pipe 2\n$/);
    assert.match(statistics({ pipe: 3, received: 0, rtt: null }), /, time 2003ms\npipe 3\n$/);
    assert.doesNotMatch(statistics({ pipe: 1 }), /pipe/);
  });

  test('ipg/ewma (flood, interval 0, adaptive): the mean gap between sends and the smoothed RTT', () => {
    // ipg = 2003 ms / (3 - 1) = 1001.500 ms; ewma = 367 / 8 = 45 µs (truncated, as ping's integer division).
    assert.match(statistics({ ipgEwma: true, pipe: 2, rtt: { ...RTT, ewmaTimes8Us: 367 } }), / ms, pipe 2, ipg\/ewma 1001\.500\/0\.045 ms\n$/);
    assert.match(statistics({ ipgEwma: true, transmitted: 1001, received: 1001, timeMs: 10 }), /0\.011 ms, ipg\/ewma 0\.010\/0\.040 ms\n$/);
  });

  test('no ipg/ewma without replies, with a single probe, or when not asked for', () => {
    assert.doesNotMatch(statistics({ ipgEwma: true, received: 0, rtt: null }), /ipg/);
    assert.doesNotMatch(statistics({ ipgEwma: true, transmitted: 1, received: 1 }), /ipg/);
    assert.doesNotMatch(statistics({ ipgEwma: false, transmitted: 100, received: 100 }), /ipg/);
  });
});

describe('--percentiles: one more line after the rtt line; the iputils lines stay as they are', () => {
  const spread = { jitter: 0.0125, p50: 0.045, p90: 0.0612, p99: 1.5 };

  test('rtt jitter/p50/p90/p99 in ms with three decimals, truncated to whole microseconds like the rtt line', () => {
    const lines = statistics({ spread }).split('\n');
    assert.equal(lines[3], 'rtt min/avg/max/mdev = 0.035/0.045/0.061/0.011 ms');
    assert.equal(lines[4], 'rtt jitter/p50/p90/p99 = 0.012/0.045/0.061/1.500 ms');
    assert.equal(lines.length, 6);
  });

  test('without the option, or without replies, the block is the iputils one', () => {
    assert.equal(statistics({ spread: null }), statistics());
    assert.doesNotMatch(statistics({ spread, received: 0, rtt: null }), /jitter/);
  });
});

describe('the SIGQUIT status line (stderr)', () => {
  test('\\r, received/transmitted, whole-percent loss, min/avg/ewma/max', () => {
    assert.equal(statusLine(3, 3, RTT), '\r3/3 packets, 0% loss, min/avg/ewma/max = 0.035/0.045/0.040/0.061 ms\n');
  });

  test("the loss is truncated to a whole percent (ping's integer division), not rounded", () => {
    assert.equal(statusLine(1, 3, RTT), '\r1/3 packets, 66% loss, min/avg/ewma/max = 0.035/0.045/0.040/0.061 ms\n');
    assert.equal(statusLine(199, 200, RTT).split(',')[1], ' 0% loss');
  });

  test('no figures before the first reply; nothing sent is 0% loss', () => {
    assert.equal(statusLine(0, 4, null), '\r0/4 packets, 100% loss\n');
    assert.equal(statusLine(0, 0, null), '\r0/0 packets, 0% loss\n');
  });
});

describe('formatPercentG: C printf %g of the loss rounded to a float, as ping prints it', () => {
  // Expected strings from C, computed when this test was written: V is the float nearest to
  // lost * 100 / transmitted (ping casts the loss to float), printed exactly with
  // python3 -c "import struct; print(repr(struct.unpack('f', struct.pack('f', lost * 100.0 / transmitted))[0]))",
  // then `printf '%g' V` in bash 5.2 (glibc 2.36); a C program doing printf("%g", (float)...) agreed.
  const LOSS: [transmitted: number, lost: number, printf: string][] = [
    [1, 0, '0'],
    [1, 1, '100'],
    [2, 1, '50'],
    [8, 1, '12.5'],
    [3, 1, '33.3333'],
    [3, 2, '66.6667'],
    [7, 1, '14.2857'],
    [198, 1, '0.50505'], // trailing zero of 0.505050 dropped
    [151, 3, '1.98676'], // the float rounds up where the double (1.98675...) rounds down
    [121, 40, '33.0578'], // and down where the double (33.05785...) rounds up
    [41, 39, '95.1219'], // the double would print 95.122
    [100000, 1, '0.001'],
    [65536, 1, '0.00152588'],
    [3000000, 1, '3.33333e-05'],
    [10000000, 1, '1e-05'],
    [2000000, 1999999, '99.9999'],
  ];
  for (const [transmitted, lost, printf] of LOSS) {
    test(`${lost} of ${transmitted} lost: ${printf}`, () => {
      assert.equal(formatPercentG((lost * 100) / transmitted), printf);
    });
  }

  test('the same through the statistics block', () => {
    assert.match(statistics({ transmitted: 41, received: 2, rtt: null }), /^41 packets transmitted, 2 received, 95\.1219% packet loss, /m);
  });

  test('other magnitudes: %f style from 1e-4 to below 1e6, %e style with a two-digit exponent outside', () => {
    // printf '%g' 123456 1234567 0.000123456004075706 1.0000000200408773e+20 (the floats nearest to them)
    assert.equal(formatPercentG(123456), '123456');
    assert.equal(formatPercentG(1234567), '1.23457e+06');
    assert.equal(formatPercentG(0.000123456), '0.000123456');
    assert.equal(formatPercentG(1e20), '1e+20');
  });

  // %g picks its style from the exponent of the value rounded to 6 digits (C11 7.21.6.1): the
  // float nearest 1e-4 (9.9999997e-05) rounds to 1.00000e-04, so C prints 0.0001; 999999.5
  // rounds to 1.00000e+06, so C prints 1e+06. formatPercentG takes the exponent before rounding.
  test("1 of 1000000 lost is 0.0001 (printf '%g' 9.999999747378752e-05), and 999999.5 is 1e+06", () => {
    assert.equal(formatPercentG((1 * 100) / 1000000), '0.0001');
    assert.equal(formatPercentG(999999.5), '1e+06');
  });
});
