/** How a session paces and ends its probes (already validated; see options/validate-options.ts). */
export interface SessionConfig {
  /** Probes per target; Infinity for no limit. With a deadline: replies to wait for. With retries: 1 + retries (resolveOptions sets it). */
  count: number;
  /** Gap between two probes of one target, ms. 0: send when the last probe is answered, at least every 10 ms. */
  intervalMs: number;
  /** How long a probe waits for its reply, ms; also how long a target waits after its last probe when nothing came. */
  timeoutMs: number;
  /** End of the whole run, ms after start; null for none. */
  deadlineMs: number | null;
  /** Probes sent back to back at the start of each target (>= 1). */
  preload: number;
  /** Echo payload bytes. */
  size: number;
  /** Fill pattern for the payload after the cookie; null for ping's default fill. */
  pattern: Uint8Array | null;
  /** Cap on sends per second across all targets; 0 for none. */
  ratePps: number;
  /** A target is done at its first reply (reachability checks). */
  stopOnReply: boolean;
  /** Extra probes after a timeout when no reply came yet (0: none); `count` is then 1 + retries. */
  retries: number;
  /** Factor by which the wait before each retry grows. */
  backoff: number;
  /**
   * Adaptive pacing (ping -A): each reply lets the next probe go at once, and without one
   * the gap is the smoothed RTT (before the first reply: intervalMs), never below minIntervalMs.
   */
  adaptive: boolean;
  /** Smallest gap between two probes of a target in flood and adaptive pacing, ms. */
  minIntervalMs: number;
}
