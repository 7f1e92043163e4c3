// The exporter's sockets. The CLI opens one set (both families, default settings) while it is
// still privileged, then drops the privilege; the config is read only after that. A group
// with its own tos or source needs a socket with those settings: the pool opens it then,
// which works where ICMP datagram sockets are allowed (ping_group_range) and fails where
// only raw sockets are (their privilege is gone by then). Such a group is then refused with
// a message that says so: at start the exporter exits, on a reload the running config stays.
import { openSockets, type SocketSet } from '../../index.js';
import type { ProbeSettings } from './target-prober.js';

/** The sockets by socket settings (tos, source). */
export class SocketPool {
  readonly #main: SocketSet;
  readonly #mode: 'auto' | 'raw' | 'dgram';
  readonly #sets = new Map<string, SocketSet | Error>();

  /** @param main the set opened before the drop, with no tos and no source */
  constructor(main: SocketSet, mode: 'auto' | 'raw' | 'dgram') {
    this.#main = main;
    this.#mode = mode;
  }

  /** The set for `settings`; throws Error saying why there is none. */
  socketsFor(settings: Pick<ProbeSettings, 'tos' | 'source'>): SocketSet {
    if (settings.tos === 0 && settings.source === '') return this.#main;
    const key = `${settings.tos}|${settings.source}`;
    let found = this.#sets.get(key);
    if (found === undefined) {
      const set = openSockets({
        mode: this.#mode,
        families: [...new Set(this.#main.opened.map((s) => s.family))],
        ...(settings.tos !== 0 ? { tos: settings.tos } : {}),
        ...(settings.source !== '' ? { source: settings.source } : {}),
      });
      const what = [settings.tos !== 0 ? `tos ${settings.tos}` : '', settings.source !== '' ? `source ${settings.source}` : '']
        .filter((w) => w !== '')
        .join(' and ');
      if (set.opened.length > 0) found = set;
      else {
        const cause = set.failed[0]?.error;
        found = new Error(
          `no socket with ${what}: it must be opened after the privilege drop, and this process may not open one ` +
            `(${cause instanceof Error ? cause.message : String(cause)}); allow ICMP datagram sockets for its group ` +
            '(sysctl net.ipv4.ping_group_range), or give the group the default tos and source',
        );
      }
      this.#sets.set(key, found);
    }
    if (found instanceof Error) throw found;
    return found;
  }

  /**
   * Datagrams the kernel dropped at the pool's sockets because a receive queue was full, since
   * they were opened: the sum of SocketSet.kernelDrops() over the sets (each its own engine,
   * so nothing is counted twice). The kernel's per-socket counter (sk_drops), the same one the
   * `drops` column of /proc/net/raw and /proc/net/icmp shows, read from the sockets themselves.
   */
  kernelDrops(): number {
    let sum = this.#main.kernelDrops();
    for (const set of this.#sets.values()) if (!(set instanceof Error)) sum += set.kernelDrops();
    return sum;
  }

  /** Closes every socket. */
  close(): void {
    this.#main.close();
    for (const set of this.#sets.values()) if (!(set instanceof Error)) set.close();
  }
}
