// Pure conversions between IP addresses as bytes (network order) and canonical text.
// Canonical text is what every comparison in rawping uses: dotted quad for IPv4 and the
// RFC 5952 form (lower case, longest zero run compressed) for IPv6.

// The last IPv4 address formatted, and its text: a flood or a ping formats the same source
// for every reply, and handing back the same string also spares the Map lookups that follow
// from hashing a fresh one.
let lastIpv4 = -1;
let lastIpv4Text = '';

/** Formats 4 bytes at `offset` as a dotted quad. */
export function formatIpv4(bytes: Uint8Array, offset = 0): string {
  const value =
    (((bytes[offset] as number) << 24) | ((bytes[offset + 1] as number) << 16) | ((bytes[offset + 2] as number) << 8) | (bytes[offset + 3] as number)) >>> 0;
  if (value !== lastIpv4) {
    lastIpv4 = value;
    lastIpv4Text = `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
  }
  return lastIpv4Text;
}

/** Formats 16 bytes at `offset` in RFC 5952 canonical form (IPv4-mapped as ::ffff:a.b.c.d). */
export function formatIpv6(bytes: Uint8Array, offset = 0): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(((bytes[offset + 2 * i] as number) << 8) | (bytes[offset + 2 * i + 1] as number));
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    return `::ffff:${formatIpv4(bytes, offset + 12)}`;
  }
  // Longest run of two or more zero words; the first such run wins a tie (RFC 5952 4.2.3).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/**
 * The value of a dotted quad (exactly four decimal parts 0-255, no leading zeros) as an
 * unsigned 32-bit number, or -1. Allocates nothing: sweeps check every one of their
 * addresses this way.
 */
export function ipv4Number(text: string): number {
  if (text.length < 7 || text.length > 15) return -1;
  let result = 0;
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46; // a virtual '.' ends the last part
    if (c === 46) {
      if (digits === 0 || part > 3) return -1;
      result = result * 256 + value;
      part++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return -1; // leading zero
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return -1;
    } else {
      return -1;
    }
  }
  return part === 4 ? result : -1;
}

/** Parses a dotted quad (exactly four decimal parts 0-255, no leading zeros) or returns null. */
export function parseIpv4(text: string): Uint8Array | null {
  const n = ipv4Number(text);
  if (n < 0) return null;
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/** Parses IPv6 text (with optional embedded IPv4 tail, without a %scope) or returns null. */
export function parseIpv6(text: string): Uint8Array | null {
  if (text.length === 0 || text.length > 45 || !/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  // An embedded IPv4 tail may only end the address: the last group of the last half.
  const toWords = (part: string, mayEndInIpv4: boolean): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    const words: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i] as string;
      if (mayEndInIpv4 && i === groups.length - 1 && group.includes('.')) {
        const v4 = parseIpv4(group);
        if (v4 === null) return null;
        words.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
        words.push(parseInt(group, 16));
      }
    }
    return words;
  };
  const head = toWords(halves[0] as string, halves.length === 1);
  const tail = halves.length === 2 ? toWords(halves[1] as string, true) : [];
  if (head === null || tail === null) return null;
  let words: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return null;
    words = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    if (head.length !== 8) return null;
    words = head;
  }
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** IP version of a literal address (4 or 6), or 0 when `text` is not one. A %scope is allowed on IPv6. */
export function ipVersion(text: string): 0 | 4 | 6 {
  if (ipv4Number(text) >= 0) return 4;
  const percent = text.indexOf('%');
  const bare = percent >= 0 ? text.slice(0, percent) : text;
  return parseIpv6(bare) !== null ? 6 : 0;
}

/** Canonical text of a literal address (scope suffix dropped), or null when it is not one. */
export function canonicalAddress(text: string): string | null {
  const v4 = parseIpv4(text);
  if (v4 !== null) return formatIpv4(v4);
  const percent = text.indexOf('%');
  const v6 = parseIpv6(percent >= 0 ? text.slice(0, percent) : text);
  return v6 === null ? null : formatIpv6(v6);
}

// inet_aton's numeric IPv4 forms (127.1, 0x7f.1, 017.0.0.1): one to four parts, each decimal,
// 0x-hex or 0-octal. getaddrinfo takes them as addresses, so ping treats them as numbers.
const INET_ATON_FORM = /^(?:0[xX][0-9a-fA-F]+|[0-9]+)(?:\.(?:0[xX][0-9a-fA-F]+|[0-9]+)){0,3}$/;

/**
 * True when a target was typed as an address, not a name: an IP literal (IPv6 with an
 * optional %scope) or one of inet_aton's numeric IPv4 forms. A name made only of hex letters
 * (cafe.de) is a name.
 */
export function isNumericHost(text: string): boolean {
  return ipVersion(text) !== 0 || INET_ATON_FORM.test(text);
}

/** True for an IPv6 link-local address (fe80::/10), which is only meaningful with its interface. */
export function isLinkLocal(address: string): boolean {
  const percent = address.indexOf('%');
  const v6 = parseIpv6(percent >= 0 ? address.slice(0, percent) : address);
  return v6 !== null && v6[0] === 0xfe && ((v6[1] as number) & 0xc0) === 0x80;
}

/** True for IPv4 multicast (224.0.0.0/4) and IPv6 multicast (ff00::/8). */
export function isMulticast(address: string): boolean {
  const v4 = ipv4Number(address);
  if (v4 >= 0) return v4 >>> 28 === 0xe;
  const v6 = parseIpv6(address);
  return v6 !== null && v6[0] === 0xff;
}

/** True for a multicast address or the limited broadcast address (255.255.255.255). */
export function isMulticastOrBroadcast(address: string): boolean {
  return isMulticast(address) || address === '255.255.255.255';
}
