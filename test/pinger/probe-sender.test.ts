// The send path over a transport made by hand: which packets go, with which sequence, one by
// one or in a batch, and what it reports of each target.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SocketError } from '../../src/errors.js';
import type { BatchSendResult } from '../../src/os/socket-like.js';
import { ProbeSender, type SendOutcomes } from '../../src/pinger/probe-sender.js';
import { ProbeTable } from '../../src/pinger/probe-table.js';
import type { SessionTransport } from '../../src/pinger/session-transport.js';
import { TargetState } from '../../src/pinger/target-state.js';

const COOKIE = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);

interface Recorded {
  outcomes: string[];
  singles: { address: string; sequence: number }[];
  batches: string[][];
}

function sequenceOf(packet: Uint8Array): number {
  return ((packet[6] as number) << 8) | (packet[7] as number);
}

interface ThreadBatch {
  addresses: string[];
  done: (result: BatchSendResult) => void;
}

function setup(
  options: {
    batch?: (addresses: string[]) => BatchSendResult | null;
    fail?: (address: string) => SocketError | null;
    /** Batches given to the socket's thread go here (taken when it returns true); absent: the transport has no thread. */
    thread?: (batch: ThreadBatch) => boolean;
    /** What reported() returns (null: the session ended). */
    ended?: () => boolean;
    /** The session allows the thread (default: when `thread` is given). */
    threadBatches?: boolean;
  } = {},
): {
  sender: ProbeSender;
  probes: ProbeTable;
  seen: Recorded;
} {
  const seen: Recorded = { outcomes: [], singles: [], batches: [] };
  let stamp = 1000;
  const transport: SessionTransport = {
    identifier: () => 0x1234,
    send(_family, bytes, address) {
      const error = options.fail?.(address) ?? null;
      if (error !== null) throw error;
      seen.singles.push({ address, sequence: sequenceOf(bytes) });
      return stamp++;
    },
    ...(options.batch !== undefined
      ? {
          sendBatch: (_family: 4 | 6, packets: Uint8Array, length: number, addresses: string[]) => {
            seen.batches.push(addresses.map((a, i) => `${a}#${sequenceOf(packets.subarray(i * length, (i + 1) * length))}`));
            return options.batch?.(addresses) ?? null;
          },
        }
      : {}),
    ...(options.thread !== undefined
      ? {
          sendBatchOnThread: (_family: 4 | 6, packets: Uint8Array, length: number, addresses: string[], _scopes: number[], done: ThreadBatch['done']) => {
            const taken =
              options.thread?.({ addresses: addresses.map((a, i) => `${a}#${sequenceOf(packets.subarray(i * length, (i + 1) * length))}`), done }) ?? false;
            return taken;
          },
        }
      : {}),
  };
  const outcomes: SendOutcomes = {
    sent: (t, seq, sentNs) => seen.outcomes.push(`sent ${t.address}#${seq} @${sentNs}`),
    failed: (t, seq, error) => seen.outcomes.push(`failed ${t.address}#${seq} ${error.errnoCode}`),
    deferred: (t, dueMs) => seen.outcomes.push(`deferred ${t.address} to ${dueMs}`),
    handedOver: (n) => seen.outcomes.push(`handed over ${n}`),
    reported: () => {
      seen.outcomes.push('reported');
      return options.ended?.() === true ? null : 77;
    },
    afterReport: (n, counted) => seen.outcomes.push(`after report of ${n}, ${counted} sent`),
  };
  const probes = new ProbeTable();
  const sender = new ProbeSender({
    transport,
    probes,
    outcomes,
    config: { size: 56, pattern: null, timeoutMs: 1000 },
    cookie: COOKIE,
    maxBatch: 128,
    threadBatches: options.thread !== undefined && options.threadBatches !== false,
  });
  sender.prepare([4]);
  return { sender, probes, seen };
}

function targets(n: number): TargetState[] {
  return Array.from({ length: n }, (_, i) => new TargetState(i, { target: `192.0.2.${i + 1}`, address: `192.0.2.${i + 1}`, family: 4, scopeId: 0 }));
}

describe('ProbeSender', () => {
  test('one target: one send with its next sequence, reported with the send stamp', () => {
    const { sender, seen } = setup();
    const [t] = targets(1);
    t!.nextSequence = 7;
    sender.sendAll([t!], 0);
    assert.deepEqual(seen.singles, [{ address: '192.0.2.1', sequence: 7 }]);
    assert.deepEqual(seen.outcomes, ['sent 192.0.2.1#7 @1000']);
  });

  test('a sequence still awaiting its answer is skipped; with all 65536 out the target waits for the oldest expiry', () => {
    const { sender, probes, seen } = setup();
    const [t] = targets(1);
    probes.add(0, 1, 0, 500);
    sender.sendAll([t!], 0);
    assert.deepEqual(seen.outcomes, ['sent 192.0.2.1#2 @1000']);
    for (let seq = 0; seq < 65536; seq++) if (!probes.isBusy(0, seq)) probes.add(0, seq, 0, 900);
    sender.sendAll([t!], 10);
    assert.equal(seen.outcomes.at(-1), 'deferred 192.0.2.1 to 500');
  });

  test('a failed send is reported with its error, and the others still go', () => {
    const { sender, seen } = setup({ fail: (a) => (a === '192.0.2.1' ? new SocketError('EHOSTUNREACH', -113, 'sendto', 'no route') : null) });
    sender.sendAll(targets(2), 0);
    assert.deepEqual(seen.outcomes, ['failed 192.0.2.1#1 EHOSTUNREACH', 'sent 192.0.2.2#1 @1000']);
  });

  test('many targets go in one batch; the one that failed gets its error and those after it are due again at once', () => {
    const { sender, seen } = setup({ batch: () => ({ sent: 2, stampNs: 5000, error: new SocketError('ENOBUFS', -105, 'sendto', 'no buffer') }) });
    sender.sendAll(targets(4), 3);
    assert.deepEqual(seen.batches, [['192.0.2.1#1', '192.0.2.2#1', '192.0.2.3#1', '192.0.2.4#1']]);
    assert.deepEqual(seen.singles, []);
    assert.deepEqual(seen.outcomes, ['sent 192.0.2.1#1 @5000', 'sent 192.0.2.2#1 @5000', 'failed 192.0.2.3#1 ENOBUFS', 'deferred 192.0.2.4 to 3']);
  });

  test('a socket that cannot send batches after all: the targets go one by one', () => {
    const { sender, seen } = setup({ batch: () => null });
    sender.sendAll(targets(3), 0);
    assert.equal(seen.batches.length, 1);
    assert.deepEqual(
      seen.singles.map((s) => s.address),
      ['192.0.2.1', '192.0.2.2', '192.0.2.3'],
    );
    assert.equal(seen.outcomes.filter((o) => o.startsWith('sent')).length, 3);
  });
});

describe("ProbeSender with the socket's thread", () => {
  test('a large batch goes to the thread 64 at a time; nothing is counted until each part is reported, then by the report', () => {
    const given: ThreadBatch[] = [];
    const { sender, seen } = setup({ thread: (b) => given.push(b) > 0, batch: () => null });
    sender.sendAll(targets(100), 3);
    assert.deepEqual(
      given.map((b) => b.addresses.length),
      [64, 36],
    );
    assert.equal(given[1]?.addresses[0], '192.0.2.65#1');
    assert.deepEqual(seen.outcomes, ['handed over 64', 'handed over 36']);
    assert.deepEqual(seen.batches, []);
    // The second part's report may come first only if the socket breaks its order; each is counted by its own.
    given[0]?.done({ sent: 64, stampNs: 9000 });
    assert.equal(seen.outcomes.length, 2 + 1 + 64 + 1);
    assert.equal(seen.outcomes[2], 'reported');
    assert.equal(seen.outcomes[3], 'sent 192.0.2.1#1 @9000');
    assert.equal(seen.outcomes.at(-1), 'after report of 64, 64 sent');
  });

  test('a report of a failure: the prefix went, the one that failed gets its error, the rest are due again at the clock of the report', () => {
    const given: ThreadBatch[] = [];
    const { sender, seen } = setup({ thread: (b) => given.push(b) > 0, batch: () => null });
    sender.sendAll(targets(70), 3);
    given[0]?.done({ sent: 1, stampNs: 9000, error: new SocketError('EPERM', -1, 'sendto', 'refused') });
    assert.deepEqual(seen.outcomes.slice(0, 6), [
      'handed over 64',
      'handed over 6',
      'reported',
      'sent 192.0.2.1#1 @9000',
      'failed 192.0.2.2#1 EPERM',
      'deferred 192.0.2.3 to 77',
    ]);
    assert.equal(seen.outcomes.filter((o) => o.startsWith('deferred')).length, 62);
    assert.equal(seen.outcomes.at(-1), 'after report of 64, 1 sent');
  });

  test('targets that ended while the thread had their probes are not counted; an ended session counts nothing', () => {
    const given: ThreadBatch[] = [];
    let ended = false;
    const { sender, seen } = setup({ thread: (b) => given.push(b) > 0, batch: () => null, ended: () => ended });
    const ts = targets(64);
    sender.sendAll(ts, 0);
    ts[0]!.done = true;
    given[0]?.done({ sent: 64, stampNs: 9000 });
    assert.equal(seen.outcomes.filter((o) => o.startsWith('sent')).length, 63);
    assert.ok(!seen.outcomes.includes('sent 192.0.2.1#1 @9000'));
    assert.equal(seen.outcomes.at(-1), 'after report of 64, 63 sent', 'the ended target leaves the room in flight');
    sender.sendAll(targets(64), 0);
    ended = true;
    seen.outcomes.length = 0;
    given[1]?.done({ sent: 64, stampNs: 9000 });
    assert.deepEqual(seen.outcomes, ['reported', 'after report of 64, 0 sent']);
  });

  test('small batches, and a thread that refuses, go from this thread', () => {
    const given: ThreadBatch[] = [];
    const small = setup({ thread: (b) => given.push(b) > 0, batch: (a) => ({ sent: a.length, stampNs: 1 }) });
    small.sender.sendAll(targets(63), 0);
    assert.equal(given.length, 0);
    assert.equal(small.seen.batches.length, 1);
    const refused = setup({ thread: () => false, batch: (a) => ({ sent: a.length, stampNs: 1 }) });
    refused.sender.sendAll(targets(80), 0);
    assert.ok(!refused.seen.outcomes.some((o) => o.startsWith('handed over')));
    assert.equal(refused.seen.batches[0]?.length, 80);
    assert.equal(refused.seen.outcomes.filter((o) => o.startsWith('sent')).length, 80);
  });

  test('a session that does not allow the thread (flood, adaptive, cookieless) sends its batches itself', () => {
    const given: ThreadBatch[] = [];
    const { sender, seen } = setup({ thread: (b) => given.push(b) > 0, batch: (a) => ({ sent: a.length, stampNs: 1 }), threadBatches: false });
    sender.sendAll(targets(100), 0);
    assert.equal(given.length, 0);
    assert.equal(seen.batches[0]?.length, 100);
  });

  test('a thread that refuses after a part was taken: that part waits for its report, the rest go from this thread', () => {
    const given: ThreadBatch[] = [];
    const { sender, seen } = setup({ thread: (b) => given.length === 0 && given.push(b) > 0, batch: (a) => ({ sent: a.length, stampNs: 1 }) });
    sender.sendAll(targets(100), 0);
    assert.equal(given.length, 1);
    assert.deepEqual(
      seen.batches.map((b) => [b.length, b[0]]),
      [[36, '192.0.2.65#1']],
    );
    assert.equal(seen.outcomes.filter((o) => o.startsWith('sent')).length, 36);
    given[0]?.done({ sent: 64, stampNs: 9000 });
    assert.equal(seen.outcomes.filter((o) => o.startsWith('sent')).length, 100);
  });
});
