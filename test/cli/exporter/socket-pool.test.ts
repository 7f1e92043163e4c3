// rawping_receive_drops_total comes from SocketPool.kernelDrops(): the kernel's drop counter of
// the pool's own sockets (SocketSet.kernelDrops()), how far it rose since they were opened.
// Over the fake network, whose sockets report the counter as the kernel would.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SocketPool } from '../../../src/cli/exporter/socket-pool.js';
import { Harness } from '../../helpers/pinger-harness.js';

describe('SocketPool.kernelDrops', () => {
  test("the rise of the sockets' own counters since they were opened, both families summed", () => {
    const h = new Harness();
    const socketsBefore = h.network.sockets.length;
    const sockets = h.sockets({ mode: 'auto' }, [4, 6]);
    const [v4, v6] = h.network.sockets.slice(socketsBefore) as { drops: number }[];
    assert.ok(v4 !== undefined && v6 !== undefined);
    const pool = new SocketPool(sockets, 'auto');
    assert.equal(pool.kernelDrops(), 0);
    v4.drops = 3;
    assert.equal(pool.kernelDrops(), 3);
    v6.drops = 4;
    assert.equal(pool.kernelDrops(), 7, 'both families');
    // The kernel's counter only rises; a lower reading (read out of order) takes nothing back.
    v4.drops = 2;
    assert.equal(pool.kernelDrops(), 7);
    pool.close();
  });

  test('a counter that was not 0 when the socket was opened counts from there', () => {
    const h = new Harness();
    const sockets = h.sockets({ mode: 'auto' }, [4]);
    const socket = h.network.sockets[h.network.sockets.length - 1] as { drops: number };
    const pool = new SocketPool(sockets, 'auto');
    socket.drops = 10;
    assert.equal(pool.kernelDrops(), 10);
    pool.close();
  });
});
