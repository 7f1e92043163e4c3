// When a trace sends its probes: the pure rules of its schedule.
//
// A round sends one probe to each hop, first hop first, a fixed gap apart: the interval shared
// out over every hop that may be probed, at most MAX_PROBE_GAP_MS. So a round's probes are
// sent before the next round starts and never in a burst, and a round that finds the
// destination sends nothing beyond it once its answer is in (on a path whose round trip is
// shorter than the gap). Each hop's probe has the same place in every round, and a round starts
// one interval after the start of the one before (a late timer moves the rounds after it, it
// never brings two closer), so the probes to one hop are an interval apart.
//
// Probes to a router are also spread so that a router with Linux's default ICMP rate limit
// answers every one. A router answers a probe whose TTL ends there with Time Exceeded (or,
// holding an unreachable route, with Destination Unreachable), and Linux limits those per
// destination with a token bucket: net.ipv4.icmp_ratelimit, 1000 ms, a burst of 6 (IPv6
// alike, or looser). The trace keeps the same bucket for each hop (ROUTER_ANSWERS): a round
// probes a hop only when that bucket holds an answer, so at the default interval of 1 s every
// hop is probed every round, however long the trace runs, and at shorter intervals a router
// gets its burst, then one probe a second, while the destination (whose echo replies no limit
// touches) gets one every round. A router that answers less than that (a stricter limit, a
// filter) leaves probes unanswered that the hops after it answer, which path-loss.ts counts
// as its own silence, not as loss.

//
// When a probe's answer is not in, how long to wait for it: at most the timeout; and once a
// later hop of the same round has answered, at most NEAR_FACTOR times that answer's round trip
// after it (traceroute's "near" wait, whose factor this is). A router's Time Exceeded for the
// earlier probe was due before the later hop even got its own probe, so a hop that is still
// silent then is silent for this round (its rate limit, a filter): the round, and a trace's
// last round, end without waiting out the timeout.

import type { TraceConfig } from './trace-config.js';

/** How many of a later hop's round trips a silent earlier probe of its round waits after that answer. */
export const NEAR_FACTOR = 10;

/** The latest a probe still waits once a later hop of its round answered at `answeredAtMs` in `rttMs`. */
export function answeredLaterMs(answeredAtMs: number, rttMs: number): number {
  return answeredAtMs + NEAR_FACTOR * rttMs;
}

/** The ICMP rate limit a router is assumed to have: Linux's default (net.ipv4.icmp_ratelimit 1000 ms, a burst of 6). */
export const ROUTER_ANSWERS = { costMs: 1000, burst: 6 } as const;

/** What is left of a hop's answers, as its router's token bucket holds them: tokens in answers, and when they were counted. */
export interface AnswerBudget {
  answers: number;
  atMs: number;
}

/** A full bucket at `nowMs`: a router not probed lately answers its whole burst. */
export function fullBudget(nowMs: number): AnswerBudget {
  return { answers: ROUTER_ANSWERS.burst, atMs: nowMs };
}

/**
 * Takes one answer from `budget` at `nowMs` (refilled by the time passed, one answer per
 * ROUTER_ANSWERS.costMs, up to the burst): the budget after the probe, or null when the router
 * would not answer one now (then the probe is not sent).
 */
export function spendAnswer(budget: AnswerBudget, nowMs: number): AnswerBudget | null {
  const answers = Math.min(ROUTER_ANSWERS.burst, budget.answers + (nowMs - budget.atMs) / ROUTER_ANSWERS.costMs);
  // A hair of slack: a probe one interval after the last at exactly the refill rate must go.
  if (answers < 1 - 1e-9) return null;
  return { answers: answers - 1, atMs: nowMs };
}

/** The longest gap between two probes of one round, ms. */
export const MAX_PROBE_GAP_MS = 25;

/** The gap between two probes of a round, ms: the interval over the hops that may be probed, at most MAX_PROBE_GAP_MS. */
export function probeGapMs(config: Pick<TraceConfig, 'intervalMs' | 'firstHop' | 'maxHops'>): number {
  return Math.min(MAX_PROBE_GAP_MS, config.intervalMs / (config.maxHops - config.firstHop + 1));
}

/** When the probe to `hop` of a round that started at `roundStartMs` is due, clock ms. */
export function probeDueMs(config: Pick<TraceConfig, 'intervalMs' | 'firstHop' | 'maxHops'>, roundStartMs: number, hop: number): number {
  return roundStartMs + (hop - config.firstHop) * probeGapMs(config);
}

/** When the round after one that started at `roundStartMs` is due, clock ms. */
export function nextRoundMs(config: Pick<TraceConfig, 'intervalMs'>, roundStartMs: number): number {
  return roundStartMs + config.intervalMs;
}

/** The last hop a round probes: the destination's when known, else the highest allowed. */
export function lastHopToProbe(config: Pick<TraceConfig, 'maxHops'>, destinationHop: number | null): number {
  return destinationHop === null ? config.maxHops : Math.min(destinationHop, config.maxHops);
}

/**
 * The last hop a report shows: the destination's when known; else the hop after the last one
 * that answered (one line of silence says where the answers stop), at least the first hop.
 */
export function lastHopShown(config: Pick<TraceConfig, 'firstHop' | 'maxHops'>, destinationHop: number | null, lastAnswered: number): number {
  if (destinationHop !== null) return Math.min(destinationHop, config.maxHops);
  return Math.min(config.maxHops, Math.max(config.firstHop, lastAnswered + 1));
}
