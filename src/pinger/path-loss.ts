// Which of a hop's unanswered probes are loss on the path, and which are the hop's own silence.
//
// A probe to hop k that gets no answer was either lost on the way (to k or back), or reached a
// router that did not answer: Linux rate-limits the Time Exceeded messages a router sends
// (net.ipv4.icmp_ratelimit: 1000 ms, a burst of 6, per source), and many routers filter them.
// The probes to the hops after k cross k too, so the loss on the path to k is at most what
// every later hop loses: a hop that is silent more often than the hops after it (the
// destination last) is silent on its own account. This is how mtr's output is read ("loss
// that does not carry on to the end is not loss") made into the figure itself: a hop's loss is
// the least share of silence of it and every hop after it, and the rest of its silence is
// counted apart, as rate-limited or filtered. A real loss on a link shows at that hop and every
// hop after it; a router that answers rarely or never, while the destination answers, shows
// no loss at all.

/** What the rule reads of a hop. */
export interface HopSilence {
  /** Probes whose answer came or whose wait ended. */
  sent: number;
  /** Of those, unanswered. */
  silent: number;
}

/**
 * For each hop (first hop first, the last one the destination or the last one probed), how many
 * of its unanswered probes count as loss on the path. The last hop's silence is all loss:
 * nothing after it shows otherwise.
 */
export function pathLoss(hops: readonly HopSilence[]): number[] {
  const lost = new Array<number>(hops.length).fill(0);
  let rate = Infinity;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as HopSilence;
    if (hop.sent === 0) continue;
    rate = Math.min(rate, hop.silent / hop.sent);
    lost[i] = Math.min(hop.silent, Math.round(rate * hop.sent));
  }
  return lost;
}
