// When the next probe of one target goes: preload, the drift-free interval, adaptive and flood
// pacing, retries with their back-off, the wait for the last replies. Pure: every function
// reads the session's config and the target's counters and returns clock milliseconds; the
// session loop owns the clock and the schedule.
import type { SessionConfig } from './session-config.js';

/** The pace of a target whose interval is 0 when no reply prompts the next probe (ping -f), ms. */
export const FLOOD_IDLE_MS = 10;
/**
 * The shortest wait for the last replies once some came back, ms. Ping waits 2 x the longest
 * RTT, but a loopback RTT is microseconds, and the event loop may take longer than twice that
 * to read a reply that has already arrived.
 */
export const LINGER_FLOOR_MS = 10;
/** The first wait after a send failed for lack of buffer space (ENOBUFS, EAGAIN), ms. */
export const BUSY_BACKOFF_MIN_MS = 10;
/** The longest wait between two such attempts, ms. */
export const BUSY_BACKOFF_MAX_MS = 500;

/** The settings pacing reads (a SessionConfig is one). */
export type PacingConfig = Pick<SessionConfig, 'intervalMs' | 'timeoutMs' | 'preload' | 'retries' | 'backoff' | 'adaptive' | 'minIntervalMs'>;

/** What pacing reads of a target (a TargetState is one). */
export interface PacedTarget {
  /** Probes counted as sent, the latest included. */
  readonly transmitted: number;
  /** Probes answered. */
  readonly received: number;
  /** Probes sent and not yet answered, errored or timed out. */
  readonly outstanding: number;
  /** When its latest probe was due, clock ms: the slot the next one follows. */
  readonly dueMs: number;
  /** Clock time of its latest send, ms. */
  readonly lastSendMs: number;
  /** All its probes are out and it waits for the last answers. */
  readonly lingering: boolean;
  /** iputils' smoothed RTT times 8, in microseconds (0 before any sample). */
  readonly smoothedRttTimes8Us: number;
  /** The longest RTT so far, ms (0 before any sample). */
  readonly maxRttMs: number;
}

/**
 * When the next probe of `t` is due, clock ms, after one was counted as sent (or as failed for
 * good) at `nowMs` and the target still wants more:
 * - the first `preload` probes go back to back (no retries);
 * - with retries, each wait is the timeout times `backoff` to the number of probes before;
 * - adaptive (ping -A): the smoothed RTT in whole ms (before a reply: the interval), and
 *   flood's idle pace when that rounds to 0; never under `minIntervalMs`;
 * - interval 0 (flood): the idle pace, as a reply sends the next one sooner;
 * - else the slot after the previous slot (drift-free; the first slot is when the first probe
 *   went), or a full interval after a probe that went late: a stalled event loop never makes
 *   the schedule burst the missed slots.
 */
export function nextDueMs(c: PacingConfig, t: PacedTarget, nowMs: number): number {
  if (t.transmitted < c.preload && c.retries === 0) return nowMs;
  if (c.retries > 0) return nowMs + c.timeoutMs * c.backoff ** (t.transmitted - 1);
  if (c.adaptive) {
    const gapMs = t.received > 0 ? Math.round(t.smoothedRttTimes8Us / 8000) : c.intervalMs;
    return nowMs + Math.max(c.minIntervalMs, gapMs > 0 ? gapMs : FLOOD_IDLE_MS);
  }
  if (c.intervalMs === 0) return nowMs + Math.max(c.minIntervalMs, FLOOD_IDLE_MS);
  // The first probe anchors the schedule where it went: in a sweep every target is due at the
  // start and the rate spreads the first sends, and fping counts each target's interval from
  // its own first send (else round 2 comes out of the order given).
  const slotMs = (t.transmitted === 1 ? nowMs : t.dueMs) + c.intervalMs;
  return slotMs <= nowMs ? nowMs + c.intervalMs : slotMs;
}

/**
 * True when a reply to `t` is the signal for its next probe: flood and adaptive pacing, while
 * fewer than `preload` probes are out and more are to go.
 */
export function replyPromptsProbe(c: Pick<PacingConfig, 'intervalMs' | 'adaptive' | 'preload'>, t: PacedTarget): boolean {
  return repliesPromptProbes(c) && t.outstanding < c.preload && !t.lingering;
}

/** True when a reply may prompt its target's next probe (flood, adaptive): see replyPromptsProbe. */
export function repliesPromptProbes(c: Pick<PacingConfig, 'intervalMs' | 'adaptive'>): boolean {
  return c.intervalMs === 0 || c.adaptive;
}

/**
 * True when replies alone clock the probes (flood, adaptive) with no smallest gap and no
 * retries: then the probes after the next may wait in the socket, which sends one per datagram
 * it receives, and the pace is unchanged (a reply lets one probe go at once, as before).
 */
export function repliesClockProbes(c: Pick<PacingConfig, 'intervalMs' | 'adaptive' | 'minIntervalMs' | 'retries'> & { stopOnReply: boolean }): boolean {
  return (c.intervalMs === 0 || c.adaptive) && c.minIntervalMs === 0 && c.retries === 0 && !c.stopOnReply;
}

/** When the probe a reply at `nowMs` prompted may go, clock ms: at once, or `minIntervalMs` after the last send. */
export function promptedDueMs(c: Pick<PacingConfig, 'minIntervalMs'>, t: PacedTarget, nowMs: number): number {
  return Math.max(nowMs, t.lastSendMs + c.minIntervalMs);
}

/**
 * How long a target whose last probe is out waits for the last answers, ms, as ping does: twice
 * the longest RTT, at least one interval and LINGER_FLOOR_MS, once something came back (and
 * there are no retries). Null otherwise: then the wait is the full timeout, which is when the
 * last probe expires and ends the target by itself.
 */
export function lingerMs(c: Pick<PacingConfig, 'intervalMs' | 'retries'>, t: PacedTarget): number | null {
  if (!(t.received > 0 && c.retries === 0)) return null;
  return Math.max(2 * t.maxRttMs, c.intervalMs, LINGER_FLOOR_MS);
}

/**
 * How long a probe's record waits for its answer, ms: the timeout, or with retries until the
 * last retry's wait is over (a late answer to the first probe still counts).
 */
export function probeLifetimeMs(c: Pick<PacingConfig, 'timeoutMs' | 'backoff' | 'retries'>): number {
  return c.timeoutMs * c.backoff ** c.retries;
}

/**
 * The wait before trying a probe again after `failures` (>= 1) sends in a row failed for lack
 * of buffer space, ms: doubling from BUSY_BACKOFF_MIN_MS up to BUSY_BACKOFF_MAX_MS.
 */
export function busyBackoffMs(failures: number): number {
  return Math.min(BUSY_BACKOFF_MAX_MS, BUSY_BACKOFF_MIN_MS * 2 ** (failures - 1));
}
