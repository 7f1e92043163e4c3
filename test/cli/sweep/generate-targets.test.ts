// -g target generation, fping's way: a CIDR prefix (IPv4 without its network and broadcast
// addresses below /31; IPv6 every address) or a start and an end address of one family, never
// more than 131072 addresses, and a usage error that says what was expected for anything else.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { generateTargets as generateRange } from '../../../src/cli/sweep/generate-targets.js';
import { UsageError } from '../../../src/cli/usage-error.js';

/** The addresses of the -g arguments, as a list. */
function generateTargets(args: string[]): string[] {
  return [...generateRange(args)];
}

/** Asserts that generateTargets(args) throws a UsageError whose message matches `message`. */
function refuses(args: string[], message: RegExp): void {
  assert.throws(
    () => generateTargets(args),
    (e: unknown) => e instanceof UsageError && message.test(e.message),
    JSON.stringify(args),
  );
}

/** Dotted quad -> number, written here independently of the code under test. */
function v4Number(text: string): number {
  return text.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

describe('IPv4 prefixes', () => {
  test('below /31 the network and broadcast addresses are left out', () => {
    assert.deepEqual(generateTargets(['10.0.0.0/30']), ['10.0.0.1', '10.0.0.2']);
    assert.deepEqual(generateTargets(['192.168.7.8/29']), ['192.168.7.9', '192.168.7.10', '192.168.7.11', '192.168.7.12', '192.168.7.13', '192.168.7.14']);
    const c = generateTargets(['10.1.2.0/24']);
    assert.equal(c.length, 254);
    assert.deepEqual([c[0], c[253]], ['10.1.2.1', '10.1.2.254']);
  });

  test('/31 is both addresses (RFC 3021 point-to-point), /32 the one', () => {
    assert.deepEqual(generateTargets(['10.0.0.4/31']), ['10.0.0.4', '10.0.0.5']);
    assert.deepEqual(generateTargets(['10.0.0.5/31']), ['10.0.0.4', '10.0.0.5']);
    assert.deepEqual(generateTargets(['10.0.0.7/32']), ['10.0.0.7']);
  });

  test('host bits in the given address are ignored: the prefix is what counts', () => {
    assert.deepEqual(generateTargets(['10.0.0.6/30']), ['10.0.0.5', '10.0.0.6']);
    assert.deepEqual(generateTargets(['10.0.0.255/23']).slice(0, 1), ['10.0.0.1']);
  });

  test('prefixes across octets and at both ends of the address space', () => {
    const a = generateTargets(['10.0.0.0/23']);
    assert.equal(a.length, 510);
    assert.deepEqual(a.slice(253, 257), ['10.0.0.254', '10.0.0.255', '10.0.1.0', '10.0.1.1'], 'only the /23 network and broadcast are left out');
    assert.deepEqual(generateTargets(['0.0.0.0/31']), ['0.0.0.0', '0.0.0.1']);
    assert.deepEqual(generateTargets(['128.0.0.0/31']), ['128.0.0.0', '128.0.0.1'], 'the top bit set is no sign');
    assert.deepEqual(generateTargets(['255.255.255.252/30']), ['255.255.255.253', '255.255.255.254']);
  });

  test('property: a /24 to /32 is the run of consecutive addresses of that prefix, in order', () => {
    fc.assert(
      fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)), fc.integer({ min: 24, max: 32 }), (octets, bits) => {
        const out = generateTargets([`${octets.join('.')}/${bits}`]);
        const size = 2 ** (32 - bits);
        const network = v4Number(octets.join('.')) - (v4Number(octets.join('.')) % size);
        const skip = bits < 31 ? 1 : 0;
        assert.equal(out.length, size - 2 * skip);
        out.forEach((address, i) => assert.equal(v4Number(address), network + skip + i, address));
      }),
      { numRuns: 200 },
    );
  });
});

describe('IPv6 prefixes: every address, the first and the last included', () => {
  test('/126, /127, /128', () => {
    assert.deepEqual(generateTargets(['fd00::/126']), ['fd00::', 'fd00::1', 'fd00::2', 'fd00::3']);
    assert.deepEqual(generateTargets(['fd00::5/127']), ['fd00::4', 'fd00::5']);
    assert.deepEqual(generateTargets(['FD00::0:9/128']), ['fd00::9'], 'canonical text (RFC 5952)');
  });

  test('a /120 across the low word, and IPv4-mapped addresses as IPv6', () => {
    const a = generateTargets(['2001:db8::1:ff42/120']);
    assert.equal(a.length, 256);
    assert.deepEqual([a[0], a[255]], ['2001:db8::1:ff00', '2001:db8::1:ffff']);
    assert.deepEqual(generateTargets(['::ffff:10.0.0.0/126']), ['::ffff:10.0.0.0', '::ffff:10.0.0.1', '::ffff:10.0.0.2', '::ffff:10.0.0.3']);
  });
});

describe('start and end addresses', () => {
  test('IPv4: every address from the start to the end, both included, across octets', () => {
    assert.deepEqual(generateTargets(['10.0.0.254', '10.0.1.1']), ['10.0.0.254', '10.0.0.255', '10.0.1.0', '10.0.1.1']);
    assert.deepEqual(generateTargets(['10.0.0.9', '10.0.0.9']), ['10.0.0.9']);
    assert.deepEqual(generateTargets(['255.255.255.254', '255.255.255.255']), ['255.255.255.254', '255.255.255.255']);
  });

  test('IPv6: every address, across a 16-bit word', () => {
    assert.deepEqual(generateTargets(['fd00::fffe', 'fd00::1:1']), ['fd00::fffe', 'fd00::ffff', 'fd00::1:0', 'fd00::1:1']);
  });

  test('an end before the start is refused', () => {
    refuses(['10.0.0.2', '10.0.0.1'], /^-g 10\.0\.0\.2 10\.0\.0\.1: the end comes before the start$/);
    refuses(['fd00::2', 'fd00::1'], /^-g fd00::2 fd00::1: the end comes before the start$/);
  });

  test('two families, or a name, are refused', () => {
    refuses(['10.0.0.1', 'fd00::1'], /^-g 10\.0\.0\.1 fd00::1: expected two addresses of the same family$/);
    refuses(['localhost', '10.0.0.9'], /expected two addresses of the same family$/);
    refuses(['10.0.0.1', '10.0.0.300'], /expected two addresses of the same family$/);
  });
});

describe('the limit of 131072 addresses (fping 5.5 has the same)', () => {
  test('a prefix or a range of exactly the limit is generated', () => {
    const v4 = generateTargets(['10.0.0.0', '10.1.255.255']);
    assert.equal(v4.length, 131072);
    assert.equal(v4[131071], '10.1.255.255');
    assert.equal(generateTargets(['10.0.0.0/15']).length, 131070, 'a /15 less its network and broadcast');
    const v6 = generateTargets(['fd00::/111']);
    assert.equal(v6.length, 131072);
    assert.equal(v6[131071], 'fd00::1:ffff');
  });

  test('one more is refused, saying how many it would have been', () => {
    refuses(['10.0.0.0', '10.2.0.0'], /^-g 10\.0\.0\.0 10\.2\.0\.0: 131073 addresses is more than the limit of 131072$/);
    refuses(['10.0.0.0/14'], /^-g 10\.0\.0\.0\/14: 262142 addresses is more than the limit of 131072$/);
    refuses(['0.0.0.0/0'], /: 4294967294 addresses is more than the limit/);
    refuses(['fd00::/110'], /^-g fd00::\/110: 262144 addresses is more than the limit of 131072$/);
    refuses(['::/0'], /: 340282366920938463463374607431768211456 addresses is more than the limit/);
    refuses(['fd00::', 'fd00::2:0'], /: 131073 addresses is more than the limit/);
  });
});

describe('malformed arguments', () => {
  test('no prefix length: it says what is expected', () => {
    refuses(['10.0.0.1'], /^-g 10\.0\.0\.1: expected a prefix like 10\.0\.0\.0\/24, or a start and an end address$/);
    refuses([''], /^-g : expected a prefix like/);
  });

  test('a bad prefix length or base address', () => {
    for (const spec of [
      '10.0.0.0/33',
      '10.0.0.0/',
      '10.0.0.0/-1',
      '10.0.0.0/2x',
      '10.0.0.0/1234',
      '10.0.0.0/24/1',
      'fd00::/129',
      'host/24',
      '10.0.0/24',
      '/24',
    ]) {
      refuses([spec], /: expected a prefix like 10\.0\.0\.0\/24 or fd00::\/120$/);
    }
  });

  test('no argument or three', () => {
    refuses([], /^-g takes a CIDR prefix \(10\.0\.0\.0\/24\) or a start and an end address$/);
    refuses(['10.0.0.1', '10.0.0.2', '10.0.0.3'], /^-g takes a CIDR prefix/);
  });

  test('a long argument is cut to 60 characters in the message', () => {
    const long = `${'a'.repeat(100)}/24`;
    assert.throws(
      () => generateTargets([long]),
      (e: unknown) => e instanceof UsageError && e.message === `-g ${'a'.repeat(60)}: expected a prefix like 10.0.0.0/24 or fd00::/120`,
    );
    assert.throws(
      () => generateTargets(['b'.repeat(100), 'c'.repeat(100)]),
      (e: unknown) => e instanceof UsageError && e.message === `-g ${'b'.repeat(60)} ${'c'.repeat(60)}: expected two addresses of the same family`,
    );
  });
});
