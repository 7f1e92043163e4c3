import { validateOptions } from '../../src/options/validate-options.js';
import { Engine, type SocketSpec } from '../../src/pinger/engine.js';
import type { PingEvent, PingSummary } from '../../src/pinger/ping-event.js';
import { runSession, type RunningSession } from '../../src/pinger/run-session.js';
import type { SessionConfig } from '../../src/pinger/session.js';
import type { ResolvedTarget } from '../../src/pinger/resolved-target.js';
import { socketSetOn, type SocketSet } from '../../src/runtime/socket-set.js';
import { FakeNetwork } from './fake-network.js';
import { VirtualClock } from './virtual-clock.js';

/** A session config with ping()'s defaults (from the option table), overridable per test. */
export function config(overrides: Partial<SessionConfig> = {}): SessionConfig {
  return { ...validateOptions().session, ...overrides };
}

export function target(address: string, family: 4 | 6 = address.includes(':') ? 6 : 4): ResolvedTarget {
  return { target: address, address, family, scopeId: 0 };
}

/** An engine over a fake network on a virtual clock, with helpers to run sessions on it. */
export class Harness {
  readonly clock: VirtualClock;
  readonly network: FakeNetwork;
  readonly engine: Engine;
  readonly events: PingEvent[] = [];

  /** @param clock the virtual clock to run on (default: one whose timers fire exactly on time) */
  constructor(clock = new VirtualClock()) {
    this.clock = clock;
    this.network = new FakeNetwork(clock);
    this.engine = new Engine({ openSocket: this.network.open, clock, identifier: 0x1234 });
  }

  start(targets: ResolvedTarget[], cfg: SessionConfig, signal?: AbortSignal): RunningSession {
    return runSession({ engine: this.engine, targets, config: cfg, socket: { mode: 'raw' }, emit: (e) => this.events.push(e), signal });
  }

  /** A sealed socket set on this harness's fake network and clock: the public API (`{ sockets }`) run without the addon. */
  sockets(spec: SocketSpec = { mode: 'auto' }, families: (4 | 6)[] = [4, 6]): SocketSet {
    return socketSetOn({ openSocket: this.network.open, clock: this.clock, identifier: 0x1234 }, spec, families);
  }

  /** Runs a session to its end on the virtual clock and returns its summaries. */
  async run(targets: ResolvedTarget[], cfg: SessionConfig, limitMs = 1e7): Promise<PingSummary[]> {
    const running = this.start(targets, cfg);
    let summaries: PingSummary[] | undefined;
    void running.done.then((s) => (summaries = s));
    const start = this.clock.now();
    while (!running.session.ended && this.clock.now() - start < limitMs && this.clock.advanceToNext()) {
      // each step runs the next timer: a send, an expiry or a scripted reply
    }
    return summaries ?? (await running.done);
  }

  /** The events of one type, typed as such (an intersection: ReplyEvent carries 'reply' | 'duplicate'). */
  of<T extends PingEvent['type']>(type: T): (PingEvent & { type: T })[] {
    return this.events.filter((e): e is PingEvent & { type: T } => e.type === type);
  }
}
