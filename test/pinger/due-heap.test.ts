// The scheduler's one queue: a min-heap by (dueMs, order), checked against a sorted array under
// random pushes, pops, removals and due-time changes, so no interleaving can put an item out of
// place or leave a stale heapIndex behind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DueHeap, type DueItem } from '../../src/pinger/due-heap.js';

interface Item extends DueItem {
  name: string;
}

function item(name: string, dueMs: number, order: number): Item {
  return { name, dueMs, order, heapIndex: -1 };
}

function drain(heap: DueHeap<Item>): string[] {
  const out: string[] = [];
  for (let top = heap.pop(); top !== undefined; top = heap.pop()) out.push(top.name);
  return out;
}

test('pops in due order; equal due times in their order, whatever order they came in', () => {
  const heap = new DueHeap<Item>();
  for (const i of [item('c', 30, 1), item('b2', 20, 3), item('a', 10, 9), item('b1', 20, 2), item('d', 40, 0)]) heap.push(i);
  assert.equal(heap.size, 5);
  assert.equal(heap.peek()?.name, 'a');
  assert.deepEqual(drain(heap), ['a', 'b1', 'b2', 'c', 'd']);
  assert.equal(heap.size, 0);
  assert.equal(heap.peek(), undefined);
  assert.equal(heap.pop(), undefined);
});

test('heapIndex is -1 once an item is out: popped or removed', () => {
  const heap = new DueHeap<Item>();
  const a = item('a', 1, 0);
  const b = item('b', 2, 1);
  heap.push(a);
  heap.push(b);
  assert.ok(a.heapIndex >= 0 && b.heapIndex >= 0);
  heap.pop();
  assert.equal(a.heapIndex, -1);
  heap.remove(b);
  assert.equal(b.heapIndex, -1);
  assert.equal(heap.size, 0);
});

test('remove() of an item that is not in this heap changes nothing', () => {
  const heap = new DueHeap<Item>();
  const other = new DueHeap<Item>();
  const mine = item('mine', 5, 0);
  const theirs = item('theirs', 1, 1);
  heap.push(mine);
  heap.push(item('mine too', 6, 4));
  other.push(theirs);
  other.push(item('x', 0, 2)); // theirs moves to index 1, a slot `heap` has too
  assert.equal(theirs.heapIndex, 1);
  heap.remove(theirs);
  heap.remove(item('never', 0, 3));
  assert.equal(heap.size, 2);
  assert.equal(heap.peek(), mine);
  assert.equal(other.size, 2);
});

test('update() moves an item up or down after its due time changed, and inserts one that is absent', () => {
  const heap = new DueHeap<Item>();
  const a = item('a', 10, 0);
  const b = item('b', 20, 1);
  const c = item('c', 30, 2);
  for (const i of [a, b, c]) heap.push(i);
  c.dueMs = 5;
  heap.update(c);
  assert.equal(heap.peek(), c);
  c.dueMs = 50;
  heap.update(c);
  const d = item('d', 15, 3);
  heap.update(d);
  assert.deepEqual(drain(heap), ['a', 'd', 'b', 'c']);
});

type Op = { op: 'push'; dueMs: number } | { op: 'pop' } | { op: 'remove'; pick: number } | { op: 'update'; pick: number; dueMs: number };

test('property: any sequence of operations pops what a sorted array says', () => {
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ op: fc.constant('push' as const), dueMs: fc.integer({ min: 0, max: 50 }) }),
    fc.record({ op: fc.constant('pop' as const) }),
    fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }),
    fc.record({ op: fc.constant('update' as const), pick: fc.nat(), dueMs: fc.integer({ min: 0, max: 50 }) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      const heap = new DueHeap<Item>();
      let model: Item[] = [];
      const all: Item[] = [];
      const byDue = (x: Item, y: Item): number => x.dueMs - y.dueMs || x.order - y.order;
      for (const o of ops) {
        if (o.op === 'push') {
          const i = item(`i${all.length}`, o.dueMs, all.length);
          all.push(i);
          heap.push(i);
          model.push(i);
        } else if (o.op === 'pop') {
          const expected = [...model].sort(byDue)[0];
          assert.equal(heap.pop(), expected);
          model = model.filter((m) => m !== expected);
        } else if (all.length > 0) {
          // Any item ever made: removing or updating one that already left is part of the test.
          const target = all[o.pick % all.length] as Item;
          if (o.op === 'remove') {
            heap.remove(target);
            model = model.filter((m) => m !== target);
          } else {
            target.dueMs = o.dueMs;
            heap.update(target);
            if (!model.includes(target)) model.push(target);
          }
        }
        assert.equal(heap.size, model.length);
        assert.equal(heap.peek(), [...model].sort(byDue)[0]);
        for (const i of all) assert.equal(i.heapIndex >= 0, model.includes(i), `${i.name}: heapIndex ${i.heapIndex}`);
      }
      assert.deepEqual(
        drain(heap),
        [...model].sort(byDue).map((m) => m.name),
      );
    }),
    { numRuns: 300 },
  );
});
