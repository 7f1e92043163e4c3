import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SequenceLedger } from '../../src/pinger/sequence-ledger.js';

describe('SequenceLedger', () => {
  test('a sequence held by one owner is not free for another until every hold is released', () => {
    const ledger = new SequenceLedger();
    assert.equal(ledger.isFreeFor(7, 1), true);
    ledger.claim(7, 1);
    ledger.claim(7, 1); // a second target of the same session
    assert.equal(ledger.ownerOf(7), 1);
    assert.equal(ledger.isFreeFor(7, 1), true, 'free for its own owner');
    assert.equal(ledger.isFreeFor(7, 2), false);
    ledger.release(7, 1);
    assert.equal(ledger.isFreeFor(7, 2), false, 'one hold left');
    ledger.release(7, 1);
    assert.equal(ledger.isFreeFor(7, 2), true);
    assert.equal(ledger.ownerOf(7), undefined);
    assert.equal(ledger.size, 0);
  });

  test('another owner cannot release what it does not hold', () => {
    const ledger = new SequenceLedger();
    ledger.claim(1, 1);
    ledger.release(1, 2);
    assert.equal(ledger.ownerOf(1), 1);
  });
});
