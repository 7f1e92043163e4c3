import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SendPacer } from '../../src/pinger/send-pacer.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const limits = (over: Partial<ConstructorParameters<typeof SendPacer>[1]> = {}): ConstructorParameters<typeof SendPacer>[1] => ({
  maxInFlight: Infinity,
  maxInFlightBytes: Infinity,
  maxBurst: Infinity,
  ...over,
});

describe('SendPacer', () => {
  test('room is the smallest of the count, the bytes and the burst left', () => {
    const pacer = new SendPacer(new VirtualClock(), limits({ maxInFlight: 10, maxInFlightBytes: 5000, maxBurst: 8 }));
    assert.equal(pacer.available(1000), 5, 'bytes: 5000 / 1000');
    assert.equal(pacer.available(100), 8, 'the burst');
    pacer.sent(3, 1000);
    assert.equal(pacer.available(1000), 2);
    assert.equal(pacer.available(100), 5, 'burst 8 - 3');
    assert.equal(pacer.inFlight, 3);
    pacer.settled(3, 1000);
    assert.equal(pacer.available(100), 8);
  });

  test("probes handed to a socket's thread are in flight from the hand-over, bounded by maxHandedOver; at their report those not sent leave", () => {
    const clock = new VirtualClock();
    const pacer = new SendPacer(clock, limits({ maxInFlight: 1000, maxHandedOver: 128 }));
    pacer.handedOver(100, 100);
    assert.equal(pacer.inFlight, 100);
    assert.equal(pacer.available(100), 28, 'the hand-over bound, before the count');
    let woken = 0;
    pacer.handedOver(28, 100);
    pacer.wait(() => woken++, 100);
    // 100 reported, 90 counted as sent: those stay in flight, 10 leave; the bound has room again.
    pacer.reported(100, 90, 100);
    assert.equal(pacer.inFlight, 118);
    assert.equal(pacer.available(100), 100);
    clock.advance(0);
    assert.equal(woken, 1, 'a session waiting for room is woken by the report');
    pacer.settled(90, 100);
    pacer.reported(28, 0, 100);
    assert.equal(pacer.inFlight, 0);
  });

  test('a reply larger than the whole byte budget still goes, alone', () => {
    const pacer = new SendPacer(new VirtualClock(), limits({ maxInFlightBytes: 1000 }));
    assert.equal(pacer.available(70_000), 1);
    pacer.sent(1, 70_000);
    assert.equal(pacer.available(70_000), 0);
  });

  test('waiters are woken on a later turn, in the order they came, while there is room', () => {
    const clock = new VirtualClock();
    const pacer = new SendPacer(clock, limits({ maxInFlight: 2 }));
    pacer.sent(2, 100);
    const woken: string[] = [];
    const waiter = (name: string) => (): void => {
      woken.push(name);
      pacer.sent(1, 100);
    };
    const a = waiter('a');
    const b = waiter('b');
    const c = waiter('c');
    pacer.wait(a, 100);
    pacer.wait(b, 100);
    pacer.wait(c, 100);
    clock.advance(0);
    assert.deepEqual(woken, [], 'no room: nobody is woken, and no turn is spent on it');
    assert.equal(clock.pending, 0, 'no timer spins while there is no room');
    pacer.settled(1, 100);
    assert.deepEqual(woken, [], 'never inside the call that freed the room');
    clock.advance(0);
    assert.deepEqual(woken, ['a']);
    pacer.settled(2, 100);
    clock.advance(0);
    assert.deepEqual(woken, ['a', 'b', 'c']);
  });

  test('a burst waits for the next turn, which starts it over', () => {
    const clock = new VirtualClock();
    const pacer = new SendPacer(clock, limits({ maxBurst: 4 }));
    pacer.sent(4, 100);
    assert.equal(pacer.available(100), 0);
    let woken = 0;
    pacer.wait(() => woken++, 100);
    assert.equal(woken, 0);
    clock.advance(0);
    assert.equal(woken, 1);
    assert.equal(pacer.available(100), 4, 'a new turn: a new burst, the probes still in flight');
    assert.equal(pacer.inFlight, 4);
  });

  test('a waiter that leaves the line is not called', () => {
    const clock = new VirtualClock();
    const pacer = new SendPacer(clock, limits({ maxBurst: 1 }));
    pacer.sent(1, 100);
    let woken = 0;
    const w = (): void => {
      woken++;
    };
    pacer.wait(w, 100);
    pacer.cancel(w);
    clock.advance(0);
    assert.equal(woken, 0);
  });

  test('setInFlightBytes tightens the bound at once', () => {
    const pacer = new SendPacer(new VirtualClock(), limits());
    pacer.sent(10, 1000);
    pacer.setInFlightBytes(12_000);
    assert.equal(pacer.available(1000), 2);
  });
});
