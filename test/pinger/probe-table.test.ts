// The probe table: lookups by (target, sequence), expiry in send order, and the reuse of
// records that leave early (a sequence that comes round again, a deleted probe), which is
// what keeps a long flood's memory flat. A model (a plain list in send order) is the oracle.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ProbeState, ProbeTable } from '../../src/pinger/probe-table.js';

type Op =
  | { kind: 'add'; target: number; sequence: number; answer: boolean }
  | { kind: 'delete'; target: number; sequence: number }
  | { kind: 'expire'; advanceMs: number };

interface ModelProbe {
  target: number;
  sequence: number;
  sentNs: number;
  expiresAtMs: number;
  state: ProbeState;
}

test('the table agrees with a model list under any mix of adds, answers, deletes and expiries', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), target: fc.integer({ min: 0, max: 2 }), sequence: fc.integer({ min: 0, max: 5 }), answer: fc.boolean() }),
    fc.record({ kind: fc.constant('delete' as const), target: fc.integer({ min: 0, max: 2 }), sequence: fc.integer({ min: 0, max: 5 }) }),
    fc.record({ kind: fc.constant('expire' as const), advanceMs: fc.integer({ min: 0, max: 40 }) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 400 }), (ops: Op[]) => {
      const table = new ProbeTable();
      let model: ModelProbe[] = [];
      let nowMs = 0;
      let stamp = 0;
      for (const o of ops) {
        if (o.kind === 'add') {
          // As the session does: a sequence still awaiting its answer is never reused.
          if (table.isBusy(o.target, o.sequence)) continue;
          stamp++;
          table.add(o.target, o.sequence, stamp, nowMs + 100);
          model = model.filter((p) => p.target !== o.target || p.sequence !== o.sequence);
          const entry: ModelProbe = { target: o.target, sequence: o.sequence, sentNs: stamp, expiresAtMs: nowMs + 100, state: ProbeState.Outstanding };
          model.push(entry);
          if (o.answer) {
            (table.get(o.target, o.sequence) as { state: ProbeState }).state = ProbeState.Answered;
            entry.state = ProbeState.Answered;
          }
        } else if (o.kind === 'delete') {
          table.delete(o.target, o.sequence);
          model = model.filter((p) => p.target !== o.target || p.sequence !== o.sequence);
        } else {
          nowMs += o.advanceMs;
          const timedOut: number[] = [];
          table.expire(nowMs, (probe) => timedOut.push(probe.sentNs));
          const expected = model.filter((p) => p.expiresAtMs <= nowMs && p.state === ProbeState.Outstanding).map((p) => p.sentNs);
          assert.deepEqual(timedOut, expected, 'timeouts in send order, each once');
          model = model.filter((p) => p.expiresAtMs > nowMs);
        }
        for (let target = 0; target <= 2; target++) {
          for (let sequence = 0; sequence <= 5; sequence++) {
            const inModel = model.find((p) => p.target === target && p.sequence === sequence);
            const inTable = table.get(target, sequence);
            assert.equal(inTable?.sentNs, inModel?.sentNs, `probe ${target}/${sequence}`);
            assert.equal(inTable?.state, inModel?.state);
          }
        }
        assert.equal(table.nextExpiryMs(), model.length === 0 ? null : Math.min(...model.map((p) => p.expiresAtMs)));
      }
    }),
    { numRuns: 300 },
  );
});

test('a record that leaves early carries the next probe: no new object once warmed up', () => {
  const table = new ProbeTable();
  table.add(0, 1, 10, 1000);
  const first = table.get(0, 1);
  (first as { state: ProbeState }).state = ProbeState.Answered;
  // The sequence comes round again: the answered record leaves and its object is reused.
  table.add(0, 1, 20, 2000);
  assert.equal(table.get(0, 1), first);
  assert.equal(table.get(0, 1)?.sentNs, 20);
  table.delete(0, 1);
  assert.equal(table.get(0, 1), undefined);
  table.add(0, 2, 30, 3000);
  assert.equal(table.get(0, 2), first);
  assert.equal(table.nextExpiryMs(), 3000, 'the emptied entries are skipped');
});
