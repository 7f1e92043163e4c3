// The error type numbers per family: RFC 792 (3 unreachable, 4 source quench, 5 redirect,
// 11 time exceeded, 12 parameter problem), RFC 4443 (1-4) and RFC 4861 (137 redirect).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorKind, isErrorMessage } from '../../src/packet/icmp-message.js';
import { decodeIcmp } from '../../src/packet/decode-icmp.js';
import { decodeIcmpv6 } from '../../src/packet/decode-icmpv6.js';
import { icmpEcho, icmpError, icmpMessage, icmpv6Message, icmpv6Redirect } from '../helpers/packet-builders.js';

test('errorKind for ICMP', () => {
  assert.equal(errorKind(4, 3), 'destination-unreachable');
  assert.equal(errorKind(4, 4), 'source-quench');
  assert.equal(errorKind(4, 5), 'redirect');
  assert.equal(errorKind(4, 11), 'time-exceeded');
  assert.equal(errorKind(4, 12), 'parameter-problem');
  for (const type of [0, 1, 2, 8, 13, 14, 42, 255]) assert.equal(errorKind(4, type), null, `type ${type}`);
});

test('errorKind for ICMPv6', () => {
  assert.equal(errorKind(6, 1), 'destination-unreachable');
  assert.equal(errorKind(6, 2), 'packet-too-big');
  assert.equal(errorKind(6, 3), 'time-exceeded');
  assert.equal(errorKind(6, 4), 'parameter-problem');
  assert.equal(errorKind(6, 137), 'redirect');
  for (const type of [0, 5, 11, 12, 128, 129, 135, 136, 255]) assert.equal(errorKind(6, type), null, `type ${type}`);
});

test('decoders and errorKind agree on which messages are errors', () => {
  for (let type = 0; type < 256; type++) {
    const m4 = decodeIcmp(type === 0 || type === 8 ? icmpEcho(type, 1, 1) : icmpMessage(type, 0, [0, 0, 0, 0], new Uint8Array(40)));
    assert.ok(m4 !== null);
    assert.equal(isErrorMessage(m4), errorKind(4, type) !== null, `ICMP type ${type}`);
    if (isErrorMessage(m4)) assert.equal(m4.kind, errorKind(4, type));
    const m6 = decodeIcmpv6(type === 137 ? icmpv6Redirect('fe80::1', 'fe80::2') : icmpv6Message(type, 0, [0, 0, 0, 0], new Uint8Array(48)));
    assert.ok(m6 !== null);
    assert.equal(isErrorMessage(m6), errorKind(6, type) !== null, `ICMPv6 type ${type}`);
    if (isErrorMessage(m6)) assert.equal(m6.kind, errorKind(6, type));
  }
  assert.equal(isErrorMessage(decodeIcmp(icmpError(3, 0, [])) ?? assert.fail()), true);
});
