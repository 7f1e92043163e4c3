// fping's text for the many-target mode, as fping 5 prints it in the C locale: the per-probe
// lines of -c, the per-target statistics, -C's RTT list, -Q's interval lines, -s's totals and
// -x's verdict. Pure: facts in, lines out (names are escaped by the caller).

/** fping's sprint_tm: a time in ms with 3, 2, 1 or 0 decimals as it grows (C's %.3e past 10^6 ms). */
export function fpingMs(ms: number): string {
  if (ms < 0) return formatG2(ms);
  if (ms < 1) return ms.toFixed(3);
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  if (ms < 1_000_000) return ms.toFixed(0);
  const [mantissa, exponent] = ms.toExponential(3).split('e') as [string, string];
  const e = Number(exponent);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

// C's %.2g, for the negative times fping never expects to see.
function formatG2(value: number): string {
  const [mantissa, exponent] = value.toExponential(1).split('e') as [string, string];
  const e = Number(exponent);
  if (e < -4 || e >= 2) return `${mantissa.replace(/\.0$/, '')}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(Number(value.toPrecision(2)));
}

/** fping's integer loss percent: (sent - received) * 100 / sent, truncated; 0 when nothing was sent. */
export function lossPercent(sent: number, received: number): number {
  return sent > 0 ? Math.trunc(((sent - received) * 100) / sent) : 0;
}

/** `[1700000000.12345] `: fping -D's prefix, the wall clock in seconds. */
export function timestampPrefix(epochMs: number): string {
  return `[${(epochMs / 1000).toFixed(5)}] `;
}

/** What a per-probe line says of its target so far. */
export interface ProbeTally {
  /** Probes whose outcome is known (answered, timed out, errored), this one included. */
  settled: number;
  /** Of those, answered. */
  received: number;
  /** Sum of their RTTs, ms. */
  rttSumMs: number;
}

/** -c's line for a reply: `host : [0], 64 bytes, 0.045 ms (0.045 avg, 0% loss)`. */
export function replyLine(host: string, probe: number, bytes: number, rttMs: number, tally: ProbeTally): string {
  return `${host} : [${probe}], ${bytes} bytes, ${fpingMs(rttMs)} ms (${fpingMs(tally.rttSumMs / tally.received)} avg, ${lossPercent(tally.settled, tally.received)}% loss)`;
}

/** -c's line for a probe that timed out: `host : [1], timed out (NaN avg, 100% loss)`. */
export function timedOutLine(host: string, probe: number, tally: ProbeTally): string {
  const avg = tally.received > 0 ? fpingMs(tally.rttSumMs / tally.received) : 'NaN';
  return `${host} : [${probe}], timed out (${avg} avg, ${lossPercent(tally.settled, tally.received)}% loss)`;
}

/** fping's line for a duplicate reply (on stderr): `host : duplicate for [0], 64 bytes, 0.05 ms`. */
export function duplicateLine(host: string, probe: number, bytes: number, rttMs: number): string {
  return `${host} : duplicate for [${probe}], ${bytes} bytes, ${fpingMs(rttMs)} ms`;
}

/** A target's figures as the statistics lines show them. */
export interface TargetFigures {
  sent: number;
  received: number;
  /** RTTs of the replies, ms; null without one. */
  rtt: { min: number; avg: number; max: number } | null;
  /** With -o: unanswered probes times the interval, ms. */
  outageMs?: number;
}

/** -c's statistics line, and -Q's: `host : xmt/rcv/%loss = 3/3/0%[, outage(ms) = 0][, min/avg/max = a/b/c]`. */
export function statisticsLine(host: string, f: TargetFigures): string {
  let line = `${host} : xmt/rcv/%loss = ${f.sent}/${f.received}/${lossPercent(f.sent, f.received)}%`;
  if (f.outageMs !== undefined) line += `, outage(ms) = ${Math.trunc(f.outageMs)}`;
  if (f.rtt !== null && f.received > 0) line += `, min/avg/max = ${fpingMs(f.rtt.min)}/${fpingMs(f.rtt.avg)}/${fpingMs(f.rtt.max)}`;
  return line;
}

/** -C's line: every probe's RTT in order, `-` for one without a reply: `host : 0.05 - 0.04`. */
export function rttListLine(host: string, rtts: readonly (number | null)[]): string {
  return `${host} :${rtts.map((r) => (r === null ? ' -' : ` ${fpingMs(r)}`)).join('')}`;
}

/** -Q's heading of each report: the local time, `[14:03:59]`. */
export function reportHeading(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `[${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}]`;
}

/** The totals -s prints at the end. */
export interface RunTotals {
  targets: number;
  alive: number;
  unreachable: number;
  unknown: number;
  timeouts: number;
  sent: number;
  received: number;
  otherIcmp: number;
  /** Over every reply of the run, ms; null without any. */
  rtt: { min: number; avg: number; max: number } | null;
  elapsedMs: number;
}

/** -s's block, as fping prints it (on stderr), from its blank first line to its blank last one. */
export function totalsLines(t: RunTotals): string[] {
  const n = (value: number): string => String(value).padStart(7);
  const rtt = t.rtt ?? { min: 0, avg: 0, max: 0 };
  return [
    '',
    ` ${n(t.targets)} targets`,
    ` ${n(t.alive)} alive`,
    ` ${n(t.unreachable)} unreachable`,
    ` ${n(t.unknown)} unknown addresses`,
    '',
    ` ${n(t.timeouts)} timeouts (waiting for response)`,
    ` ${n(t.sent)} ICMP Echos sent`,
    ` ${n(t.received)} ICMP Echo Replies received`,
    ` ${n(t.otherIcmp)} other ICMP received`,
    '',
    ` ${fpingMs(rtt.min)} ms (min round trip time)`,
    ` ${fpingMs(rtt.avg)} ms (avg round trip time)`,
    ` ${fpingMs(rtt.max)} ms (max round trip time)`,
    ` ${(t.elapsedMs / 1000).toFixed(3).padStart(12)} sec (elapsed real time)`,
    '',
  ];
}

/** -x's verdict: `Enough hosts reachable (required: 2, reachable: 3)`, or `Not enough ...`. */
export function reachableLine(required: number, reachable: number): string {
  return `${reachable >= required ? 'Enough' : 'Not enough'} hosts reachable (required: ${required}, reachable: ${reachable})`;
}

// fping's names of ICMP errors (its icmp_unreach_str and icmp_type_str tables).
const UNREACHABLE_V4 = [
  'ICMP Network Unreachable',
  'ICMP Host Unreachable',
  'ICMP Protocol Unreachable',
  'ICMP Port Unreachable',
  'ICMP Unreachable (Fragmentation Needed)',
  'ICMP Unreachable (Source Route Failed)',
  'ICMP Unreachable (Destination Network Unknown)',
  'ICMP Unreachable (Destination Host Unknown)',
  'ICMP Unreachable (Source Host Isolated)',
  'ICMP Unreachable (Communication with Network Prohibited)',
  'ICMP Unreachable (Communication with Host Prohibited)',
  'ICMP Unreachable (Network Unreachable For Type Of Service)',
  'ICMP Unreachable (Host Unreachable For Type Of Service)',
  'ICMP Unreachable (Communication Administratively Prohibited)',
  'ICMP Unreachable (Host Precedence Violation)',
  'ICMP Unreachable (Precedence cutoff in effect)',
];
const OTHER_V4: Readonly<Record<number, string>> = {
  4: 'ICMP Source Quench',
  5: 'ICMP Redirect',
  11: 'ICMP Time Exceeded',
  12: 'ICMP Parameter Problem',
};
// fping reads ICMPv6 errors with the IPv4 tables, which names them wrongly; these are
// RFC 4443's names in fping's style.
const UNREACHABLE_V6 = [
  'ICMPv6 No Route to Destination',
  'ICMPv6 Communication with Destination Administratively Prohibited',
  'ICMPv6 Beyond Scope of Source Address',
  'ICMPv6 Address Unreachable',
  'ICMPv6 Port Unreachable',
  'ICMPv6 Source Address Failed Ingress/Egress Policy',
  'ICMPv6 Reject Route to Destination',
];
const OTHER_V6: Readonly<Record<number, string>> = {
  2: 'ICMPv6 Packet Too Big',
  3: 'ICMPv6 Time Exceeded',
  4: 'ICMPv6 Parameter Problem',
  137: 'ICMPv6 Redirect',
};

/** fping's name of an ICMP error: `ICMP Host Unreachable`, `ICMP Time Exceeded`, `ICMP 42`. */
export function icmpErrorName(family: 4 | 6, type: number, code: number): string {
  if (family === 4) {
    if (type === 3) return UNREACHABLE_V4[code] ?? 'ICMP Unreachable (Invalid Code)';
    return OTHER_V4[type] ?? `ICMP ${type}`;
  }
  if (type === 1) return UNREACHABLE_V6[code] ?? 'ICMPv6 Destination Unreachable (Invalid Code)';
  return OTHER_V6[type] ?? `ICMPv6 ${type}`;
}

/** fping's line for an ICMP error about a probe: `ICMP Host Unreachable from 10.0.0.1 for ICMP Echo sent to 10.0.0.2`. */
export function icmpErrorLine(name: string, from: string, host: string): string {
  return `${name} from ${from} for ICMP Echo sent to ${host}`;
}
