// fping's text, as fping 5 prints it (src/fping.c: sprint_tm, the -c, -C, -Q, -s and -x lines):
// each case here is a line fping itself prints for the same facts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  fpingMs,
  icmpErrorLine,
  icmpErrorName,
  lossPercent,
  reachableLine,
  replyLine,
  reportHeading,
  rttListLine,
  statisticsLine,
  timedOutLine,
  timestampPrefix,
  totalsLines,
} from '../../../src/cli/sweep/fping-text.js';

describe('times and percentages', () => {
  test("sprint_tm: 3 decimals below 1 ms, 2 below 10, 1 below 100, none below 10^6, then C's %.3e", () => {
    assert.deepEqual([0, 0.0456, 0.9994, 1, 9.994, 10, 99.94, 100, 999999, 1e6, 123456789].map(fpingMs), [
      '0.000',
      '0.046',
      '0.999',
      '1.00',
      '9.99',
      '10.0',
      '99.9',
      '100',
      '999999',
      '1.000e+06',
      '1.235e+08',
    ]);
    assert.equal(fpingMs(-0.5), '-0.5');
  });

  test('loss is truncated to a whole percent, 0 with nothing sent', () => {
    assert.deepEqual([lossPercent(3, 3), lossPercent(3, 2), lossPercent(3, 1), lossPercent(0, 0), lossPercent(7, 0)], [0, 33, 66, 0, 100]);
  });

  test('-D prefixes the wall clock in seconds with five decimals', () => {
    assert.equal(timestampPrefix(1_700_000_000_123.456), '[1700000000.12346] ');
  });
});

describe('the lines', () => {
  test('-c: a reply and a timeout, with the average and loss so far', () => {
    assert.equal(
      replyLine('127.0.0.1', 0, 64, 0.045, { settled: 1, received: 1, rttSumMs: 0.045 }),
      '127.0.0.1 : [0], 64 bytes, 0.045 ms (0.045 avg, 0% loss)',
    );
    assert.equal(replyLine('h', 2, 64, 12.3, { settled: 3, received: 2, rttSumMs: 20 }), 'h : [2], 64 bytes, 12.3 ms (10.0 avg, 33% loss)');
    assert.equal(timedOutLine('8.8.8.7', 4, { settled: 5, received: 0, rttSumMs: 0 }), '8.8.8.7 : [4], timed out (NaN avg, 100% loss)');
    assert.equal(timedOutLine('h', 1, { settled: 2, received: 1, rttSumMs: 0.5 }), 'h : [1], timed out (0.500 avg, 50% loss)');
  });

  test('statistics: xmt/rcv/%loss, then the outage with -o, then min/avg/max when a reply came', () => {
    assert.equal(
      statisticsLine('localhost', { sent: 2, received: 2, rtt: { min: 0.03, avg: 0.04, max: 0.05 } }),
      'localhost : xmt/rcv/%loss = 2/2/0%, min/avg/max = 0.030/0.040/0.050',
    );
    assert.equal(statisticsLine('8.8.8.7', { sent: 5, received: 0, rtt: null, outageMs: 500 }), '8.8.8.7 : xmt/rcv/%loss = 5/0/100%, outage(ms) = 500');
    assert.equal(statisticsLine('h', { sent: 0, received: 0, rtt: null }), 'h : xmt/rcv/%loss = 0/0/0%');
  });

  test('-C: every RTT, - for a probe without a reply', () => {
    assert.equal(rttListLine('255.255.255.255', [null, null, null]), '255.255.255.255 : - - -');
    assert.equal(rttListLine('h', [0.05, null, 1.5]), 'h : 0.050 - 1.50');
  });

  test('-Q: the local time in brackets', () => {
    assert.equal(reportHeading(new Date(2024, 0, 2, 3, 4, 5)), '[03:04:05]');
  });

  test('-x: enough or not', () => {
    assert.equal(reachableLine(1, 1), 'Enough hosts reachable (required: 1, reachable: 1)');
    assert.equal(reachableLine(2, 1), 'Not enough hosts reachable (required: 2, reachable: 1)');
  });

  test('-s: the block of totals, blank lines included', () => {
    const lines = totalsLines({
      targets: 1,
      alive: 0,
      unreachable: 1,
      unknown: 0,
      timeouts: 1,
      sent: 1,
      received: 0,
      otherIcmp: 0,
      rtt: null,
      elapsedMs: 112.4,
    });
    assert.deepEqual(lines, [
      '',
      '       1 targets',
      '       0 alive',
      '       1 unreachable',
      '       0 unknown addresses',
      '',
      '       1 timeouts (waiting for response)',
      '       1 ICMP Echos sent',
      '       0 ICMP Echo Replies received',
      '       0 other ICMP received',
      '',
      ' 0.000 ms (min round trip time)',
      ' 0.000 ms (avg round trip time)',
      ' 0.000 ms (max round trip time)',
      '        0.112 sec (elapsed real time)',
      '',
    ]);
  });
});

describe('ICMP errors', () => {
  test("fping's names for IPv4, its wording for the line", () => {
    assert.equal(icmpErrorName(4, 3, 1), 'ICMP Host Unreachable');
    assert.equal(icmpErrorName(4, 3, 13), 'ICMP Unreachable (Communication Administratively Prohibited)');
    assert.equal(icmpErrorName(4, 3, 99), 'ICMP Unreachable (Invalid Code)');
    assert.equal(icmpErrorName(4, 11, 0), 'ICMP Time Exceeded');
    assert.equal(icmpErrorName(4, 42, 0), 'ICMP 42');
    assert.equal(icmpErrorLine('ICMP Host Unreachable', '10.0.0.1', '10.0.0.2'), 'ICMP Host Unreachable from 10.0.0.1 for ICMP Echo sent to 10.0.0.2');
  });

  test("IPv6 by ICMPv6's own types (fping reads them with IPv4's table)", () => {
    assert.equal(icmpErrorName(6, 1, 0), 'ICMPv6 No Route to Destination');
    assert.equal(icmpErrorName(6, 1, 3), 'ICMPv6 Address Unreachable');
    assert.equal(icmpErrorName(6, 1, 200), 'ICMPv6 Destination Unreachable (Invalid Code)');
    assert.equal(icmpErrorName(6, 3, 0), 'ICMPv6 Time Exceeded');
    assert.equal(icmpErrorName(6, 2, 0), 'ICMPv6 Packet Too Big');
  });
});
