// decodeReceived's dispatch and its drops (docs/hostile-inputs.md #8-#10): what a raw IPv4 socket,
// an ICMP datagram socket and an ICMPv6 socket hand over.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeReceived } from '../../src/packet/decode-received.js';
import { concat, icmpEcho, icmpv6Echo, ipv4Datagram, ipv4Header } from '../helpers/packet-builders.js';

const REPLY = icmpEcho(0, 0x0102, 0x0304, [1, 2, 3, 4, 5, 6, 7, 8]);

function ignored(bytes: Uint8Array, family: 4 | 6, withIpHeader: boolean, why: string): void {
  const d = decodeReceived(bytes, family, withIpHeader);
  assert.equal(d.kind, 'ignored', why);
  if (d.kind === 'ignored') assert.ok(d.reason.length > 0, `${why}: a reason is given`);
}

test('raw IPv4: malformed outer headers are dropped (IHL < 5, version != 4, IHL*4 beyond the bytes, < 20 bytes)', () => {
  const good = ipv4Datagram({}, REPLY);
  assert.equal(decodeReceived(good, 4, true).kind, 'icmp');
  for (let ihl = 0; ihl < 5; ihl++) {
    const d = Uint8Array.from(good);
    d[0] = 0x40 | ihl;
    ignored(d, 4, true, `IHL ${ihl}`);
  }
  for (const version of [0, 5, 6, 15]) {
    const d = Uint8Array.from(good);
    d[0] = (version << 4) | 5;
    ignored(d, 4, true, `version ${version}`);
  }
  // IHL 15 = 60 bytes of header, 36 bytes received.
  const d = Uint8Array.from(good);
  d[0] = 0x4f;
  ignored(d, 4, true, 'IHL*4 beyond the datagram');
  for (const n of [0, 1, 19]) ignored(good.subarray(0, n), 4, true, `${n} bytes`);
  ignored(ipv4Datagram({ totalLength: 10 }, REPLY), 4, true, 'total length < header');
});

test('raw IPv4: datagrams that are not ICMP, and later fragments, are dropped', () => {
  for (const protocol of [0, 2, 6, 17, 58]) ignored(ipv4Datagram({ protocol }, REPLY), 4, true, `protocol ${protocol}`);
  // A later fragment's first bytes are echo data, not an ICMP header.
  ignored(ipv4Datagram({ flags: 0b000, fragmentOffset: 3 }, REPLY), 4, true, 'fragment offset 24');
});

test('raw IPv4 with an IP header followed by fewer than 8 ICMP bytes: dropped', () => {
  ignored(concat(ipv4Header({}, 7), REPLY.subarray(0, 7)), 4, true, '7 ICMP bytes');
  // IHL 15 header, total length exactly the header: no ICMP at all.
  ignored(ipv4Datagram({ ihl: 15, options: new Array<number>(40).fill(1), totalLength: 60 }, REPLY), 4, true, 'total length = IHL*4');
});

test('datagram socket (no IP header): the bytes are the ICMP message, whatever they start with', () => {
  const d = decodeReceived(REPLY, 4, false);
  assert.equal(d.kind, 'icmp');
  if (d.kind === 'icmp') {
    assert.equal(d.ip, null);
    assert.equal(d.message.kind, 'echo-reply');
    assert.equal(d.message.length, REPLY.length);
  }
  // An ICMP message that happens to start with 0x45 is not mistaken for an IPv4 header.
  const lookalike = icmpEcho(0, 1, 1, [1, 2]);
  lookalike[0] = 0x45;
  const l = decodeReceived(lookalike, 4, false);
  assert.equal(l.kind, 'icmp');
  if (l.kind === 'icmp') assert.equal(l.message.type, 0x45);
});

test('an IPv4 datagram handed in as ICMPv6 is not read with IPv4 offsets', () => {
  const datagram = ipv4Datagram({}, REPLY);
  const d = decodeReceived(datagram, 6, false);
  assert.equal(d.kind, 'icmp');
  if (d.kind === 'icmp') {
    assert.equal(d.message.family, 6);
    assert.equal(d.message.type, 0x45);
    assert.equal(d.message.kind, 'other');
  }
  // And an ICMPv6 echo reply on an IPv4 datagram socket is type 129: not an echo reply there.
  const v6 = decodeReceived(icmpv6Echo(129, 1, 1), 4, false);
  assert.equal(v6.kind === 'icmp' ? v6.message.kind : v6.kind, 'other');
});

test('a 65535-byte datagram decodes whole, its payload a view (no copy sized by the peer)', () => {
  // Total length 65535 = 20 + 8 + 65507, the largest IPv4 echo reply.
  const payload = Uint8Array.from({ length: 65507 }, (_, i) => (i * 7) & 0xff);
  const datagram = ipv4Datagram({}, icmpEcho(0, 0xaaaa, 0xbbbb, payload));
  assert.equal(datagram.length, 65535);
  assert.equal((datagram[2] as number) * 256 + (datagram[3] as number), 65535);
  const d = decodeReceived(datagram, 4, true);
  assert.equal(d.kind, 'icmp');
  if (d.kind === 'icmp' && d.message.kind === 'echo-reply') {
    assert.equal(d.message.length, 65515);
    assert.equal(d.message.checksumOk, true);
    assert.equal(d.message.payload.length, 65507);
    assert.equal(d.message.payload.buffer, datagram.buffer);
  } else {
    assert.fail('expected an echo reply');
  }
  // The same datagram cut by the kernel (MSG_TRUNC) at 1500 bytes: flagged, bounded by what arrived.
  const cut = decodeReceived(datagram.subarray(0, 1500), 4, true, true);
  assert.equal(cut.kind, 'icmp');
  if (cut.kind === 'icmp' && cut.message.kind === 'echo-reply') {
    assert.equal(cut.message.checksumOk, null);
    assert.equal(cut.message.length, 1480);
    assert.equal(cut.message.payload.length, 1472);
    assert.equal(cut.message.sequence, 0xbbbb);
  } else {
    assert.fail('expected an echo reply');
  }
});
