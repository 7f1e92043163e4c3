// Datagrams the kernel dropped because this process's ICMP sockets' receive queues were full:
// the `drops` column of /proc/net/raw, raw6, icmp and icmp6 for the sockets this process
// holds (found by inode through /proc/self/fd). A drop is a reply the exporter never saw, so
// the loss it shows is ours, not the network's: the metric says which.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const TABLES = ['/proc/net/raw', '/proc/net/raw6', '/proc/net/icmp', '/proc/net/icmp6'];

/** The inodes of the sockets this process holds. */
function ownSocketInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const link = readlinkSync(`/proc/self/fd/${fd}`);
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m !== null) inodes.add(m[1] as string);
    } catch {
      // Closed meanwhile (the readdir's own descriptor, among others).
    }
  }
  return inodes;
}

/** Sum of `drops` over the rows of one /proc/net table (its text) whose inode is in `inodes`. */
export function dropsIn(table: string, inodes: ReadonlySet<string>): number {
  const lines = table.split('\n');
  const header = (lines[0] ?? '').trim().split(/\s+/);
  // The header splits "tm->when" and "retrnsmt" like the rows do: columns line up by index.
  const inodeAt = header.indexOf('inode');
  const dropsAt = header.indexOf('drops');
  if (inodeAt < 0 || dropsAt < 0) return 0;
  let sum = 0;
  for (const line of lines.slice(1)) {
    const cols = line.trim().split(/\s+/);
    // A row has one column more than its header: "tx_queue rx_queue" is one field, "tr tm->when" two.
    const shift = cols.length - header.length;
    const inode = cols[inodeAt + shift];
    const drops = Number(cols[dropsAt + shift]);
    if (inode !== undefined && inodes.has(inode) && Number.isFinite(drops)) sum += drops;
  }
  return sum;
}

/** Receive-queue drops of this process's ICMP sockets since they were opened; null when /proc cannot tell. */
export function receiveDrops(): number | null {
  try {
    const inodes = ownSocketInodes();
    let sum = 0;
    for (const path of TABLES) {
      try {
        sum += dropsIn(readFileSync(path, 'utf8'), inodes);
      } catch {
        // No IPv6 in this kernel or namespace.
      }
    }
    return sum;
  } catch {
    return null;
  }
}
