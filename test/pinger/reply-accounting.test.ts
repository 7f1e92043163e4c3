// Reply accounting on a target and probe records made by hand: what each kind of answer
// counts, what it reports, and what it tells the session to do next.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EchoMessage, QuotedProbe } from '../../src/packet/icmp-message.js';
import type { PingEvent } from '../../src/pinger/ping-event.js';
import { type Probe, ProbeState } from '../../src/pinger/probe-table.js';
import { Accounted, type IcmpErrorReport, ReplyAccounting } from '../../src/pinger/reply-accounting.js';
import { TargetState } from '../../src/pinger/target-state.js';

const MS = 1e6;

function setup(detail = true): { accounting: ReplyAccounting; events: PingEvent[]; t: TargetState } {
  const events: PingEvent[] = [];
  const accounting = new ReplyAccounting({ config: { size: 56, timeoutMs: 1000 }, emit: (e) => events.push(e), detail });
  const t = new TargetState(0, { target: 'host', address: '192.0.2.1', family: 4, scopeId: 0 });
  return { accounting, events, t };
}

function sent(t: TargetState, sequence: number, sentNs = 0): Probe {
  t.transmitted++;
  t.outstanding++;
  return { targetIndex: t.index, sequence, sentNs, expiresAtMs: 1000, state: ProbeState.Outstanding };
}

function reply(sequence: number, overrides: Partial<EchoMessage> = {}): EchoMessage {
  return { kind: 'echo-reply', family: 4, type: 0, code: 0, length: 64, checksumOk: true, identifier: 1, sequence, payload: new Uint8Array(56), ...overrides };
}

describe('echo replies', () => {
  test('a reply answers its probe: counted, sampled, reported, and the session may send the next', () => {
    const { accounting, events, t } = setup();
    const probe = sent(t, 1, 100 * MS);
    assert.equal(accounting.echoReply(t, probe, '192.0.2.1', reply(1), 64, 103 * MS, false, 64), Accounted.Answered);
    assert.equal(probe.state, ProbeState.Answered);
    assert.deepEqual([t.received, t.outstanding, t.maxRttMs], [1, 0, 3]);
    assert.deepEqual(events, [
      { type: 'reply', target: 'host', address: '192.0.2.1', from: '192.0.2.1', sequence: 1, rttMs: 3, ttl: 64, bytes: 64, truncated: false },
    ]);
  });

  test('a copy is a duplicate: its RTT is a sample, nothing else changes', () => {
    const { accounting, events, t } = setup();
    const probe = sent(t, 1);
    accounting.echoReply(t, probe, '192.0.2.1', reply(1), 64, 2 * MS, false, 64);
    assert.equal(accounting.echoReply(t, probe, '192.0.2.1', reply(1), 64, 5 * MS, false, 64), Accounted.Noted);
    assert.deepEqual([t.received, t.duplicates, t.maxRttMs], [1, 1, 5]);
    assert.equal(events.at(-1)?.type, 'duplicate');
  });

  test('no record, or one that timed out: late, with no RTT sample', () => {
    const { accounting, events, t } = setup();
    assert.equal(accounting.echoReply(t, undefined, '192.0.2.1', reply(9), 64, 5 * MS, false, 64), Accounted.Noted);
    const probe = sent(t, 1);
    probe.state = ProbeState.TimedOut;
    assert.equal(accounting.echoReply(t, probe, '192.0.2.1', reply(1), 64, 2000 * MS, false, 64), Accounted.Noted);
    assert.deepEqual([t.late, t.received, t.maxRttMs], [2, 0, 0]);
    assert.deepEqual(
      events.map((e) => (e.type === 'late' ? e.rttMs : e.type)),
      [null, 2000],
    );
  });

  test("a reply stamped after its probe's timeout times the probe out first, then counts late", () => {
    const { accounting, events, t } = setup();
    const probe = sent(t, 1);
    assert.equal(accounting.echoReply(t, probe, '192.0.2.1', reply(1), 64, 1001 * MS, false, 64), Accounted.Changed);
    assert.equal(probe.state, ProbeState.TimedOut);
    assert.deepEqual([t.outstanding, t.late, t.received], [0, 1, 0]);
    assert.deepEqual(
      events.map((e) => e.type),
      ['timeout', 'late'],
    );
  });

  test('a bad checksum is corrupted, not received; a short payload is flagged truncated', () => {
    const { accounting, events, t } = setup();
    const probe = sent(t, 1);
    assert.equal(accounting.echoReply(t, probe, '192.0.2.1', reply(1, { checksumOk: false }), 64, MS, false, 64), Accounted.Noted);
    assert.deepEqual([t.corrupted, t.received, probe.state], [1, 0, ProbeState.Outstanding]);
    assert.equal(accounting.echoReply(t, probe, '192.0.2.1', reply(1, { payload: new Uint8Array(20) }), 64, MS, false, 64), Accounted.Answered);
    const last = events.at(-1);
    assert.ok(last?.type === 'reply' && last.truncated);
  });

  test('without detail nothing is emitted, and everything is still counted', () => {
    const { accounting, events, t } = setup(false);
    accounting.echoReply(t, sent(t, 1), '192.0.2.1', reply(1), 64, MS, false, 64);
    accounting.timedOut(t, 2);
    assert.deepEqual(events, []);
    assert.equal(t.received, 1);
  });
});

describe('ICMP errors', () => {
  const quoted: QuotedProbe = { source: '10.0.0.1', destination: '192.0.2.1', identifier: 1, sequence: 1, payload: new Uint8Array(0) };
  const unreachable: IcmpErrorReport = { kind: 'destination-unreachable', type: 3, code: 1, info: 0, gateway: null };

  test('an error settles its outstanding probe as errored, once', () => {
    const { accounting, events, t } = setup();
    const probe = sent(t, 1);
    assert.equal(accounting.icmpError(t, probe, 4, '10.0.0.254', quoted, unreachable), Accounted.Changed);
    assert.deepEqual([t.errors, t.outstanding, probe.state], [1, 0, ProbeState.Errored]);
    assert.equal(accounting.icmpError(t, probe, 4, '10.0.0.254', quoted, unreachable), Accounted.Noted);
    assert.equal(t.errors, 1);
    assert.deepEqual(
      events.map((e) => e.type),
      ['error'],
    );
  });

  test('an error for a sequence with no record is not ours', () => {
    const { accounting, t } = setup();
    assert.equal(accounting.icmpError(t, undefined, 4, '10.0.0.254', quoted, unreachable), Accounted.NotOurs);
  });

  test('a redirect is reported as advisory and leaves the probe to be answered', () => {
    const { accounting, events, t } = setup();
    const probe = sent(t, 1);
    accounting.icmpError(t, probe, 4, '10.0.0.254', quoted, { kind: 'redirect', type: 5, code: 1, info: 0, gateway: '10.0.0.2' });
    assert.deepEqual([t.errors, t.outstanding, probe.state], [0, 1, ProbeState.Outstanding]);
    const e = events[0];
    assert.ok(e?.type === 'error' && e.advisory);
  });
});
