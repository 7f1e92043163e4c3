import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../../packet/address.js';
import { UsageError } from '../usage-error.js';

/** Most addresses -g may produce (fping 5.5 has the same cap). */
const GENERATE_LIMIT = 131072;

function v4ToNumber(bytes: Uint8Array): number {
  return (bytes[0] as number) * 2 ** 24 + ((bytes[1] as number) << 16) + ((bytes[2] as number) << 8) + (bytes[3] as number);
}

function numberToV4(n: number): string {
  return formatIpv4(Uint8Array.from([(n / 2 ** 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]));
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

function tooMany(spec: string, count: bigint | number): never {
  throw new UsageError(`-g ${spec}: ${count} addresses is more than the limit of ${GENERATE_LIMIT}`);
}

/**
 * Expands `-g` arguments: one CIDR prefix (IPv4: network and broadcast addresses left out
 * for prefixes shorter than /31, as fping does; IPv6: every address) or a start and an end
 * address of one family. Throws UsageError past GENERATE_LIMIT or for anything malformed.
 */
export function generateTargets(args: readonly string[]): string[] {
  if (args.length === 1) return fromCidr(args[0] as string);
  if (args.length === 2) return fromRange(args[0] as string, args[1] as string);
  throw new UsageError('-g takes a CIDR prefix (10.0.0.0/24) or a start and an end address');
}

function fromCidr(spec: string): string[] {
  const slash = spec.indexOf('/');
  if (slash < 0) throw new UsageError(`-g ${spec.slice(0, 60)}: expected a prefix like 10.0.0.0/24, or a start and an end address`);
  const base = spec.slice(0, slash);
  const bitsText = spec.slice(slash + 1);
  const v4 = parseIpv4(base);
  const v6 = v4 === null ? parseIpv6(base) : null;
  const maxBits = v4 !== null ? 32 : 128;
  if ((v4 === null && v6 === null) || !/^[0-9]{1,3}$/.test(bitsText) || Number(bitsText) > maxBits) {
    throw new UsageError(`-g ${spec.slice(0, 60)}: expected a prefix like 10.0.0.0/24 or fd00::/120`);
  }
  const bits = Number(bitsText);
  if (v4 !== null) {
    const size = 2 ** (32 - bits);
    const network = v4ToNumber(v4) - (v4ToNumber(v4) % size);
    const [first, last] = bits >= 31 ? [network, network + size - 1] : [network + 1, network + size - 2];
    const count = last - first + 1;
    if (count > GENERATE_LIMIT) tooMany(spec, count);
    return Array.from({ length: count }, (_, i) => numberToV4(first + i));
  }
  const hostBits = BigInt(128 - bits);
  const size = 1n << hostBits;
  if (size > BigInt(GENERATE_LIMIT)) tooMany(spec, size);
  const network = (v6ToBig(v6 as Uint8Array) >> hostBits) << hostBits;
  return Array.from({ length: Number(size) }, (_, i) => bigToV6(network + BigInt(i)));
}

function fromRange(start: string, end: string): string[] {
  const a4 = parseIpv4(start);
  const b4 = parseIpv4(end);
  if (a4 !== null && b4 !== null) {
    const first = v4ToNumber(a4);
    const last = v4ToNumber(b4);
    if (last < first) throw new UsageError(`-g ${start} ${end}: the end comes before the start`);
    if (last - first + 1 > GENERATE_LIMIT) tooMany(`${start} ${end}`, last - first + 1);
    return Array.from({ length: last - first + 1 }, (_, i) => numberToV4(first + i));
  }
  const a6 = parseIpv6(start);
  const b6 = parseIpv6(end);
  if (a6 !== null && b6 !== null) {
    const first = v6ToBig(a6);
    const last = v6ToBig(b6);
    if (last < first) throw new UsageError(`-g ${start} ${end}: the end comes before the start`);
    const count = last - first + 1n;
    if (count > BigInt(GENERATE_LIMIT)) tooMany(`${start} ${end}`, count);
    return Array.from({ length: Number(count) }, (_, i) => bigToV6(first + BigInt(i)));
  }
  throw new UsageError(`-g ${start.slice(0, 60)} ${end.slice(0, 60)}: expected two addresses of the same family`);
}
