// Probing the targets for ever, through the public API: targets of the same settings are run
// in chunks of at most CHUNK_TARGETS, each chunk one long-lived pingEach (one session, one
// timer). A chunk's probes go together, in one batch (sendmmsg), and their replies come back
// in one or two batches: the CPU goes with the number of wake-ups, which this keeps to a few
// per chunk and interval. The chunks' starts are spread evenly over the interval, so 10000
// targets go out as 79 small bursts a second, never one burst of 10000 at start or after a
// reload. Every later probe of a target follows its own drift-free schedule from its first.
//
// A change of the target list restarts only the chunks it touches. A probe in flight when
// its chunk stops is counted nowhere (requests count probes whose fate is known), so a reload
// or an address change never shows as loss.
import { pingEach, type PingEvent, type SocketSet } from '../../index.js';
import type { TargetSeries } from './target-series.js';
import { monotonicMs } from '../../pinger/clock.js';

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

/**
 * Targets per chunk: the most probes sent at once (the session sends at most 128 per turn of
 * the event loop), well within what a socket's default receive buffer holds (some 256
 * loopback replies); a restart touches at most this many.
 */
export const CHUNK_TARGETS = 32;

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

/**
 * Probes per target in one session of a chunk. A chunk runs for ever as a chain of sessions of
 * this many rounds, each started on the chunk's own drift-free schedule (the next while the
 * last still waits for its last replies): a session keeps RTT statistics per target that grow
 * to 8 KB past 64 samples, which the exporter does not use (10000 targets: 80 MB), and every
 * probe of a session is settled before it ends, so the chain loses none.
 */
export const ROUNDS_PER_SESSION = 60;

class Chunk {
  readonly members: ProbeTarget[];
  readonly #hooks: ProberHooks;
  readonly #settings: ProbeSettings;
  readonly #byAddress = new Map<string, TargetSeries[]>();
  readonly #stops = new Set<() => void>();
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #running = 0;
  #firstMs = 0;
  readonly done: Promise<void>;
  #finish!: () => void;

  constructor(members: ProbeTarget[], offsetMs: number, hooks: ProberHooks) {
    this.members = members;
    this.#hooks = hooks;
    this.#settings = (members[0] as ProbeTarget).settings;
    for (const m of members) {
      const list = this.#byAddress.get(m.address);
      if (list === undefined) this.#byAddress.set(m.address, [m.series]);
      else list.push(m.series);
    }
    this.done = new Promise((resolve) => (this.#finish = resolve));
    this.#timer = setTimeout(() => {
      this.#firstMs = monotonicMs();
      this.#session(0);
    }, offsetMs);
  }

  /** Starts session `k` of the chain, and the timer of the next. */
  #session(k: number): void {
    this.#timer = null;
    if (this.#stopped) return;
    const settings = this.#settings;
    let sockets;
    try {
      sockets = this.#hooks.socketsFor(settings);
    } catch (error) {
      this.#fail(error);
      return;
    }
    const onEvent = (event: PingEvent): void => {
      // The kernel's drops are read from the sockets for their own metric, not per target.
      if (event.type === 'drops') return;
      const list = this.#byAddress.get(event.address);
      if (list !== undefined) for (const s of list) count(s, event);
    };
    let stop: (() => void) | null = null;
    const run = pingEach([...this.#byAddress.keys()], {
      count: ROUNDS_PER_SESSION,
      interval: settings.intervalMs,
      timeout: settings.timeoutMs,
      size: settings.size,
      ...(settings.tos !== 0 ? { tos: settings.tos } : {}),
      ...(settings.source !== '' ? { source: settings.source } : {}),
      sockets,
      // The chunk's probes go out together; the chunks are what is spread.
      rate: 0,
      onEvent,
      onStart: (control) => {
        stop = control.stop;
        this.#stops.add(control.stop);
        if (this.#stopped) control.stop();
      },
    });
    this.#running++;
    void (async () => {
      try {
        // The figures come with the events; a summary says only that a target's session ended
        // (or, never for the addresses the registry checked, that one could not be pinged).
        for await (const summary of run) if (summary.end === 'unresolved') this.#hooks.onChunkError(new Error(summary.error ?? 'unresolved'), [summary.target]);
      } catch (error) {
        this.#fail(error);
      } finally {
        if (stop !== null) this.#stops.delete(stop);
        this.#running--;
        if (this.#stopped && this.#running === 0) this.#finish();
      }
    })();
    const nextMs = this.#firstMs + (k + 1) * ROUNDS_PER_SESSION * settings.intervalMs;
    this.#timer = setTimeout(() => this.#session(k + 1), Math.max(0, nextMs - monotonicMs()));
  }

  #fail(error: unknown): void {
    if (this.#stopped) return;
    this.#hooks.onChunkError(
      error,
      this.members.map((m) => m.host),
    );
    this.stop();
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    for (const stop of [...this.#stops]) stop();
    if (this.#running === 0) this.#finish();
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
      const gapMs = intervalMs / n;
      // Chunks one after the other through the interval, from a random phase: no two reloads
      // line their bursts up.
      const phaseMs = Math.random() * gapMs;
      for (let i = 0; i < n; i++) {
        this.#add(new Chunk(list.slice(i * CHUNK_TARGETS, (i + 1) * CHUNK_TARGETS), phaseMs + i * gapMs, this.#hooks));
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
