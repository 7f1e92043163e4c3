// The hop table as text, as mtr's report lays it out (one line per hop, the figures in columns),
// with rawping's Lim column and traceroute's marks for the errors that end a path. Pure:
// figures in, lines out.
import type { TraceHop } from '../../index.js';

/** How hosts are shown: an address as it is, or with its name (-H). */
export type HostNamer = (address: string) => string;

const COLUMNS = ['Loss%', 'Snt', 'Lim', 'Last', 'Avg', 'Best', 'Wrst', 'StDev', 'Jitter'] as const;
const WIDTHS = [6, 5, 5, 8, 8, 8, 8, 8, 8] as const;
/** The host column is at least this wide, so the figures stay put while a live table grows. */
const MIN_HOST_WIDTH = 26;
/** A longer host (a long name) pushes its figures right rather than being cut. */
const MAX_HOST_WIDTH = 60;

/** An RTT in ms as the table shows it: three decimals, one from a second up. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '';
  return ms >= 1000 ? ms.toFixed(1) : ms.toFixed(3);
}

/** traceroute's marks of a hop's errors, `!F` with its MTU (`!F-1400`). */
function marks(hop: TraceHop): string {
  return hop.errors.map((e) => (e.mtu !== null && e.mark === '!F' ? `!F-${e.mtu}` : e.mark)).join(' ');
}

/** What the host column says for a hop: its first address (and marks), or why there is none. */
function hostText(hop: TraceHop, name: HostNamer): string {
  const first = hop.addresses[0];
  if (first === undefined) {
    if (hop.sent === 0) return '...';
    // Never answered: its own silence when the hops after it answered, else the loss it shows.
    return hop.limited > 0 && hop.lost === 0 ? 'no reply (rate-limited or filtered)' : '???';
  }
  const m = marks(hop);
  return m.length > 0 ? `${name(first.address)} ${m}` : name(first.address);
}

function figures(hop: TraceHop): string[] {
  const rtt = hop.rtt;
  return [
    `${hop.loss.toFixed(1)}%`,
    String(hop.sent),
    String(hop.limited),
    formatMs(hop.lastMs),
    formatMs(rtt?.avg ?? null),
    formatMs(rtt?.min ?? null),
    formatMs(rtt?.max ?? null),
    formatMs(rtt?.mdev ?? null),
    formatMs(rtt?.jitter ?? null),
  ];
}

/** What a hop's errors said, in ping's words, one line each: `!H Destination Host Unreachable (2 of 3)`. */
function errorLines(hop: TraceHop): string[] {
  return hop.errors.map((e) => `${e.mtu !== null && e.mark === '!F' ? `!F-${e.mtu}` : e.mark} ${e.reason} (${e.count} of ${hop.sent})`);
}

/**
 * The table's lines: the column titles, then per hop its number, host and figures, a line
 * for every other address that answered for it (a path that changed), and one for each ICMP
 * error it answered with, in ping's words.
 */
export function traceTableLines(hops: readonly TraceHop[], name: HostNamer = (a) => a): string[] {
  const hosts = hops.map((hop) => hostText(hop, name));
  const others = hops.map((hop) => hop.addresses.slice(1).map((a) => name(a.address)));
  const longest = Math.max(0, ...hosts.map((h) => h.length), ...others.flat().map((h) => h.length));
  const width = Math.min(MAX_HOST_WIDTH, Math.max(MIN_HOST_WIDTH, longest));
  const row = (hop: string, host: string, cells: readonly string[]): string =>
    `${hop.padStart(4)}  ${host.padEnd(width)}${cells.map((c, i) => c.padStart(WIDTHS[i] as number)).join('')}`.trimEnd();
  const lines = [row('Hop', 'Host', COLUMNS)];
  hops.forEach((hop, i) => {
    lines.push(row(`${hop.hop}.`, hosts[i] as string, figures(hop)));
    for (const other of others[i] as string[]) lines.push(row('', other, []));
    for (const error of errorLines(hop)) lines.push(row('', error, []));
  });
  return lines;
}

/**
 * The notes under a table: why a router was sent fewer probes than the rounds, and what Lim
 * counts, when a hop shows either.
 */
export function tableNotes(hops: readonly TraceHop[], rounds: number): string[] {
  const notes: string[] = [];
  if (hops.some((h) => !h.destination && h.sent < rounds && h.sent > 0)) {
    notes.push("Snt: a router is probed only as often as Linux's default ICMP rate limit lets it answer (6, then one a second).");
  }
  if (hops.some((h) => h.limited > 0)) {
    notes.push('Lim: probes left unanswered while a later hop answered: that hop rate-limits or filters its ICMP; not loss.');
  }
  return notes;
}
