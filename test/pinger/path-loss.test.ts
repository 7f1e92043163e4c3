// The loss rule of a trace: a hop's loss is the least share of silence of it and every hop
// after it; the rest of its silence is its own (rate limit, filter).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pathLoss } from '../../src/pinger/path-loss.js';

const hops = (...silent: number[]): { sent: number; silent: number }[] => silent.map((s) => ({ sent: 10, silent: s }));

describe('pathLoss', () => {
  test('routers silent while the destination answers every probe: no loss anywhere', () => {
    assert.deepEqual(pathLoss(hops(3, 10, 3, 0)), [0, 0, 0, 0]);
  });

  test('loss that carries on to the end is loss from where it starts', () => {
    assert.deepEqual(pathLoss(hops(0, 3, 3, 3)), [0, 3, 3, 3]);
  });

  test('a hop silent more often than those after it keeps only their share as loss', () => {
    assert.deepEqual(pathLoss(hops(0, 7, 2, 4)), [0, 2, 2, 4]);
  });

  test("the last hop's silence is all loss: nothing after it says otherwise", () => {
    assert.deepEqual(pathLoss(hops(0, 0, 10)), [0, 0, 10]);
    assert.deepEqual(pathLoss(hops(5)), [5]);
  });

  test('hops with different counts compare shares, not counts; a hop with nothing settled counts nothing', () => {
    assert.deepEqual(
      pathLoss([
        { sent: 4, silent: 2 },
        { sent: 0, silent: 0 },
        { sent: 8, silent: 2 },
      ]),
      [1, 0, 2],
    );
  });

  test('never more lost than silent, never negative', () => {
    for (let i = 0; i < 200; i++) {
      const list = Array.from({ length: 1 + (i % 7) }, (_, j) => {
        const sent = (i * 7 + j * 3) % 13;
        return { sent, silent: sent === 0 ? 0 : (i + j * 5) % (sent + 1) };
      });
      const lost = pathLoss(list);
      lost.forEach((l, j) => assert.ok(l >= 0 && l <= (list[j] as { silent: number }).silent, JSON.stringify({ list, lost })));
    }
  });
});
