/** How a trace sends its probes and when it ends (already validated; see options/validate-trace-options.ts). */
export interface TraceConfig {
  /** Rounds to send, one probe to each hop a round; Infinity until stopped. */
  rounds: number;
  /** From the start of one round to the start of the next, ms: the gap between two probes to one hop. */
  intervalMs: number;
  /** How long each probe waits for its answer, ms. */
  timeoutMs: number;
  /** TTL / hop limit of the first probe of a round (1: the first router). */
  firstHop: number;
  /** The highest TTL / hop limit probed while the destination has not answered. */
  maxHops: number;
  /** Echo payload bytes. */
  size: number;
}
