// The reason text for ICMP errors, in the words iputils prints after "From <router>
// icmp_seq=N ", so the CLI's lines match ping's byte for byte in the C locale.

const UNREACHABLE_V4: readonly string[] = [
  'Destination Net Unreachable',
  'Destination Host Unreachable',
  'Destination Protocol Unreachable',
  'Destination Port Unreachable',
  '', // 4: fragmentation needed, carries the MTU
  'Source Route Failed',
  'Destination Net Unknown',
  'Destination Host Unknown',
  'Source Host Isolated',
  'Destination Net Prohibited',
  'Destination Host Prohibited',
  'Destination Net Unreachable for Type of Service',
  'Destination Host Unreachable for Type of Service',
  'Packet filtered',
  'Precedence Violation',
  'Precedence Cutoff',
];

const REDIRECT_V4: readonly string[] = ['Redirect Network', 'Redirect Host', 'Redirect Type of Service and Network', 'Redirect Type of Service and Host'];

const UNREACHABLE_V6: Readonly<Record<number, string>> = {
  0: 'No route',
  1: 'Administratively prohibited',
  2: 'Beyond scope of source address',
  3: 'Address unreachable',
  4: 'Port unreachable',
  5: 'Source address failed ingress/egress policy',
  6: 'Reject route to destination',
};

/** What an ICMP error says, for describing it. */
export interface IcmpErrorFacts {
  family: 4 | 6;
  type: number;
  code: number;
  /** MTU (fragmentation needed / packet too big), parameter-problem pointer; 0 when absent. */
  info?: number;
  /** Redirect gateway, canonical text. */
  gateway?: string | null;
}

/**
 * iputils' wording for an ICMP or ICMPv6 message of the given type and code, e.g.
 * "Destination Host Unreachable", "Frag needed and DF set (mtu = 1400)",
 * "Destination unreachable: Address unreachable", "Dest Unreachable, Bad Code: 200".
 */
export function describeIcmpError(facts: IcmpErrorFacts): string {
  const { type, code } = facts;
  const info = facts.info ?? 0;
  if (facts.family === 6) {
    switch (type) {
      case 1:
        return `Destination unreachable: ${UNREACHABLE_V6[code] ?? `Unknown code ${code}`}`;
      case 2:
        return `Packet too big: mtu=${info}${code !== 0 ? `, code=${code}` : ''}`;
      case 3:
        return `Time exceeded: ${code === 0 ? 'Hop limit' : code === 1 ? 'Defragmentation failure' : `code ${code}`}`;
      case 4: {
        const what = ['Wrong header field ', 'Unknown header ', 'Unknown option '][code] ?? `code ${code} `;
        return `Parameter problem: ${what}at ${info}`;
      }
      case 128:
        return 'Echo request';
      case 129:
        return 'Echo reply';
      case 130:
        return 'MLD Query';
      case 131:
        return 'MLD Report';
      case 132:
        return 'MLD Reduction';
      default:
        return `unknown icmp type: ${type}`;
    }
  }
  switch (type) {
    case 0:
      return 'Echo Reply';
    case 3:
      if (code === 4) return `Frag needed and DF set (mtu = ${info})`;
      return UNREACHABLE_V4[code] ?? `Dest Unreachable, Bad Code: ${code}`;
    case 4:
      return 'Source Quench';
    case 5: {
      const what = REDIRECT_V4[code] ?? `Redirect, Bad Code: ${code}`;
      return facts.gateway ? `${what}(New nexthop: ${facts.gateway})` : what;
    }
    case 8:
      return 'Echo Request';
    case 11:
      return code === 0 ? 'Time to live exceeded' : code === 1 ? 'Frag reassembly time exceeded' : `Time exceeded, Bad Code: ${code}`;
    case 12:
      return `Parameter problem: pointer = ${info}`;
    case 13:
      return 'Timestamp';
    case 14:
      return 'Timestamp Reply';
    case 15:
      return 'Information Request';
    case 16:
      return 'Information Reply';
    case 17:
      return 'Address Mask Request';
    case 18:
      return 'Address Mask Reply';
    default:
      return `Bad ICMP type: ${type}`;
  }
}
