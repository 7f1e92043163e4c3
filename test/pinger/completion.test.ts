// When a target stops sending and when it is done, without a clock: ping's rules for -c, -w,
// fping's for -r, and reachability checks, on counters given by hand.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type CompletionConfig, completeEnd, isComplete, type TargetProgress, wantsMoreProbes } from '../../src/pinger/completion.js';

function rules(overrides: Partial<CompletionConfig> = {}): CompletionConfig {
  return { count: 4, deadlineMs: null, retries: 0, stopOnReply: false, ...overrides };
}

function progress(overrides: Partial<TargetProgress> = {}): TargetProgress {
  return { transmitted: 0, received: 0, errors: 0, outstanding: 0, ...overrides };
}

describe('wantsMoreProbes', () => {
  test('count probes, then no more', () => {
    assert.equal(wantsMoreProbes(rules({ count: 4 }), progress({ transmitted: 3 })), true);
    assert.equal(wantsMoreProbes(rules({ count: 4 }), progress({ transmitted: 4 })), false);
    assert.equal(wantsMoreProbes(rules({ count: Infinity }), progress({ transmitted: 1e9 })), true);
  });

  test('with a deadline, count means replies (ping -c with -w): sending goes on past count', () => {
    const c = rules({ count: 2, deadlineMs: 10_000 });
    assert.equal(wantsMoreProbes(c, progress({ transmitted: 5, received: 1 })), true);
    assert.equal(wantsMoreProbes(c, progress({ transmitted: 5, received: 2 })), false);
    assert.equal(wantsMoreProbes(rules({ count: Infinity, deadlineMs: 1000 }), progress({ transmitted: 9, received: 9 })), true);
  });

  test('with retries, count is probes even with a deadline', () => {
    assert.equal(wantsMoreProbes(rules({ count: 3, retries: 2, deadlineMs: 10_000 }), progress({ transmitted: 3 })), false);
  });
});

describe('isComplete', () => {
  test('a reachability check is done at its first reply', () => {
    assert.equal(isComplete(rules({ stopOnReply: true, count: 3, retries: 2 }), progress({ transmitted: 1, received: 1, outstanding: 0 })), true);
    assert.equal(isComplete(rules({ stopOnReply: true, count: 3, retries: 2 }), progress({ transmitted: 1, outstanding: 1 })), false);
  });

  test('as ping: enough probes answered or errored end a target, even with others still out', () => {
    assert.equal(isComplete(rules({ count: 3 }), progress({ transmitted: 3, received: 2, errors: 1, outstanding: 0 })), true);
    assert.equal(isComplete(rules({ count: 3 }), progress({ transmitted: 3, received: 2, outstanding: 1 })), false);
  });

  test('every probe out and settled (timeouts) ends it', () => {
    assert.equal(isComplete(rules({ count: 3 }), progress({ transmitted: 3, received: 1, outstanding: 0 })), true);
    assert.equal(isComplete(rules({ count: 3 }), progress({ transmitted: 2, received: 0, outstanding: 0 })), false);
  });

  test('with a deadline any error ends it, and timeouts alone do not', () => {
    const c = rules({ count: 5, deadlineMs: 10_000 });
    assert.equal(isComplete(c, progress({ transmitted: 1, errors: 1 })), true);
    assert.equal(isComplete(c, progress({ transmitted: 9, received: 0, outstanding: 0 })), false);
  });

  test('with retries, a silent target is done when its last retry is settled, not at its first error', () => {
    const c = rules({ count: 3, retries: 2 });
    assert.equal(isComplete(c, progress({ transmitted: 1, errors: 1 })), false);
    assert.equal(isComplete(c, progress({ transmitted: 3, errors: 1, outstanding: 0 })), true);
  });
});

describe('completeEnd', () => {
  test('a reachability check that got its reply is reachable; anything else ended by its count', () => {
    assert.equal(completeEnd(rules({ stopOnReply: true }), progress({ received: 1 })), 'reachable');
    assert.equal(completeEnd(rules({ stopOnReply: true }), progress({ received: 0 })), 'count');
    assert.equal(completeEnd(rules(), progress({ received: 4 })), 'count');
  });
});
