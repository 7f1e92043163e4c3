// InputOrder: results in any order come out in index order, holding only those that ran ahead.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { InputOrder } from '../../src/api/input-order.js';

test('results are released in index order, each once, holding only those whose predecessors are missing', () => {
  const out: [string, number][] = [];
  const order = new InputOrder<string>((item, index) => out.push([item, index]));
  order.put(2, 'c');
  order.put(1, 'b');
  assert.deepEqual(out, []);
  assert.equal(order.held, 2);
  order.put(0, 'a');
  assert.deepEqual(out, [
    ['a', 0],
    ['b', 1],
    ['c', 2],
  ]);
  assert.equal(order.held, 0);
  assert.equal(order.next, 3);
  order.put(3, 'd');
  assert.equal(out.length, 4, 'an in-order result passes at once');
});

test('property: any permutation comes out sorted, and what is held never exceeds how far completion ran ahead', () => {
  fc.assert(
    fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 200 }), (keys) => {
      const permutation = keys
        .map((k, i) => [k, i] as const)
        .sort((a, b) => a[0] - b[0] || a[1] - b[1])
        .map(([, i]) => i);
      const out: number[] = [];
      const order = new InputOrder<number>((item) => out.push(item));
      let highest = -1;
      for (const i of permutation) {
        order.put(i, i);
        highest = Math.max(highest, i);
        assert.ok(order.held <= highest - order.next + 1);
      }
      assert.deepEqual(
        out,
        [...permutation].sort((a, b) => a - b),
      );
    }),
  );
});
