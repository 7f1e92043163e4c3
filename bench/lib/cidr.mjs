// IPv4 CIDR expansion the way fping -g does it (network and broadcast left out for /1-/30),
// restricted to 127.0.0.0/8: the benchmark never sends anywhere but loopback.

/** @param {string} cidr like "127.0.0.0/16" @returns {{first: number, last: number}} host range as 32-bit unsigned ints */
export function loopbackRange(cidr) {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix < 8 || prefix > 32) throw new Error(`bad CIDR: ${cidr}`);
  if (octets[0] !== 127) throw new Error(`refusing ${cidr}: the benchmark only sends to 127.0.0.0/8`);
  const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const size = 2 ** (32 - prefix);
  const network = base - (base % size);
  if (prefix >= 31) return { first: network, last: network + size - 1 };
  return { first: network + 1, last: network + size - 2 };
}

/** Number of targets fping -g (and rawping --generate) makes of this CIDR. */
export function hostCount(cidr) {
  const { first, last } = loopbackRange(cidr);
  return last - first + 1;
}

/** @param {number} n @returns {string} dotted quad */
export function ipString(n) {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** @param {string} cidr @returns {string[]} every host address, in order */
export function hosts(cidr) {
  const { first, last } = loopbackRange(cidr);
  const out = new Array(last - first + 1);
  for (let n = first; n <= last; n++) out[n - first] = ipString(n);
  return out;
}
