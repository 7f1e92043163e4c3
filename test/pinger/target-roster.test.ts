// The roster: targets created in list order when first due, found by address, and let go when
// finished only when the session does not retain them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProbeTable } from '../../src/pinger/probe-table.js';
import { TargetRoster } from '../../src/pinger/target-roster.js';
import type { ResolvedTarget } from '../../src/pinger/resolved-target.js';

function resolved(address: string, anySource = false): ResolvedTarget {
  return { target: address, address, family: address.includes(':') ? 6 : 4, scopeId: 0, ...(anySource ? { anySource } : {}) };
}

describe('TargetRoster', () => {
  test('creates targets one by one in list order, each due at the time given', () => {
    const roster = new TargetRoster([resolved('192.0.2.1'), resolved('2001:db8::1')], true);
    assert.deepEqual([...roster.families].sort(), [4, 6]);
    assert.equal(roster.size, 2);
    assert.equal(roster.find(4, '192.0.2.1'), undefined, 'nothing exists before it is due');
    const first = roster.createNext(5);
    assert.equal(first.index, 0);
    assert.equal(first.dueMs, 5);
    assert.equal(roster.nextIndex, 1);
    assert.equal(roster.find(4, '192.0.2.1'), first);
    assert.equal(roster.find(6, '192.0.2.1'), undefined, 'per family');
    assert.equal(roster.hasPending, true);
    const all = roster.all(7);
    assert.equal(roster.hasPending, false);
    assert.deepEqual(
      all.map((t) => [t.address, t.dueMs]),
      [
        ['192.0.2.1', 5],
        ['2001:db8::1', 7],
      ],
    );
  });

  test('retained targets stay; otherwise a released target is gone from lookups and from all()', () => {
    const kept = new TargetRoster([resolved('192.0.2.1')], true);
    const t = kept.createNext(0);
    assert.equal(kept.release(t), false);
    assert.equal(kept.find(4, '192.0.2.1'), t);

    const sweep = new TargetRoster([resolved('192.0.2.1'), resolved('192.0.2.2')], false);
    const a = sweep.createNext(0);
    assert.equal(sweep.release(a), true);
    assert.equal(sweep.find(4, '192.0.2.1'), undefined);
    assert.equal(sweep.at(0), undefined);
    assert.deepEqual(
      sweep.all(0).map((x) => x.address),
      ['192.0.2.2'],
    );
  });

  test('a broadcast target is found for a reply from another address only with that probe out', () => {
    const roster = new TargetRoster([resolved('192.0.2.1'), resolved('192.0.2.255', true)], true);
    const [, broadcast] = roster.all(0);
    const probes = new ProbeTable();
    assert.equal(roster.anySourceFor(4, 7, probes), undefined);
    probes.add(broadcast!.index, 7, 0, 1000);
    assert.equal(roster.anySourceFor(4, 7, probes), broadcast);
    assert.equal(roster.anySourceFor(4, 8, probes), undefined, 'another sequence');
    assert.equal(roster.anySourceFor(6, 7, probes), undefined, 'another family');
    probes.add(0, 9, 0, 1000);
    assert.equal(roster.anySourceFor(4, 9, probes), undefined, 'a unicast target answers only from its own address');
  });
});
