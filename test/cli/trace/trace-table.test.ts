// The hop table as text: columns as mtr's report has them plus Lim, every address of a hop
// that changed, traceroute's marks, and what a silent hop says.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatMs, tableNotes, traceTableLines } from '../../../src/cli/trace/trace-table.js';
import type { TraceHop } from '../../../src/index.js';

function hop(overrides: Partial<TraceHop> & { hop: number }): TraceHop {
  return {
    addresses: [],
    sent: 10,
    received: 10,
    lost: 0,
    limited: 0,
    loss: 0,
    lastMs: 1.5,
    rtt: { min: 1, avg: 1.5, max: 2.25, mdev: 0.5, jitter: 0.25, p50: 1.5, p90: 2, p99: 2.25 },
    errors: [],
    destination: false,
    ...overrides,
  };
}

describe('traceTableLines', () => {
  test('titles, then a line per hop with its figures in columns', () => {
    const lines = traceTableLines([hop({ hop: 1, addresses: [{ address: '10.0.0.1', replies: 10 }] })]);
    assert.equal(lines[0], ' Hop  Host                       Loss%  Snt  Lim    Last     Avg    Best    Wrst   StDev  Jitter');
    assert.equal(lines[1], '  1.  10.0.0.1                    0.0%   10    0   1.500   1.500   1.000   2.250   0.500   0.250');
    assert.equal(lines.length, 2);
  });

  test('a hop that changed shows its other addresses under it; names go through the namer', () => {
    const lines = traceTableLines(
      [
        hop({
          hop: 2,
          addresses: [
            { address: '10.0.0.2', replies: 6 },
            { address: '10.0.9.2', replies: 4 },
          ],
        }),
      ],
      (a) => `r-${a}`,
    );
    assert.match(lines[1] as string, /^ {2}2\. {2}r-10\.0\.0\.2 /);
    assert.equal(lines[2], '      r-10.0.9.2');
  });

  test("errors carry traceroute's marks, fragmentation needed with its MTU, and ping's words on lines of their own", () => {
    const lines = traceTableLines([
      hop({
        hop: 3,
        addresses: [{ address: '10.0.0.3', replies: 3 }],
        errors: [
          { mark: '!H', reason: 'Destination Host Unreachable', icmpType: 3, icmpCode: 1, mtu: null, count: 2 },
          { mark: '!F', reason: 'Frag needed and DF set (mtu = 1400)', icmpType: 3, icmpCode: 4, mtu: 1400, count: 1 },
        ],
      }),
    ]);
    assert.match(lines[1] as string, /10\.0\.0\.3 !H !F-1400 /);
    assert.deepEqual(lines.slice(2), ['      !H Destination Host Unreachable (2 of 10)', '      !F-1400 Frag needed and DF set (mtu = 1400) (1 of 10)']);
  });

  test('a hop that never answered: its own silence when later hops answered, else ???', () => {
    const silent = { addresses: [], received: 0, rtt: null, lastMs: null };
    const lines = traceTableLines([hop({ hop: 2, ...silent, limited: 10 }), hop({ hop: 3, ...silent, lost: 10, loss: 100 })]);
    assert.match(lines[1] as string, /^ {2}2\. {2}no reply \(rate-limited or filtered\) +0\.0% +10 +10$/);
    assert.match(lines[2] as string, /^ {2}3\. {2}\?\?\? +100\.0% +10 +0$/);
    assert.deepEqual(
      tableNotes([hop({ hop: 1, limited: 1 })], 10).map((n) => n.slice(0, 4)),
      ['Lim:'],
    );
    assert.deepEqual(tableNotes([hop({ hop: 1 })], 10), []);
  });

  test('a router sent fewer probes than the rounds gets the note on pacing; the destination never does', () => {
    const notes = tableNotes([hop({ hop: 1, sent: 7, received: 7 }), hop({ hop: 2, destination: true })], 10);
    assert.deepEqual(notes, ["Snt: a router is probed only as often as Linux's default ICMP rate limit lets it answer (6, then one a second)."]);
    assert.deepEqual(tableNotes([hop({ hop: 1, destination: true, sent: 3 })], 10), []);
  });

  test('times: three decimals, one from a second up', () => {
    assert.deepEqual([formatMs(0.0421), formatMs(12.3456), formatMs(1234.56), formatMs(null)], ['0.042', '12.346', '1234.6', '']);
  });
});
