import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HopRecord } from '../../src/pinger/hop-record.js';

describe('HopRecord', () => {
  test('counts answers and silences, addresses in the order they first answered, RTTs in ms', () => {
    const r = new HopRecord(2);
    r.answered({ from: '10.0.0.1', rttNs: 2e6, status: 'time-exceeded' });
    r.timedOut();
    r.answered({ from: '10.0.0.9', rttNs: 4e6, status: 'time-exceeded' });
    r.answered({ from: '10.0.0.1', rttNs: 3e6, status: 'time-exceeded' });
    const v = r.view(1);
    assert.deepEqual(v.addresses, [
      { address: '10.0.0.1', replies: 2 },
      { address: '10.0.0.9', replies: 1 },
    ]);
    assert.deepEqual([v.hop, v.sent, v.received, v.lost, v.limited, v.loss, v.lastMs], [2, 4, 3, 1, 0, 25, 3]);
    assert.deepEqual([v.rtt?.min, v.rtt?.avg, v.rtt?.max], [2, 3, 4]);
    assert.equal(v.rtt?.jitter, 1.5);
    assert.equal(r.lastAnswer, 'transit');
  });

  test('errors are grouped by type, code and MTU; the destination and the end of the path are noted', () => {
    const r = new HopRecord(5);
    const frag = { mark: '!F', reason: 'Frag needed and DF set (mtu = 1400)', icmpType: 3, icmpCode: 4, mtu: 1400 };
    r.answered({ from: '10.0.0.5', rttNs: 1e6, status: 'error', error: frag });
    r.answered({ from: '10.0.0.5', rttNs: 1e6, status: 'error', error: frag });
    assert.deepEqual(r.view(0).errors, [{ ...frag, count: 2 }]);
    assert.equal(r.lastAnswer, 'final');
    assert.equal(r.destination, false);
    r.answered({ from: '10.0.0.5', rttNs: 1e6, status: 'reply' });
    assert.equal(r.destination, true);
  });

  test('nothing settled: no loss, no RTT', () => {
    const v = new HopRecord(1).view(0);
    assert.deepEqual([v.sent, v.loss, v.rtt, v.lastMs], [0, 0, null, null]);
  });
});
