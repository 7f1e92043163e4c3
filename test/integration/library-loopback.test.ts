// The library on real sockets, against the loopback interface only.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { createPinger, isReachable, OptionError, ping, pingMany, ResolveError } from '../../src/index.js';
import type { PingEvent } from '../../src/index.js';
import { socketSkipReason } from '../helpers/skip-reasons.js';

const skip = socketSkipReason();

describe('library on loopback', { skip: skip ?? false }, () => {
  test('isReachable is true for 127.0.0.1 and ::1', async () => {
    assert.equal(await isReachable('127.0.0.1'), true);
    assert.equal(await isReachable('::1'), true);
  });

  test('ping ::1 with count 3 reports 3 of 3 with RTTs in milliseconds', async () => {
    const s = await ping('::1', { count: 3, interval: 50 });
    assert.equal(s.transmitted, 3);
    assert.equal(s.received, 3);
    assert.equal(s.loss, 0);
    assert.equal(s.family, 6);
    assert.ok(s.rtt !== null);
    assert.ok(s.rtt.min > 0 && s.rtt.min <= s.rtt.avg && s.rtt.avg <= s.rtt.max, JSON.stringify(s.rtt));
    assert.ok(s.rtt.max < 100, 'loopback RTTs are well under 100 ms');
  });

  test('pingMany gives one summary per target in input order, names included', async () => {
    const summaries = await pingMany(['127.0.0.3', 'localhost', '::1', '127.0.0.2'], { count: 2, interval: 20 });
    assert.deepEqual(
      summaries.map((s) => [s.target, s.received]),
      [
        ['127.0.0.3', 2],
        ['localhost', 2],
        ['::1', 2],
        ['127.0.0.2', 2],
      ],
    );
  });

  test('createPinger is an async iterable of its events, ending after the summary', async () => {
    const seen: PingEvent['type'][] = [];
    for await (const event of createPinger('127.0.0.1', { count: 2, interval: 20 })) seen.push(event.type);
    assert.deepEqual(seen, ['sent', 'reply', 'sent', 'reply', 'summary']);
  });

  test("two pingers at once on the shared socket never count each other's replies", async () => {
    const [a, b] = await Promise.all([ping('127.0.0.1', { count: 5, interval: 10 }), ping('127.0.0.1', { count: 7, interval: 10 })]);
    assert.equal(a.received, 5);
    assert.equal(b.received, 7);
    assert.equal(a.duplicates + b.duplicates, 0);
  });

  test('stop() ends a pinger and resolves done with the figures so far', async () => {
    const pinger = createPinger('127.0.0.1', { interval: 20 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    pinger.stop();
    const summary = await pinger.done;
    assert.equal(summary.end, 'stopped');
    assert.ok(summary.transmitted >= 2, `sent ${summary.transmitted}`);
  });

  test('an aborted ping rejects with AbortError', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(ping('127.0.0.1', { count: 100, interval: 20, signal: controller.signal }), { name: 'AbortError' });
  });

  test('bad arguments reject with OptionError naming the option; an unknown name with ResolveError', async () => {
    await assert.rejects(ping('127.0.0.1', { count: 0 }), (e: unknown) => e instanceof OptionError && e.option === 'count');
    await assert.rejects(ping('127.0.0.1', { size: 65508 }), (e: unknown) => e instanceof OptionError && /65507/.test(e.message));
    await assert.rejects(isReachable('localhost;id'), ResolveError);
  });

  test('works inside a worker thread (the addon is context-aware)', async () => {
    const source = `
      const { parentPort } = require('node:worker_threads');
      import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)})
        .then(async ({ isReachable, ping }) => {
          const up = await isReachable('127.0.0.1');
          const s = await ping('::1', { count: 2, interval: 10 });
          parentPort.postMessage({ up, received: s.received });
        })
        .catch((e) => parentPort.postMessage({ error: String(e) }));
    `;
    const worker = new Worker(source, { eval: true });
    const message = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    assert.deepEqual(message, { up: true, received: 2 });
  });
});
