// The CLI's signals over a fake process (an EventEmitter): SIGINT and SIGTERM end the run (once
// asked, at once when one already came), SIGQUIT asks for the status line, and what they do
// can change as the run moves from resolving to pinging.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { SignalHub } from '../../src/cli/signal-hub.js';

function setup(): { hub: SignalHub; process: EventEmitter } {
  const fake = new EventEmitter();
  // SignalHub only listens for signals on it: an EventEmitter is that much of a process.
  return { hub: new SignalHub(fake as unknown as NodeJS.Process), process: fake };
}

test('one listener for each of SIGINT, SIGTERM and SIGQUIT, and nothing else', () => {
  const { process } = setup();
  assert.deepEqual(process.eventNames().sort(), ['SIGINT', 'SIGQUIT', 'SIGTERM']);
  for (const name of ['SIGINT', 'SIGTERM', 'SIGQUIT']) assert.equal(process.listenerCount(name), 1, name);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} runs the interrupt handler and marks the run interrupted`, () => {
    const { hub, process } = setup();
    let interrupts = 0;
    hub.onInterrupt(() => interrupts++);
    assert.equal(hub.interrupted, false);
    process.emit(signal);
    assert.equal(hub.interrupted, true);
    assert.equal(interrupts, 1);
    process.emit(signal);
    assert.equal(interrupts, 2, 'each signal runs it (the handler decides what a second one means)');
  });
}

test('a signal before any handler is remembered: the handler set later runs at once', () => {
  const { hub, process } = setup();
  assert.doesNotThrow(() => process.emit('SIGINT'));
  assert.equal(hub.interrupted, true);
  let ran = false;
  hub.onInterrupt(() => (ran = true));
  assert.equal(ran, true);
});

test('a new interrupt handler replaces the old one (resolving, then pinging)', () => {
  const { hub, process } = setup();
  const calls: string[] = [];
  hub.onInterrupt(() => calls.push('resolving'));
  hub.onInterrupt(() => calls.push('pinging'));
  process.emit('SIGTERM');
  assert.deepEqual(calls, ['pinging']);
});

test('SIGQUIT runs the status handler and does not interrupt', () => {
  const { hub, process } = setup();
  let statuses = 0;
  let interrupts = 0;
  hub.onInterrupt(() => interrupts++);
  assert.doesNotThrow(() => process.emit('SIGQUIT'), 'before any status handler: nothing happens');
  hub.onStatus(() => statuses++);
  process.emit('SIGQUIT');
  process.emit('SIGQUIT');
  assert.equal(statuses, 2);
  assert.equal(interrupts, 0);
  assert.equal(hub.interrupted, false);
});

test('clear() drops both handlers; signals after it still mark the run interrupted', () => {
  const { hub, process } = setup();
  const calls: string[] = [];
  hub.onInterrupt(() => calls.push('interrupt'));
  hub.onStatus(() => calls.push('status'));
  hub.clear();
  process.emit('SIGQUIT');
  process.emit('SIGINT');
  assert.deepEqual(calls, []);
  assert.equal(hub.interrupted, true);
});
