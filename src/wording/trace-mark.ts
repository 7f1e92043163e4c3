// traceroute's marks for the ICMP errors that end a path: `!H` after a hop's address says the
// router there answered Destination Host Unreachable. mtr and traceroute users read these.

// Destination unreachable (IPv4 type 3) by code, as traceroute marks them.
const UNREACHABLE_V4: Readonly<Record<number, string>> = {
  0: '!N',
  1: '!H',
  2: '!P',
  4: '!F',
  5: '!S',
  6: '!N',
  7: '!H',
  9: '!X',
  10: '!X',
  11: '!N',
  12: '!H',
  13: '!X',
  14: '!V',
  15: '!C',
};

// Destination unreachable (ICMPv6 type 1) by code, as traceroute6 marks them.
const UNREACHABLE_V6: Readonly<Record<number, string>> = { 0: '!N', 1: '!X', 2: '!S', 3: '!H', 5: '!X', 6: '!N' };

/**
 * traceroute's mark for an ICMP error of `family`, `type` and `code`: `!N` network and `!H` host
 * unreachable, `!P` protocol, `!X` administratively prohibited, `!F` fragmentation needed (and
 * IPv6's packet too big), `!S` source route failed or beyond scope, `!V` and `!C` precedence;
 * any other unreachable code as `!<code>`, any other error as `!<type>/<code>`.
 */
export function traceMark(family: 4 | 6, type: number, code: number): string {
  if (family === 4) {
    if (type === 3) return UNREACHABLE_V4[code] ?? `!${code}`;
  } else {
    if (type === 1) return UNREACHABLE_V6[code] ?? `!${code}`;
    if (type === 2) return '!F';
  }
  return `!${type}/${code}`;
}
