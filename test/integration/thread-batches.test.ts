// Batches sent by the socket's receive thread (sendBatchOnThread), on a real raw socket over
// loopback: what makes a sweep exact when another thread sends its probes is that each batch's
// report reaches JavaScript before any reply to it, and the reports come in the order given.
// The CLI's sweeps over this path (live, and failing sends mixed in) are in cli-many.test.ts.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { IcmpSocket } from '../../src/os/icmp-socket.js';
import type { BatchSendResult, ReceivedPacket } from '../../src/os/socket-like.js';
import { decodeReceived } from '../../src/packet/decode-received.js';
import { EchoRequestTemplate } from '../../src/packet/echo-request.js';
import { netRawSkipReason } from '../helpers/skip-reasons.js';

const skip = netRawSkipReason('a raw ICMP socket');

// The addon's receive threads of this process, by the name the addon gives them.
function receiveThreads(): number {
  return readdirSync('/proc/self/task').filter((tid) => readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() === 'rawping-recv').length;
}

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
}

describe("the receive thread's batches", { skip: skip ?? false }, () => {
  test('every report comes in the order given and before any reply to its batch; the thread stops once idle', async () => {
    const identifier = 0x4000 + (process.pid & 0x3fff);
    const socket = new IcmpSocket({ family: 4, kind: 'raw', identifier });
    // What came, in order: 'r<batch>' for a report, the sequence of each reply.
    const seen: (string | number)[] = [];
    const results: BatchSendResult[] = [];
    const recvNs = new Map<number, number>();
    socket.listen(
      (packets: ReceivedPacket[]) => {
        for (const p of packets) {
          if (p.batchReport !== undefined) {
            p.batchReport.done(p.batchReport.result);
            continue;
          }
          const d = decodeReceived(p.bytes, 4, true, p.truncated);
          if (d.kind !== 'icmp' || d.message.kind !== 'echo-reply' || d.message.identifier !== identifier) continue;
          seen.push(d.message.sequence);
          recvNs.set(d.message.sequence, p.recvNs);
        }
      },
      (error) => assert.fail(error),
    );
    try {
      assert.equal(receiveThreads(), 0);
      const template = new EchoRequestTemplate({ family: 4, identifier, size: 56, cookie: Uint8Array.from([9, 8, 7, 6, 5, 4, 3, 2]) });
      const length = template.bytes.length;
      // Four batches (64, 64, 64, 8): sequence i goes to 127.0.2.(i + 1).
      const sizes = [64, 64, 64, 8];
      let next = 0;
      sizes.forEach((size, b) => {
        const packets = new Uint8Array(size * length);
        const addresses: string[] = [];
        for (let i = 0; i < size; i++, next++) {
          template.withSequence(next);
          packets.set(template.bytes, i * length);
          addresses.push(`127.0.2.${next + 1}`);
        }
        const taken = socket.sendBatchOnThread(packets, length, addresses, new Array<number>(size).fill(0), (result) => {
          seen.push(`r${b}`);
          results.push(result);
        });
        assert.equal(taken, true, `batch ${b} taken`);
      });
      assert.equal(receiveThreads(), 1, 'the receive thread runs');
      await until(() => recvNs.size === next, 5000);
      assert.equal(recvNs.size, next, 'every probe answered');
      assert.deepEqual(
        seen.filter((x) => typeof x === 'string'),
        ['r0', 'r1', 'r2', 'r3'],
      );
      let from = 0;
      sizes.forEach((size, b) => {
        const reportAt = seen.indexOf(`r${b}`);
        const result = results[b] as BatchSendResult;
        assert.equal(result.sent, size);
        assert.equal(result.error, undefined);
        for (let seq = from; seq < from + size; seq++) {
          assert.ok(seen.indexOf(seq) > reportAt, `the reply to ${seq} after the report of batch ${b}`);
          assert.ok(result.stampNs > 0 && result.stampNs <= (recvNs.get(seq) as number), `stamp before the reply to ${seq}`);
        }
        from += size;
      });
      await until(() => receiveThreads() === 0, 2000);
      assert.equal(receiveThreads(), 0, 'the thread stopped once it had no batch to send');
    } finally {
      socket.close();
    }
  });

  test("not from inside a delivery of the loop thread's own reads: the batch is refused, and taken once that returned", async () => {
    const identifier = 0x6000 + (process.pid & 0xfff);
    const socket = new IcmpSocket({ family: 4, kind: 'raw', identifier });
    const template = new EchoRequestTemplate({ family: 4, identifier, size: 56, cookie: new Uint8Array(8) });
    const length = template.bytes.length;
    const packets = new Uint8Array(64 * length);
    for (let i = 0; i < 64; i++) packets.set(template.withSequence(100 + i), i * length);
    const addresses = Array.from({ length: 64 }, (_, i) => `127.0.4.${i + 1}`);
    const scopes = new Array<number>(64).fill(0);
    let inside: boolean | undefined;
    let reports = 0;
    socket.listen(
      (received: ReceivedPacket[]) => {
        for (const p of received) p.batchReport?.done(p.batchReport.result);
        // The first delivery is of a reply read by the loop thread (the thread is not running).
        inside ??= socket.sendBatchOnThread(packets, length, addresses, scopes, () => reports++);
      },
      (error) => assert.fail(error),
    );
    try {
      template.withSequence(99);
      socket.send(template.bytes, '127.0.4.99');
      await until(() => inside !== undefined, 2000);
      assert.equal(inside, false, 'refused inside the delivery');
      assert.equal(receiveThreads(), 0);
      assert.equal(
        socket.sendBatchOnThread(packets, length, addresses, scopes, () => reports++),
        true,
        'taken outside it',
      );
      await until(() => reports === 1, 2000);
      assert.equal(reports, 1);
    } finally {
      socket.close();
    }
  });

  test('a batch not reported when its socket closes is reported once, as not sent, whether the thread had sent it or not', () => {
    const socket = new IcmpSocket({ family: 4, kind: 'raw', identifier: 0x7000 + (process.pid & 0xfff) });
    socket.listen(
      () => {},
      () => {},
    );
    const template = new EchoRequestTemplate({ family: 4, identifier: 1, size: 56, cookie: new Uint8Array(8) });
    const reports: BatchSendResult[] = [];
    const packets = new Uint8Array(64 * template.bytes.length);
    for (let i = 0; i < 64; i++) packets.set(template.bytes, i * template.bytes.length);
    const addresses = Array.from({ length: 64 }, (_, i) => `127.0.3.${i + 1}`);
    socket.sendBatchOnThread(packets, template.bytes.length, addresses, new Array<number>(64).fill(0), (r) => reports.push(r));
    socket.close();
    // Most often the thread has sent it by the close, and its report goes with what the thread
    // had read, which a close drops: the socket reports it as not sent rather than never.
    assert.equal(reports.length, 1);
    assert.equal(reports[0]?.sent, 0);
    assert.equal((reports[0]?.error as { errnoCode?: string } | undefined)?.errnoCode, 'EBADF');
    assert.equal(
      socket.sendBatchOnThread(packets, template.bytes.length, addresses, new Array<number>(64).fill(0), () => {}),
      false,
    );
  });
});
