// Batches sent by the socket's receive thread (sendBatchOnThread), on a real raw socket over
// loopback: what makes a sweep exact when another thread sends its probes is that each batch's
// report reaches JavaScript before any reply to it, and the reports come in the order given.
// The CLI's sweeps over this path (live, and failing sends mixed in) are in cli-many.test.ts.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { IcmpSocket } from '../../src/os/icmp-socket.js';
import type { BatchSendResult, ReceivedPacket } from '../../src/os/socket-like.js';
import { decodeReceived } from '../../src/packet/decode-received.js';
import { EchoRequestTemplate } from '../../src/packet/echo-request.js';
import { netRawSkipReason } from '../helpers/skip-reasons.js';

const skip = netRawSkipReason('a raw ICMP socket');

function threads(): number {
  return readdirSync('/proc/self/task').length;
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
      const before = threads();
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
      assert.ok(threads() > before, 'the receive thread runs');
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
      await until(() => threads() === before, 2000);
      assert.equal(threads(), before, 'the thread stopped once it had no batch to send');
    } finally {
      socket.close();
    }
  });

  test('a batch not sent yet when its socket closes is reported as not sent', () => {
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
    // Sent by the thread before the close (reported with the batches it had read, which a close
    // drops), or not: either way it is reported once, and as not sent.
    assert.equal(reports.length, 1);
    assert.equal(reports[0]?.sent, 0);
    assert.equal((reports[0]?.error as { errnoCode?: string } | undefined)?.errnoCode, 'EBADF');
    assert.equal(
      socket.sendBatchOnThread(packets, template.bytes.length, addresses, new Array<number>(64).fill(0), () => {}),
      false,
    );
  });
});
