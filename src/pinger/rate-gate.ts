// The --rate cap on sends per second across all targets of a session. Pure: the session keeps
// one number, the slot (clock ms) before which the pace lets no probe go, and these functions
// decide with it.

/**
 * A wake-up that comes late may send the probes the pace owed meanwhile, up to this much of
 * it, ms. Node's timers count whole milliseconds and often fire one late: with no credit a
 * rate of 1000/s came out near 700/s, and any rate above 1000/s near 1000/s. On time, the
 * pace stays one probe per gap.
 */
export const RATE_CREDIT_MS = 2;

/** True when a probe may go at `nowMs`: no rate (`ratePps` 0), or the slot has come. */
export function rateAllows(ratePps: number, slotMs: number, nowMs: number): boolean {
  return !(ratePps > 0 && slotMs > nowMs);
}

/**
 * The slot after a probe went at `nowMs`: one gap (1000 / ratePps ms) after the previous slot,
 * or after `nowMs` less the credit when the sender was late. Unchanged without a rate.
 */
export function nextRateSlotMs(ratePps: number, slotMs: number, nowMs: number): number {
  return ratePps > 0 ? Math.max(slotMs, nowMs - RATE_CREDIT_MS) + 1000 / ratePps : slotMs;
}

/** When a probe due at `dueMs` may go, clock ms: then, or at the slot when the rate holds it back. */
export function rateWakeMs(ratePps: number, slotMs: number, dueMs: number): number {
  return ratePps > 0 ? Math.max(dueMs, slotMs) : dueMs;
}

/**
 * The one number a --rate pace keeps: the slot (clock ms) before which no probe may go. A
 * session keeps its own; sessions that must share one cap (the lanes of one sweep) share one.
 */
export interface RatePace {
  slotMs: number;
}
