// iputils ping's text output, byte for byte in the C locale (release 20221126 and later;
// where they differ, the current upstream wording). Pure: strings in, strings out.
import type { IputilsRtt } from '../pinger/rtt-summary.js';

/** ping's `time=` value for an RTT in whole microseconds: 3, 2, 1 or 0 decimals, rounded half up above 1 ms. */
function formatReplyTime(us: number): string {
  if (us >= 99950) return `${Math.trunc((us + 500) / 1000)}`;
  if (us >= 9995) return `${Math.trunc((us + 50) / 1000)}.${Math.trunc(((us + 50) % 1000) / 100)}`;
  if (us >= 1000) return `${Math.trunc((us + 5) / 1000)}.${String(Math.trunc(((us + 5) % 1000) / 10)).padStart(2, '0')}`;
  return formatMicrosAsMs(us);
}

/** Whole microseconds as milliseconds with three decimals, truncated (ping's `%ld.%03ld`). */
function formatMicrosAsMs(us: number): string {
  const whole = Math.trunc(us);
  return `${Math.trunc(whole / 1000)}.${String(whole % 1000).padStart(3, '0')}`;
}

/** C's `%g` (6 significant digits, trailing zeros dropped) of the value rounded to a float, as ping prints loss. */
export function formatPercentG(value: number): string {
  const x = Math.fround(value);
  if (x === 0) return '0';
  // %g picks %e or %f by the exponent the value has once rounded to 6 digits (999999.5 is
  // 1e+06; 9.99999e-05 rounds to 0.0001), so round first, then choose.
  const [mantissa, exp] = x.toExponential(5).split('e') as [string, string];
  const exponent = Number(exp);
  const trim = (t: string): string => (t.includes('.') ? t.replace(/\.?0+$/, '') : t);
  if (exponent < -4 || exponent >= 6) return `${trim(mantissa)}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return trim(x.toFixed(5 - exponent));
}

/** What the PING line needs to know. */
export interface HeaderFacts {
  family: 4 | 6;
  /** The target as shown: as typed. */
  host: string;
  address: string;
  size: number;
  /** With -I or -B: the source address and device ('' when -I gave an address, or with -B alone). */
  source?: { address: string; device: string };
  /** IPv4 option bytes every probe carries (40 with -R or -T), counted in the IP size. Default 0. */
  optionBytes?: number;
  /** IPv6 flow label (-F), shown when not 0. */
  flowLabel?: number;
}

/** The PING line: `PING host (addr) 56(84) bytes of data.` / `PING host (addr) 56 data bytes`. */
export function headerLine(h: HeaderFacts): string {
  const from = h.source !== undefined ? `from ${h.source.address} ${h.source.device}: ` : '';
  if (h.family === 4) return `PING ${h.host} (${h.address}) ${from}${h.size}(${h.size + 28 + (h.optionBytes ?? 0)}) bytes of data.`;
  const flow = h.flowLabel !== undefined && h.flowLabel !== 0 ? `, flow 0x${h.flowLabel.toString(16).padStart(5, '0')}, ` : '';
  return `PING ${h.host} (${h.address}) ${flow}${from}${h.size} data bytes`;
}

/** The PATTERN line of -p. */
export function patternLine(pattern: Uint8Array): string {
  return `PATTERN: 0x${Buffer.from(pattern).toString('hex')}`;
}

/** The -D prefix for a wall-clock time in milliseconds since the epoch: `[1700000000.123456] `. */
export function timestampPrefix(epochMs: number): string {
  const us = Math.floor(epochMs * 1000);
  return `[${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}] `;
}

/** One reply line's facts. */
export interface ReplyFacts {
  bytes: number;
  from: string;
  sequence: number;
  /** -1 to leave ttl out. */
  ttl: number;
  /** RTT in whole microseconds, or null when timing is off (payload under 16 bytes). */
  us: number | null;
  truncated: boolean;
  duplicate: boolean;
  badChecksum: boolean;
  /** With -v: the echo identifier, printed as ping does (`ident=`). Default: not shown. */
  ident?: number;
}

/** `64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.045 ms` and its suffixes. */
export function replyLine(r: ReplyFacts): string {
  let line = `${r.bytes} bytes from ${r.from}: icmp_seq=${r.sequence}`;
  if (r.ident !== undefined) line += ` ident=${r.ident}`;
  if (r.ttl >= 0) line += ` ttl=${r.ttl}`;
  if (r.truncated) return `${line} (truncated)`;
  if (r.us !== null) line += ` time=${formatReplyTime(r.us)} ms`;
  if (r.duplicate) line += ' (DUP!)';
  if (r.badChecksum) line += ' (BAD CHECKSUM!)';
  return line;
}

/** `From 10.0.0.1 icmp_seq=3 Destination Host Unreachable`. */
export function errorLine(from: string, sequence: number, reason: string): string {
  return `From ${from} icmp_seq=${sequence} ${reason}`;
}

/** The figures of the statistics block. */
export interface StatisticsFacts {
  host: string;
  transmitted: number;
  received: number;
  duplicates: number;
  corrupted: number;
  errors: number;
  /** ms from the start to the last send, as ping measures "time". */
  timeMs: number;
  rtt: IputilsRtt | null;
  /** Largest number of probes outstanding when a reply came (printed when above 1). */
  pipe: number;
  /** Print ipg/ewma (flood, interval 0, adaptive) when there are replies and more than one probe. */
  ipgEwma: boolean;
  /** --percentiles: jitter and percentiles in ms, printed on a line of their own after the rtt line. Default: none. */
  spread?: { jitter: number; p50: number; p90: number; p99: number } | null;
}

/** Milliseconds with three decimals, as the rtt line shows them (truncated to whole microseconds). */
function formatMs(ms: number): string {
  return formatMicrosAsMs(Math.max(0, Math.trunc(ms * 1000)));
}

/** The blank line, `--- host ping statistics ---`, the counts line and the rtt line. */
export function statisticsBlock(s: StatisticsFacts): string {
  let counts = `${s.transmitted} packets transmitted, ${s.received} received`;
  if (s.duplicates > 0) counts += `, +${s.duplicates} duplicates`;
  if (s.corrupted > 0) counts += `, +${s.corrupted} corrupted`;
  if (s.errors > 0) counts += `, +${s.errors} errors`;
  if (s.transmitted > 0) {
    counts += `, ${formatPercentG(((s.transmitted - s.received) * 100) / s.transmitted)}% packet loss`;
    counts += `, time ${Math.round(s.timeMs)}ms`;
  }
  const parts: string[] = [];
  if (s.received > 0 && s.rtt !== null) {
    const r = s.rtt;
    parts.push(
      `rtt min/avg/max/mdev = ${formatMicrosAsMs(r.minUs)}/${formatMicrosAsMs(r.avgUs)}/${formatMicrosAsMs(r.maxUs)}/${formatMicrosAsMs(r.mdevUs)} ms`,
    );
  }
  if (s.pipe > 1) parts.push(`pipe ${s.pipe}`);
  if (s.ipgEwma && s.received > 0 && s.transmitted > 1 && s.rtt !== null) {
    const ipgUs = Math.trunc((s.timeMs * 1000) / (s.transmitted - 1));
    parts.push(`ipg/ewma ${formatMicrosAsMs(ipgUs)}/${formatMicrosAsMs(Math.trunc(s.rtt.ewmaTimes8Us / 8))} ms`);
  }
  const spread =
    s.spread !== undefined && s.spread !== null && s.received > 0
      ? `rtt jitter/p50/p90/p99 = ${formatMs(s.spread.jitter)}/${formatMs(s.spread.p50)}/${formatMs(s.spread.p90)}/${formatMs(s.spread.p99)} ms\n`
      : '';
  return `\n--- ${s.host} ping statistics ---\n${counts}\n${parts.join(', ')}\n${spread}`;
}

/** The SIGQUIT line (stderr): `\r3/3 packets, 0% loss, min/avg/ewma/max = ... ms`. */
export function statusLine(received: number, transmitted: number, rtt: IputilsRtt | null): string {
  const loss = transmitted > 0 ? Math.trunc(((transmitted - received) * 100) / transmitted) : 0;
  let line = `\r${received}/${transmitted} packets, ${loss}% loss`;
  if (received > 0 && rtt !== null) {
    line += `, min/avg/ewma/max = ${formatMicrosAsMs(rtt.minUs)}/${formatMicrosAsMs(rtt.avgUs)}/${formatMicrosAsMs(Math.trunc(rtt.ewmaTimes8Us / 8))}/${formatMicrosAsMs(rtt.maxUs)} ms`;
  }
  return `${line}\n`;
}
