// Reply-clocked sends on real sockets, loopback only: a flood's probes after the one in flight
// wait in the addon, whose receive thread sends one per reply it reads while JavaScript counts
// the replies before. The counts must be exact, the thread must stop with its run (the socket
// reads as before), and a worker that ends mid-flood must end cleanly. Bounded: at most 20000
// probes per run, and every run has a deadline or a count.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { createPinger, openSockets, ping } from '../../src/index.js';
import { libraryBuildSkipReason, socketSkipReason } from '../helpers/skip-reasons.js';

const skip = socketSkipReason();

describe('reply-clocked sends on loopback', { skip: skip ?? false }, () => {
  test('a flood of 20000: every probe answered once, every reply counted', async () => {
    const s = await ping('127.0.0.1', { count: 20_000, interval: 0 });
    assert.equal(s.transmitted, 20_000);
    assert.equal(s.received, 20_000);
    assert.equal(s.duplicates, 0);
    assert.equal(s.late, 0);
    assert.ok(s.rtt !== null && s.rtt.min > 0 && s.rtt.max < 1000, JSON.stringify(s.rtt));
  });

  test('preload 4 and adaptive pacing are counted exactly too', async () => {
    const [preload, adaptive] = await Promise.all([
      ping('127.0.0.2', { count: 5000, interval: 0, preload: 4 }),
      ping('::1', { count: 5000, adaptive: true, interval: 1000 }),
    ]);
    for (const s of [preload, adaptive]) {
      assert.equal(s.received, 5000, JSON.stringify(s));
      assert.equal(s.duplicates, 0);
    }
  });

  test('a deadline ends the flood on time, every probe that left counted', async () => {
    const sockets = openSockets({ families: [4] });
    try {
      const s = await ping('127.0.0.1', { count: 1_000_000, interval: 0, deadline: 300, sockets });
      assert.equal(s.end, 'deadline');
      assert.ok(s.transmitted > 100, `${s.transmitted}`);
      assert.ok(s.transmitted - s.received <= 1, `${s.transmitted} sent, ${s.received} received`);
      assert.equal(sockets.kernelDrops(), 0);
    } finally {
      sockets.close();
    }
  });

  test('stop() mid-flood, then the same socket pings on as before', async () => {
    const sockets = openSockets({ families: [4] });
    try {
      const flood = createPinger('127.0.0.1', { interval: 0, sockets });
      await new Promise((resolve) => setTimeout(resolve, 100));
      flood.stop();
      const s = await flood.done;
      assert.equal(s.end, 'stopped');
      assert.ok(s.received > 100 && s.transmitted - s.received <= 1, `${s.transmitted} sent, ${s.received} received`);
      const after = await ping('127.0.0.1', { count: 3, interval: 10, sockets });
      assert.equal(after.received, 3);
    } finally {
      sockets.close();
    }
  });

  test('two floods at once on one socket: each counts exactly its own', async () => {
    const sockets = openSockets({ families: [4] });
    try {
      const first = ping('127.0.0.1', { count: 10_000, interval: 0, sockets });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = ping('127.0.0.3', { count: 5000, interval: 0, sockets });
      const [a, b] = await Promise.all([first, second]);
      assert.deepEqual([a.received, a.duplicates, b.received, b.duplicates], [10_000, 0, 5000, 0]);
    } finally {
      sockets.close();
    }
  });

  test('a worker terminated mid-flood ends cleanly', { skip: libraryBuildSkipReason() ?? false }, async () => {
    const url = new URL('../../dist/index.js', import.meta.url).href;
    const code = `
      const { parentPort } = require('node:worker_threads');
      import(${JSON.stringify(url)}).then(({ createPinger }) => {
        const p = createPinger('127.0.0.1', { interval: 0 });
        p.on('reply', () => {});
        setTimeout(() => parentPort.postMessage('flooding'), 50);
      });`;
    for (let i = 0; i < 3; i++) {
      const worker = new Worker(code, { eval: true });
      await new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      });
      const exit = await worker.terminate();
      assert.equal(exit, 1, 'terminated');
    }
  });
});
