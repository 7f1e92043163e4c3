// iputils' wordings, copied from the printf strings of iputils 20250605 (the release
// /work/shared/reference/iputils-ping.md names): ping/ping.c pr_icmph() for IPv4 and
// ping/ping6_common.c print_icmp() for IPv6. What "From <router> icmp_seq=N " is followed by.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeIcmpError } from '../../src/wording/describe-icmp-error.js';

test('IPv4 destination unreachable, codes 0-15 (pr_icmph, case ICMP_DEST_UNREACH)', () => {
  const expected = [
    'Destination Net Unreachable', // 0 ICMP_NET_UNREACH
    'Destination Host Unreachable', // 1 ICMP_HOST_UNREACH
    'Destination Protocol Unreachable', // 2
    'Destination Port Unreachable', // 3
    'Frag needed and DF set (mtu = 1400)', // 4 ICMP_FRAG_NEEDED, "%u" of info
    'Source Route Failed', // 5
    'Destination Net Unknown', // 6
    'Destination Host Unknown', // 7
    'Source Host Isolated', // 8
    'Destination Net Prohibited', // 9 ICMP_NET_ANO
    'Destination Host Prohibited', // 10 ICMP_HOST_ANO
    'Destination Net Unreachable for Type of Service', // 11
    'Destination Host Unreachable for Type of Service', // 12
    'Packet filtered', // 13 ICMP_PKT_FILTERED
    'Precedence Violation', // 14
    'Precedence Cutoff', // 15
  ];
  expected.forEach((text, code) => {
    assert.equal(describeIcmpError({ family: 4, type: 3, code, info: 1400 }), text, `code ${code}`);
  });
});

test('IPv4 unreachable: out-of-range codes and the MTU of code 4', () => {
  assert.equal(describeIcmpError({ family: 4, type: 3, code: 200 }), 'Dest Unreachable, Bad Code: 200');
  assert.equal(describeIcmpError({ family: 4, type: 3, code: 16 }), 'Dest Unreachable, Bad Code: 16');
  assert.equal(describeIcmpError({ family: 4, type: 3, code: 255 }), 'Dest Unreachable, Bad Code: 255');
  assert.equal(describeIcmpError({ family: 4, type: 3, code: 4, info: 576 }), 'Frag needed and DF set (mtu = 576)');
  assert.equal(describeIcmpError({ family: 4, type: 3, code: 4 }), 'Frag needed and DF set (mtu = 0)');
});

test('IPv4 time exceeded, source quench, parameter problem', () => {
  assert.equal(describeIcmpError({ family: 4, type: 11, code: 0 }), 'Time to live exceeded');
  assert.equal(describeIcmpError({ family: 4, type: 11, code: 1 }), 'Frag reassembly time exceeded');
  assert.equal(describeIcmpError({ family: 4, type: 11, code: 7 }), 'Time exceeded, Bad Code: 7');
  assert.equal(describeIcmpError({ family: 4, type: 4, code: 0 }), 'Source Quench');
  assert.equal(describeIcmpError({ family: 4, type: 12, code: 0, info: 20 }), 'Parameter problem: pointer = 20');
  assert.equal(describeIcmpError({ family: 4, type: 12, code: 0 }), 'Parameter problem: pointer = 0');
});

test('IPv4 redirect: the code\'s words then "(New nexthop: <gateway>)"', () => {
  const words = ['Redirect Network', 'Redirect Host', 'Redirect Type of Service and Network', 'Redirect Type of Service and Host'];
  words.forEach((w, code) => {
    assert.equal(describeIcmpError({ family: 4, type: 5, code, gateway: '10.0.0.1' }), `${w}(New nexthop: 10.0.0.1)`);
  });
  assert.equal(describeIcmpError({ family: 4, type: 5, code: 1, gateway: '10.0.0.1' }), 'Redirect Host(New nexthop: 10.0.0.1)');
  assert.equal(describeIcmpError({ family: 4, type: 5, code: 9, gateway: '192.0.2.254' }), 'Redirect, Bad Code: 9(New nexthop: 192.0.2.254)');
});

test('IPv4 informational and unknown types', () => {
  const cases: Array<[number, string]> = [
    [0, 'Echo Reply'],
    [8, 'Echo Request'],
    [13, 'Timestamp'],
    [14, 'Timestamp Reply'],
    [15, 'Information Request'],
    [16, 'Information Reply'],
    [17, 'Address Mask Request'],
    [18, 'Address Mask Reply'],
    [42, 'Bad ICMP type: 42'],
    [1, 'Bad ICMP type: 1'],
    [255, 'Bad ICMP type: 255'],
  ];
  for (const [type, text] of cases) assert.equal(describeIcmpError({ family: 4, type, code: 0 }), text, `type ${type}`);
});

test('IPv6 destination unreachable, codes 0-4 and unknown codes (print_icmp, case ICMP6_DST_UNREACH)', () => {
  const expected = ['No route', 'Administratively prohibited', 'Beyond scope of source address', 'Address unreachable', 'Port unreachable'];
  expected.forEach((w, code) => {
    assert.equal(describeIcmpError({ family: 6, type: 1, code }), `Destination unreachable: ${w}`, `code ${code}`);
  });
  assert.equal(describeIcmpError({ family: 6, type: 1, code: 3 }), 'Destination unreachable: Address unreachable');
  assert.equal(describeIcmpError({ family: 6, type: 1, code: 9 }), 'Destination unreachable: Unknown code 9');
  assert.equal(describeIcmpError({ family: 6, type: 1, code: 200 }), 'Destination unreachable: Unknown code 200');
});

test('IPv6 destination unreachable codes 5 and 6 (RFC 4443 3.1), worded since iputils 20231222', () => {
  // iputils commit c4c7d52 "ping: decode unreachable codes added in RFC 4443", in every
  // release from 20231222 on, including the 20250605 this project matches.
  assert.equal(describeIcmpError({ family: 6, type: 1, code: 5 }), 'Destination unreachable: Source address failed ingress/egress policy');
  assert.equal(describeIcmpError({ family: 6, type: 1, code: 6 }), 'Destination unreachable: Reject route to destination');
});

test('IPv6 packet too big, time exceeded, parameter problem', () => {
  assert.equal(describeIcmpError({ family: 6, type: 2, code: 0, info: 1280 }), 'Packet too big: mtu=1280');
  assert.equal(describeIcmpError({ family: 6, type: 2, code: 3, info: 1400 }), 'Packet too big: mtu=1400, code=3');
  assert.equal(describeIcmpError({ family: 6, type: 3, code: 0 }), 'Time exceeded: Hop limit');
  assert.equal(describeIcmpError({ family: 6, type: 3, code: 1 }), 'Time exceeded: Defragmentation failure');
  assert.equal(describeIcmpError({ family: 6, type: 3, code: 5 }), 'Time exceeded: code 5');
  assert.equal(describeIcmpError({ family: 6, type: 4, code: 0, info: 6 }), 'Parameter problem: Wrong header field at 6');
  assert.equal(describeIcmpError({ family: 6, type: 4, code: 1, info: 40 }), 'Parameter problem: Unknown header at 40');
  assert.equal(describeIcmpError({ family: 6, type: 4, code: 2, info: 42 }), 'Parameter problem: Unknown option at 42');
  assert.equal(describeIcmpError({ family: 6, type: 4, code: 7, info: 1 }), 'Parameter problem: code 7 at 1');
});

test('IPv6 informational and unknown types, redirect included', () => {
  const cases: Array<[number, string]> = [
    [128, 'Echo request'],
    [129, 'Echo reply'],
    [130, 'MLD Query'],
    [131, 'MLD Report'],
    [132, 'MLD Reduction'],
    [137, 'unknown icmp type: 137'],
    [0, 'unknown icmp type: 0'],
    [255, 'unknown icmp type: 255'],
  ];
  for (const [type, text] of cases) assert.equal(describeIcmpError({ family: 6, type, code: 0 }), text, `type ${type}`);
});

test('the same type number means different things per family', () => {
  // Type 3 is "destination unreachable" in ICMP and "time exceeded" in ICMPv6.
  assert.equal(describeIcmpError({ family: 4, type: 3, code: 0 }), 'Destination Net Unreachable');
  assert.equal(describeIcmpError({ family: 6, type: 3, code: 0 }), 'Time exceeded: Hop limit');
  assert.equal(describeIcmpError({ family: 4, type: 1, code: 0 }), 'Bad ICMP type: 1');
  assert.equal(describeIcmpError({ family: 6, type: 11, code: 0 }), 'unknown icmp type: 11');
});
