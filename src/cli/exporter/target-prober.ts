// Probing the targets for ever, through the public API: targets of the same settings are run
// in chunks, each chunk one long-lived pingEach (one session, one timer, batched sends), its
// start placed in the interval and its first probes spread over its slice of it by the rate
// cap, so 10000 targets go out as an even stream instead of a burst at start or after a
// reload. Every later probe of a target follows its own drift-free schedule from its first.
//
// A change of the target list restarts only the chunks it touches. A probe in flight when
// its chunk stops is counted nowhere (requests count probes whose fate is known), so a reload
// or an address change never shows as loss.
import { pingEach, type PingEvent, type SocketSet } from '../../index.js';
import type { TargetSeries } from './target-series.js';

/** The settings a chunk's probes share. */
export interface ProbeSettings {
  intervalMs: number;
  timeoutMs: number;
  size: number;
  /** 0 for the system's default. */
  tos: number;
  /** '' for the route's. */
  source: string;
}

/** One target as the prober runs it. */
export interface ProbeTarget {
  /** Identity across reloads: host and labels. */
  key: string;
  host: string;
  /** The address probed; '' while the name has never resolved (nothing is sent). */
  address: string;
  settings: ProbeSettings;
  series: TargetSeries;
}

/** Targets per chunk: a restart touches at most this many; fewer chunks mean fewer wake-ups. */
export const CHUNK_TARGETS = 256;
/** The rate cap over a chunk's slice of the interval: room to catch up after a late timer. */
const RATE_HEADROOM = 1.25;

/** What the prober reports. */
export interface ProberHooks {
  /** The socket set for these settings (throws when none can be had). */
  socketsFor(settings: ProbeSettings): SocketSet;
  /** A chunk could not run (its targets get no probes): why, and the hosts it held. */
  onChunkError(error: unknown, hosts: readonly string[]): void;
}

function settingsKey(s: ProbeSettings): string {
  return `${s.intervalMs}|${s.timeoutMs}|${s.size}|${s.tos}|${s.source}`;
}

/** What a target's membership in a chunk depends on: where it is sent and how. */
function runKey(t: ProbeTarget): string {
  return `${t.key}|${t.address}|${settingsKey(t.settings)}`;
}

class Chunk {
  readonly members: ProbeTarget[];
  #stop: (() => void) | null = null;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  readonly done: Promise<void>;
  #finish!: () => void;

  constructor(members: ProbeTarget[], offsetMs: number, windowMs: number, hooks: ProberHooks) {
    this.members = members;
    this.done = new Promise((resolve) => (this.#finish = resolve));
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#run(windowMs, hooks);
    }, offsetMs);
  }

  async #run(windowMs: number, hooks: ProberHooks): Promise<void> {
    const settings = (this.members[0] as ProbeTarget).settings;
    const byAddress = new Map<string, TargetSeries[]>();
    for (const m of this.members) {
      const list = byAddress.get(m.address);
      if (list === undefined) byAddress.set(m.address, [m.series]);
      else list.push(m.series);
    }
    const onEvent = (event: PingEvent): void => {
      const list = byAddress.get(event.address);
      if (list !== undefined) for (const s of list) count(s, event);
    };
    try {
      const sockets = hooks.socketsFor(settings);
      if (this.#stopped) return;
      const run = pingEach([...byAddress.keys()], {
        count: Infinity,
        interval: settings.intervalMs,
        timeout: settings.timeoutMs,
        size: settings.size,
        ...(settings.tos !== 0 ? { tos: settings.tos } : {}),
        ...(settings.source !== '' ? { source: settings.source } : {}),
        sockets,
        rate: Math.min(10_000_000, (RATE_HEADROOM * byAddress.size * 1000) / windowMs),
        onEvent,
        onStart: (control) => {
          this.#stop = control.stop;
          if (this.#stopped) control.stop();
        },
      });
      // Summaries come only when the chunk stops; the figures came with the events.
      for await (const summary of run) if (summary.end !== 'stopped') hooks.onChunkError(new Error(`probing ended: ${summary.end}`), [summary.target]);
    } catch (error) {
      if (!this.#stopped)
        hooks.onChunkError(
          error,
          this.members.map((m) => m.host),
        );
    } finally {
      this.#finish();
    }
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
      this.#finish();
    }
    this.#stop?.();
  }
}

/** What one event of a probe adds to a target's figures. */
export function count(s: TargetSeries, event: PingEvent): void {
  switch (event.type) {
    case 'reply':
      s.requests++;
      s.reply(event.rttMs / 1000, event.ttl, Date.now() / 1000);
      break;
    case 'duplicate':
      s.duplicates++;
      break;
    case 'timeout':
      s.requests++;
      s.timeouts++;
      break;
    case 'late':
      s.late++;
      break;
    case 'corrupted':
      s.corrupted++;
      break;
    case 'error':
      // Redirects and source quench advise: the probe's reply may still come.
      if (!event.advisory) s.requests++;
      s.icmpError(event.kind, event.icmpCode);
      break;
    case 'send-error':
      // A probe that did not leave for lack of buffer space is sent again: not yet a result.
      if (!event.retried) s.requests++;
      s.sendError(event.code);
      break;
    default:
      break;
  }
}

/** The targets being probed, in chunks; `sync` makes the running set match a new list. */
export class TargetProber {
  readonly #hooks: ProberHooks;
  readonly #chunks = new Set<Chunk>();
  readonly #chunkOf = new Map<string, Chunk>();

  constructor(hooks: ProberHooks) {
    this.#hooks = hooks;
  }

  /** Number of chunks running (or waiting for their start). */
  get chunks(): number {
    return this.#chunks.size;
  }

  /**
   * Probes exactly `targets` from now on. Chunks whose members are all unchanged go on as they
   * are; a chunk that lost or changed a member restarts with the rest; new targets start in new
   * chunks, spread over their interval.
   */
  sync(targets: readonly ProbeTarget[]): void {
    const wanted = new Map<string, ProbeTarget>();
    for (const t of targets) if (t.address !== '') wanted.set(runKey(t), t);
    const keep = new Set<Chunk>();
    for (const chunk of this.#chunks) {
      // Unchanged: the same target (its series, so its labels) at the same address with the same settings.
      if (chunk.members.every((m) => wanted.get(runKey(m))?.series === m.series)) keep.add(chunk);
    }
    const fresh: ProbeTarget[] = [];
    for (const [key, t] of wanted) {
      const chunk = this.#chunkOf.get(key);
      if (chunk === undefined || !keep.has(chunk)) fresh.push(t);
    }
    for (const chunk of this.#chunks) if (!keep.has(chunk)) chunk.stop();
    this.#chunks.clear();
    this.#chunkOf.clear();
    for (const chunk of keep) this.#add(chunk);

    const bySettings = new Map<string, ProbeTarget[]>();
    for (const t of fresh) {
      // One family per chunk: a family the sockets lack fails that chunk alone.
      const k = `${settingsKey(t.settings)}|${t.address.includes(':') ? 6 : 4}`;
      const list = bySettings.get(k);
      if (list === undefined) bySettings.set(k, [t]);
      else list.push(t);
    }
    for (const list of bySettings.values()) {
      const intervalMs = (list[0] as ProbeTarget).settings.intervalMs;
      const n = Math.ceil(list.length / CHUNK_TARGETS);
      const windowMs = intervalMs / n;
      // Chunks one after the other through the interval, from a random phase: no two reloads
      // line their bursts up.
      const phaseMs = Math.random() * windowMs;
      for (let i = 0; i < n; i++) {
        this.#add(new Chunk(list.slice(i * CHUNK_TARGETS, (i + 1) * CHUNK_TARGETS), phaseMs + i * windowMs, windowMs, this.#hooks));
      }
    }
  }

  #add(chunk: Chunk): void {
    this.#chunks.add(chunk);
    for (const m of chunk.members) this.#chunkOf.set(runKey(m), chunk);
  }

  /** Stops every chunk; resolves when they have ended. */
  async stop(): Promise<void> {
    const chunks = [...this.#chunks];
    this.#chunks.clear();
    this.#chunkOf.clear();
    for (const chunk of chunks) chunk.stop();
    await Promise.all(chunks.map((c) => c.done));
  }
}
