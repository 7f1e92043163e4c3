// The session's one timer on a virtual clock: one pending timer whatever is asked of it, an
// earlier wake-up replaces a later one, a later one leaves the earlier in place.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WakeTimer } from '../../src/pinger/wake-timer.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

function timerOn(clock: VirtualClock): { timer: WakeTimer; wakes: number[] } {
  const wakes: number[] = [];
  const timer = new WakeTimer(clock, () => wakes.push(clock.now()));
  return { timer, wakes };
}

describe('WakeTimer', () => {
  test('wakes at the time asked, once', () => {
    const clock = new VirtualClock();
    const { timer, wakes } = timerOn(clock);
    timer.arm(30);
    clock.advance(100);
    assert.deepEqual(wakes, [30]);
  });

  test('a later wake-up keeps the earlier timer and sets no other; an earlier one replaces it', () => {
    const clock = new VirtualClock();
    const { timer, wakes } = timerOn(clock);
    timer.arm(50);
    const set = clock.timersSet;
    timer.arm(80);
    assert.equal(clock.timersSet, set, 'no timer call for a later time');
    timer.arm(20);
    assert.equal(clock.pending, 1);
    clock.advance(100);
    assert.deepEqual(wakes, [20], 'the loop re-arms itself at its wake-up; the later times are its business');
  });

  test('a time now or past wakes as soon as the event loop allows, with one immediate however often asked', () => {
    const clock = new VirtualClock();
    const { timer, wakes } = timerOn(clock);
    clock.advance(10);
    timer.arm(10);
    timer.arm(5);
    timer.arm(0);
    assert.equal(clock.pending, 1);
    clock.advance(0);
    assert.deepEqual(wakes, [10]);
  });

  test('Infinity asks for nothing', () => {
    const clock = new VirtualClock();
    const { timer } = timerOn(clock);
    timer.arm(Infinity);
    assert.equal(clock.pending, 0);
  });

  test('after a wake-up the timer can be armed again; cancel() leaves nothing pending', () => {
    const clock = new VirtualClock();
    const { timer, wakes } = timerOn(clock);
    timer.arm(10);
    clock.advance(10);
    timer.arm(40);
    clock.advance(40);
    assert.deepEqual(wakes, [10, 40]);
    timer.arm(100);
    clock.advance(0);
    timer.arm(50);
    timer.cancel();
    assert.equal(clock.pending, 0);
    clock.advance(1000);
    assert.deepEqual(wakes, [10, 40]);
    timer.arm(1100);
    clock.advance(200);
    assert.deepEqual(wakes, [10, 40, 1100], 'a cancelled timer does not hold back a later arm');
  });
});
