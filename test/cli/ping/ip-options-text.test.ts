// The RR: and TS: blocks as iputils 20221126 prints them after a reply (pr_options in ping.c),
// byte for byte: the texts below are what `ping -R` and `ping -T` printed on loopback.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { IpOptionsText } from '../../../src/cli/ping/ip-options-text.js';
import type { IpOption } from '../../../src/packet/ip-options.js';

const bare = (address: string): string => address;
const loopbackRoute: IpOption[] = [{ kind: 'record-route', addresses: ['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1'] }];

describe('record route (-R)', () => {
  test('the first route: "\\nRR: " then each address after a tab, a line each', () => {
    assert.equal(new IpOptionsText().text(loopbackRoute, bare), '\nRR: \t127.0.0.1\n\t127.0.0.1\n\t127.0.0.1\n\t127.0.0.1\n');
  });

  test('the same route again: "\\t(same route)" on the reply line; a new route is printed in full', () => {
    const printer = new IpOptionsText();
    printer.text(loopbackRoute, bare);
    assert.equal(printer.text(loopbackRoute, bare), '\t(same route)');
    const other: IpOption[] = [{ kind: 'record-route', addresses: ['10.0.0.1'] }];
    assert.equal(printer.text(other, bare), '\nRR: \t10.0.0.1\n');
  });

  test('under flood the route is never "(same route)"', () => {
    const printer = new IpOptionsText();
    printer.text(loopbackRoute, bare, true);
    assert.match(printer.text(loopbackRoute, bare, true), /^\nRR: /);
  });

  test('addresses go through the caller (names with -H); nothing recorded prints nothing', () => {
    assert.equal(
      new IpOptionsText().text(
        loopbackRoute.slice(0, 1).map(() => ({ kind: 'record-route', addresses: ['127.0.0.1'] })),
        (a) => `localhost (${a})`,
      ),
      '\nRR: \tlocalhost (127.0.0.1)\n',
    );
    assert.equal(new IpOptionsText().text([{ kind: 'record-route', addresses: [] }], bare), '');
  });
});

describe('timestamps (-T)', () => {
  test('tsonly: the first time absolute, then differences', () => {
    const ts: IpOption = {
      kind: 'timestamp',
      flag: 0,
      overflow: 0,
      entries: [7683257, 7683257, 7683258, 7683258].map((time) => ({ address: null, time, nonStandard: false })),
    };
    assert.equal(new IpOptionsText().text([ts], bare), '\nTS: \t7683257 absolute\n\t0\n\t1\n\t0\n');
  });

  test('tsandaddr: each address before its time; unrecorded hops counted after the list', () => {
    const ts: IpOption = {
      kind: 'timestamp',
      flag: 1,
      overflow: 2,
      entries: [
        { address: '127.0.0.1', time: 7683467, nonStandard: false },
        { address: '127.0.0.1', time: 7683467, nonStandard: false },
      ],
    };
    assert.equal(new IpOptionsText().text([ts], bare), '\nTS: \t127.0.0.1\t7683467 absolute\n\t127.0.0.1\t0\nUnrecorded hops: 2\n');
  });

  test('non-standard times are counted apart from standard ones', () => {
    const ts: IpOption = {
      kind: 'timestamp',
      flag: 0,
      overflow: 0,
      entries: [
        { address: null, time: 500, nonStandard: true },
        { address: null, time: 100, nonStandard: false },
        { address: null, time: 530, nonStandard: true },
      ],
    };
    assert.equal(new IpOptionsText().text([ts], bare), '\nTS: \t500 absolute not-standard\n\t100 absolute\n\t30 not-standard\n');
  });
});

test('NOP, source routes and unknown options, as ping names them', () => {
  const options: IpOption[] = [
    { kind: 'nop' },
    { kind: 'source-route', strict: false, addresses: ['192.0.2.1'] },
    { kind: 'source-route', strict: true, addresses: [] },
    { kind: 'unknown', type: 0x94 },
  ];
  assert.equal(new IpOptionsText().text(options, bare), '\nNOP\nLSRR: \t192.0.2.1\n\nSSRR: \nunknown option 94');
});
