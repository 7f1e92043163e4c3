// When a target stops sending and when it is done, as ping and fping decide it. Pure: reads the
// session's config and the target's counters.
import type { PingSummary } from './ping-event.js';
import type { SessionConfig } from './session-config.js';

/** The settings completion reads (a SessionConfig is one). */
export type CompletionConfig = Pick<SessionConfig, 'count' | 'deadlineMs' | 'retries' | 'stopOnReply'>;

/** The counters completion reads of a target (a TargetState is one). */
export interface TargetProgress {
  /** Probes counted as sent (failed sends included). */
  readonly transmitted: number;
  /** Probes answered. */
  readonly received: number;
  /** Probes that ended in an ICMP error or a send error. */
  readonly errors: number;
  /** Probes sent and not yet answered, errored or timed out. */
  readonly outstanding: number;
}

/**
 * True while the target should keep sending. With a deadline (and no retries) `count` means
 * replies, as ping -c with -w: sending goes on until that many came.
 */
export function wantsMoreProbes(c: CompletionConfig, t: TargetProgress): boolean {
  if (c.deadlineMs !== null && c.retries === 0) return !Number.isFinite(c.count) || t.received < c.count;
  return t.transmitted < c.count;
}

/**
 * True when the target is done: at its first reply for reachability checks; as ping, when
 * enough probes were answered or errored, or with a deadline at any error; else once every
 * probe is out and settled.
 */
export function isComplete(c: CompletionConfig, t: TargetProgress): boolean {
  if (c.stopOnReply && t.received > 0) return true;
  if (Number.isFinite(c.count) && c.retries === 0 && t.received + t.errors >= c.count) return true;
  if (c.deadlineMs !== null && t.errors > 0 && c.retries === 0) return true;
  return c.deadlineMs === null && t.transmitted >= c.count && t.outstanding === 0;
}

/** How a complete target's summary names its end: 'reachable' when a reachability check got its reply. */
export function completeEnd(c: CompletionConfig, t: TargetProgress): PingSummary['end'] {
  return c.stopOnReply && t.received > 0 ? 'reachable' : 'count';
}
