// A range of addresses as fping -g makes it, given out one at a time so that a sweep of a /12
// holds one address, not a million. Pure arithmetic on numbers (IPv4) and bigints (IPv6).
import { OptionError } from '../errors.js';
import { formatIpv6, parseIpv4, parseIpv6 } from '../packet/address.js';
import { escapeText } from '../wording/escape-text.js';

function v4ToNumber(bytes: Uint8Array): number {
  return (bytes[0] as number) * 2 ** 24 + ((bytes[1] as number) << 16) + ((bytes[2] as number) << 8) + (bytes[3] as number);
}

// Each octet's text, made once: an address is then four lookups and three joins (a sweep
// makes one string per address and nothing else).
const OCTETS = Array.from({ length: 256 }, (_, i) => String(i));

function v4Prefix(n: number): string {
  const o = OCTETS;
  return `${o[n >>> 24] as string}.${o[(n >>> 16) & 0xff] as string}.${o[(n >>> 8) & 0xff] as string}.`;
}

function numberToV4(n: number): string {
  return `${v4Prefix(n)}${OCTETS[n & 0xff] as string}`;
}

function v6ToBig(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function bigToV6(n: bigint): string {
  const bytes = new Uint8Array(16);
  for (let i = 15; i >= 0; i--) {
    bytes[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return formatIpv6(bytes);
}

// Ranges are quoted back in messages: short, and with no control character reaching a terminal.
function quoted(text: string): string {
  return escapeText(text.slice(0, 60));
}

/**
 * A range of addresses, iterated lazily in ascending order: each pass makes its strings as it
 * goes and keeps none. Iterate it as often as you like.
 */
export class AddressRange implements Iterable<string> {
  /** 4 or 6. */
  readonly family: 4 | 6;
  /** How many addresses it has (for IPv6 ranges past 2^53, a rounded figure: `count` is exact). */
  readonly size: number;
  /** Exactly how many addresses it has. */
  readonly count: bigint;
  /** The first and last address, canonical text. */
  readonly first: string;
  readonly last: string;
  readonly #from: number | bigint;
  readonly #to: number | bigint;

  /** @internal use addressRange() */
  constructor(family: 4 | 6, from: number | bigint, to: number | bigint) {
    this.family = family;
    this.#from = from;
    this.#to = to;
    if (family === 4) {
      this.size = (to as number) - (from as number) + 1;
      this.count = BigInt(this.size);
      this.first = numberToV4(from as number);
      this.last = numberToV4(to as number);
    } else {
      this.count = (to as bigint) - (from as bigint) + 1n;
      this.size = Number(this.count);
      this.first = bigToV6(from as bigint);
      this.last = bigToV6(to as bigint);
    }
  }

  *[Symbol.iterator](): Generator<string, void, undefined> {
    if (this.family === 4) {
      const to = this.#to as number;
      // The first three octets change once every 256 addresses.
      let prefix = '';
      for (let n = this.#from as number; n <= to; n++) {
        if (prefix === '' || (n & 0xff) === 0) prefix = v4Prefix(n);
        yield `${prefix}${OCTETS[n & 0xff] as string}`;
      }
      return;
    }
    const to = this.#to as bigint;
    for (let n = this.#from as bigint; n <= to; n++) yield bigToV6(n);
  }
}

/**
 * The addresses of a range, as fping -g makes them, for `pingEach` and the CLI's `-g`:
 *
 * - `addressRange('10.0.0.0/24')`: a CIDR prefix (host bits of the address are ignored). For
 *   IPv4 prefixes shorter than /31 the network and broadcast addresses are left out (10.0.0.1
 *   to 10.0.0.254), as fping does; /31 is both addresses (RFC 3021) and /32 the one. IPv6
 *   prefixes (`'fd00::/120'`) give every address.
 * - `addressRange('10.0.0.1', '10.0.0.9')`: from a start to an end address, both included, of
 *   one family.
 *
 * Nothing is held: the range gives one address at a time (`for (const a of range)`, or
 * `pingEach(range)`), so a /12 takes no more memory than a /24. Its `size` says how many
 * there are, so a caller can refuse a range that is too big before starting.
 *
 * @throws OptionError (option 'range') for anything that is not a prefix or two addresses of
 *   one family, or an end before the start
 */
export function addressRange(start: string, end?: string): AddressRange {
  if (typeof start !== 'string' || (end !== undefined && typeof end !== 'string')) {
    throw new OptionError('range', 'a range is a CIDR prefix (10.0.0.0/24) or a start and an end address');
  }
  return end === undefined ? fromPrefix(start) : fromBounds(start, end);
}

function fromPrefix(spec: string): AddressRange {
  const slash = spec.indexOf('/');
  if (slash < 0) throw new OptionError('range', `${quoted(spec)}: expected a prefix like 10.0.0.0/24, or a start and an end address`);
  const base = spec.slice(0, slash);
  const bitsText = spec.slice(slash + 1);
  const v4 = parseIpv4(base);
  const v6 = v4 === null ? parseIpv6(base) : null;
  const maxBits = v4 !== null ? 32 : 128;
  if ((v4 === null && v6 === null) || !/^[0-9]{1,3}$/.test(bitsText) || Number(bitsText) > maxBits) {
    throw new OptionError('range', `${quoted(spec)}: expected a prefix like 10.0.0.0/24 or fd00::/120`);
  }
  const bits = Number(bitsText);
  if (v4 !== null) {
    const size = 2 ** (32 - bits);
    const network = v4ToNumber(v4) - (v4ToNumber(v4) % size);
    // Below /31 the network and broadcast addresses are no hosts (/0 included: 0.0.0.0 and
    // 255.255.255.255 are left out).
    return bits >= 31 ? new AddressRange(4, network, network + size - 1) : new AddressRange(4, network + 1, network + size - 2);
  }
  const hostBits = BigInt(128 - bits);
  const network = (v6ToBig(v6 as Uint8Array) >> hostBits) << hostBits;
  return new AddressRange(6, network, network + (1n << hostBits) - 1n);
}

function fromBounds(start: string, end: string): AddressRange {
  const a4 = parseIpv4(start);
  const b4 = parseIpv4(end);
  if (a4 !== null && b4 !== null) {
    const first = v4ToNumber(a4);
    const last = v4ToNumber(b4);
    if (last < first) throw new OptionError('range', `${quoted(start)} ${quoted(end)}: the end comes before the start`);
    return new AddressRange(4, first, last);
  }
  const a6 = parseIpv6(start);
  const b6 = parseIpv6(end);
  if (a6 !== null && b6 !== null) {
    const first = v6ToBig(a6);
    const last = v6ToBig(b6);
    if (last < first) throw new OptionError('range', `${quoted(start)} ${quoted(end)}: the end comes before the start`);
    return new AddressRange(6, first, last);
  }
  throw new OptionError('range', `${quoted(start)} ${quoted(end)}: expected two addresses of the same family`);
}
