// The tests' one packet builder: the unit tests' golden vectors, the fake network's replies and
// ICMP errors (fake-network.ts), the fuzzers' datagrams. Hand-rolled and deliberately
// independent of src/: its own RFC 1071 checksum, its own address parsing, so a bug in
// src/packet cannot hide behind a helper that shares its code. (test/helpers/responder.py,
// the hostile responder, is Python and builds its own.) Field layouts:
//   IPv4 header  RFC 791 3.1      ICMP         RFC 792 (+ RFC 1191 for the next-hop MTU)
//   IPv6 header  RFC 8200 3       extension headers RFC 8200 4.3-4.5, RFC 4302 (AH)
//   ICMPv6       RFC 4443 2.1     pseudo-header RFC 8200 8.1     redirect RFC 4861 4.5, 4.6.3

export type Bytes = Uint8Array | readonly number[];

/** Concatenates byte sequences into one fresh Uint8Array. */
export function concat(...parts: Bytes[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Bytes from hex text; whitespace is ignored ("45 00 00 20" -> [0x45, 0, 0, 0x20]). */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) throw new Error(`bad hex: ${text}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * RFC 1071: ones-complement of the ones-complement sum of big-endian 16-bit words, an odd
 * trailing byte padded with a zero byte. Written out plainly, one carry fold per word.
 */
export function checksum(bytes: Bytes): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) {
    const hi = bytes[i] ?? 0;
    const lo = bytes[i + 1] ?? 0;
    sum += hi * 256 + lo;
    if (sum > 0xffff) sum = (sum & 0xffff) + 1; // end-around carry
  }
  return 0xffff - sum;
}

/** "a.b.c.d" -> 4 bytes (test fixtures only: no validation beyond the shape). */
export function v4(text: string): number[] {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`bad v4 ${text}`);
  return parts;
}

/** IPv6 text with optional "::" (no embedded IPv4) -> 16 bytes. */
export function v6(text: string): number[] {
  const [head = '', tail] = text.split('::');
  const groups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const words = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  if (words.length !== 8 || words.some((w) => !(w >= 0 && w <= 0xffff))) throw new Error(`bad v6 ${text}`);
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

function u16(n: number): number[] {
  return [(n >> 8) & 0xff, n & 0xff];
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

// ---------------------------------------------------------------------------------------------
// IPv4

export interface Ipv4Spec {
  /** Header length in 32-bit words; default: 5 + options rounded up. */
  ihl?: number;
  version?: number;
  tos?: number;
  /** Total length field; default: header + payload. */
  totalLength?: number;
  identification?: number;
  /** The 3 flag bits (bit 1 = DF: 0b010, bit 2 = MF: 0b001). */
  flags?: number;
  /** Fragment offset in 8-byte units. */
  fragmentOffset?: number;
  ttl?: number;
  protocol?: number;
  source?: string;
  destination?: string;
  /** Option bytes; padded with zero (End of Option List) up to IHL*4 - 20. */
  options?: Bytes;
  /** Header checksum to write instead of the correct one. */
  headerChecksum?: number;
}

/** An IPv4 header (RFC 791 3.1) with a correct header checksum unless told otherwise. */
export function ipv4Header(spec: Ipv4Spec, payloadLength: number): Uint8Array {
  const options = spec.options ?? [];
  const ihl = spec.ihl ?? 5 + Math.ceil(options.length / 4);
  const headerBytes = Math.max(20, ihl * 4, 20 + options.length);
  const h = new Uint8Array(headerBytes);
  h[0] = ((spec.version ?? 4) << 4) | (ihl & 0x0f);
  h[1] = spec.tos ?? 0;
  h.set(u16(spec.totalLength ?? headerBytes + payloadLength), 2);
  h.set(u16(spec.identification ?? 0x1c46), 4);
  h.set(u16((((spec.flags ?? 0b010) & 0b111) << 13) | ((spec.fragmentOffset ?? 0) & 0x1fff)), 6);
  h[8] = spec.ttl ?? 64;
  h[9] = spec.protocol ?? 1;
  h.set(v4(spec.source ?? '192.0.2.1'), 12);
  h.set(v4(spec.destination ?? '192.0.2.2'), 16);
  h.set(options, 20);
  h.set(u16(spec.headerChecksum ?? checksum(h)), 10);
  return h;
}

/** IPv4 header followed by `payload`. */
export function ipv4Datagram(spec: Ipv4Spec, payload: Bytes): Uint8Array {
  return concat(ipv4Header(spec, payload.length), payload);
}

// IPv4 options (RFC 791 3.1, "Options").
export const IPOPT_EOL = 0;
export const IPOPT_NOP = 1;
export const IPOPT_RR = 7;

/** A record-route option of `slots` addresses with the given pointer (valid pointers: 4, 8, ...). */
export function recordRoute(slots: number, pointer = 4, fill = 0): number[] {
  return [IPOPT_RR, 3 + 4 * slots, pointer, ...new Array<number>(4 * slots).fill(fill)];
}

// ---------------------------------------------------------------------------------------------
// ICMP (IPv4)

/** An ICMP message: type, code, checksum (correct unless `badChecksum`), 4 bytes of rest-of-header, body. */
export function icmpMessage(type: number, code: number, rest: Bytes, body: Bytes, badChecksum = false): Uint8Array {
  if (rest.length !== 4) throw new Error('rest of header is 4 bytes');
  const m = concat([type, code, 0, 0], rest, body);
  const sum = checksum(m);
  m.set(u16(badChecksum ? sum ^ 0x5a5a : sum), 2);
  return m;
}

/**
 * A copy of an ICMP message (ICMP for IPv4: no pseudo-header) with its checksum (bytes 2-3)
 * recomputed, for tests that edit a built message and want it valid again.
 */
export function withIcmpChecksum(message: Bytes): Uint8Array {
  const m = Uint8Array.from(message);
  if (m.length < 4) return m;
  m.set([0, 0], 2);
  m.set(u16(checksum(m)), 2);
  return m;
}

/** Echo request (type 8) or reply (type 0), RFC 792 "Echo or Echo Reply Message". */
export function icmpEcho(type: 0 | 8, identifier: number, sequence: number, payload: Bytes = [], badChecksum = false): Uint8Array {
  return icmpMessage(type, 0, [...u16(identifier), ...u16(sequence)], payload, badChecksum);
}

/** An ICMP error whose 4 rest-of-header bytes are `rest`, quoting `quoted`. */
export function icmpError(type: number, code: number, quoted: Bytes, rest: Bytes = [0, 0, 0, 0]): Uint8Array {
  return icmpMessage(type, code, rest, quoted);
}

/** Rest-of-header for "fragmentation needed" (RFC 1191 4: unused 16 bits, next-hop MTU 16 bits). */
export function nextHopMtu(mtu: number): number[] {
  return [0, 0, ...u16(mtu)];
}

/** Rest-of-header for a redirect (RFC 792: gateway internet address). */
export function gatewayRest(address: string): number[] {
  return v4(address);
}

/** Rest-of-header for a parameter problem (RFC 792: pointer in the first byte). */
export function pointerRest(pointer: number): number[] {
  return [pointer, 0, 0, 0];
}

export interface QuotedV4Spec extends Ipv4Spec {
  identifier: number;
  sequence: number;
  /** Echo data after the 8-byte header that the router quoted (default none: RFC 792's 64 bits). */
  payload?: Bytes;
  /** ICMP type of the quoted message (default 8, echo request). */
  type?: number;
  /** ICMP code of the quoted message (default 0). */
  code?: number;
}

/** A datagram as an ICMP error quotes it: our IPv4 header, then the echo request's first bytes. */
export function quotedEchoV4(spec: QuotedV4Spec): Uint8Array {
  const payload = spec.payload ?? [];
  const echo = icmpMessage(spec.type ?? 8, spec.code ?? 0, [...u16(spec.identifier), ...u16(spec.sequence)], payload);
  // The quoted header's total length is the original datagram's, typically 84 for ping's 56 bytes.
  return ipv4Datagram({ totalLength: 84, ...spec }, echo);
}

// ---------------------------------------------------------------------------------------------
// IPv6

export const NH_HOP_BY_HOP = 0;
export const NH_TCP = 6;
export const NH_UDP = 17;
export const NH_ROUTING = 43;
export const NH_FRAGMENT = 44;
export const NH_AUTH = 51;
export const NH_ICMPV6 = 58;
export const NH_NONE = 59;
export const NH_DEST_OPTIONS = 60;

/** An extension header; byte 0 (its Next Header) is filled in by ipv6Packet. */
export interface ExtensionHeader {
  protocol: number;
  bytes: Uint8Array;
}

// Hop-by-hop / destination options: Hdr Ext Len in 8-octet units not counting the first 8
// (RFC 8200 4.3, 4.6); the 6 + 8*units option bytes are one PadN option (type 1).
function optionsHeader(protocol: number, units: number): ExtensionHeader {
  const bytes = new Uint8Array(8 * (units + 1));
  bytes[1] = units;
  bytes[2] = 1; // PadN
  bytes[3] = bytes.length - 4;
  return { protocol, bytes };
}

export function hopByHop(units = 0): ExtensionHeader {
  return optionsHeader(NH_HOP_BY_HOP, units);
}

export function destinationOptions(units = 0): ExtensionHeader {
  return optionsHeader(NH_DEST_OPTIONS, units);
}

/** Routing header (RFC 8200 4.4): Hdr Ext Len units, routing type, segments left 0. */
export function routingHeader(units = 0, routingType = 4): ExtensionHeader {
  const bytes = new Uint8Array(8 * (units + 1));
  bytes[1] = units;
  bytes[2] = routingType;
  bytes[3] = 0;
  return { protocol: NH_ROUTING, bytes };
}

/** Fragment header (RFC 8200 4.5): offset in 8-octet units (13 bits), M flag, identification. */
export function fragmentHeader(offsetUnits = 0, more = false, identification = 0x12345678): ExtensionHeader {
  const bytes = concat([0, 0], u16(((offsetUnits & 0x1fff) << 3) | (more ? 1 : 0)), u32(identification));
  return { protocol: NH_FRAGMENT, bytes };
}

/** Authentication header (RFC 4302 2.2): Payload Len = length in 4-octet units minus 2. */
export function authHeader(payloadLen = 4): ExtensionHeader {
  const bytes = new Uint8Array((payloadLen + 2) * 4);
  bytes[1] = payloadLen;
  bytes.set(u32(0x00000100), 4); // SPI
  bytes.set(u32(1), 8); // sequence number
  return { protocol: NH_AUTH, bytes };
}

export interface Ipv6Spec {
  version?: number;
  source?: string;
  destination?: string;
  hopLimit?: number;
  /** Payload length field; default: everything after the 40-byte header. */
  payloadLength?: number;
}

/** IPv6 header (RFC 8200 3), the extension headers chained by Next Header, then the upper layer. */
export function ipv6Packet(spec: Ipv6Spec, extensions: readonly ExtensionHeader[], upperProtocol: number, upper: Bytes): Uint8Array {
  const chain = extensions.map((e) => Uint8Array.from(e.bytes));
  chain.forEach((bytes, i) => {
    bytes[0] = extensions[i + 1]?.protocol ?? upperProtocol;
  });
  const afterHeader = chain.reduce((n, b) => n + b.length, 0) + upper.length;
  const header = new Uint8Array(40);
  header[0] = (spec.version ?? 6) << 4;
  header.set(u16(spec.payloadLength ?? afterHeader), 4);
  header[6] = extensions[0]?.protocol ?? upperProtocol;
  header[7] = spec.hopLimit ?? 64;
  header.set(v6(spec.source ?? '2001:db8::1'), 8);
  header.set(v6(spec.destination ?? '2001:db8::2'), 24);
  return concat(header, ...chain, upper);
}

/**
 * An ICMPv6 message (RFC 4443 2.1). With addresses, the checksum covers the pseudo-header
 * (RFC 8200 8.1: source, destination, 32-bit upper-layer length, 3 zero bytes, next header 58);
 * without, it is left 0 (the kernel verifies ICMPv6 checksums before delivery anyway).
 */
export function icmpv6Message(type: number, code: number, rest: Bytes, body: Bytes, addresses?: { source: string; destination: string }): Uint8Array {
  if (rest.length !== 4) throw new Error('rest of header is 4 bytes');
  const m = concat([type, code, 0, 0], rest, body);
  if (addresses !== undefined) {
    const pseudo = concat(v6(addresses.source), v6(addresses.destination), u32(m.length), [0, 0, 0, NH_ICMPV6]);
    m.set(u16(checksum(concat(pseudo, m))), 2);
  }
  return m;
}

/** ICMPv6 echo request (128) or reply (129), RFC 4443 4.1, 4.2. */
export function icmpv6Echo(type: 128 | 129, identifier: number, sequence: number, payload: Bytes = []): Uint8Array {
  return icmpv6Message(type, 0, [...u16(identifier), ...u16(sequence)], payload);
}

/** 32-bit rest-of-header: MTU (packet too big, RFC 4443 3.2) or pointer (parameter problem, 3.4). */
export function rest32(value: number): number[] {
  return u32(value);
}

export interface QuotedV6Spec extends Ipv6Spec {
  identifier: number;
  sequence: number;
  payload?: Bytes;
  extensions?: readonly ExtensionHeader[];
  /** ICMPv6 type of the quoted message (default 128). */
  type?: number;
  code?: number;
  /** Upper-layer protocol of the quoted packet (default 58). */
  upperProtocol?: number;
}

/** An IPv6 packet carrying one of our echo requests, as an ICMPv6 error quotes it. */
export function quotedEchoV6(spec: QuotedV6Spec): Uint8Array {
  const echo = icmpv6Message(spec.type ?? 128, spec.code ?? 0, [...u16(spec.identifier), ...u16(spec.sequence)], spec.payload ?? []);
  return ipv6Packet(spec, spec.extensions ?? [], spec.upperProtocol ?? NH_ICMPV6, echo);
}

/** NDP option (RFC 4861 4.6): type, length in 8-octet units, data padded to that length. */
export function ndpOption(type: number, data: Bytes): Uint8Array {
  const units = Math.ceil((data.length + 2) / 8);
  const out = new Uint8Array(units * 8);
  out[0] = type;
  out[1] = units;
  out.set(data, 2);
  return out;
}

/** Redirected Header option (RFC 4861 4.6.3): type 4, length, 6 reserved bytes, the packet. */
export function redirectedHeaderOption(packet: Bytes): Uint8Array {
  return ndpOption(4, concat([0, 0, 0, 0, 0, 0], packet));
}

/** ICMPv6 redirect (RFC 4861 4.5): reserved, target address, destination address, options. */
export function icmpv6Redirect(target: string, destination: string, options: Bytes[] = []): Uint8Array {
  return icmpv6Message(137, 0, [0, 0, 0, 0], concat(v6(target), v6(destination), ...options));
}
