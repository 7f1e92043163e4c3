/** A target of a session, resolved. */
export interface ResolvedTarget {
  /** As the caller gave it. */
  target: string;
  /** Canonical address text. */
  address: string;
  family: 4 | 6;
  /** IPv6 scope id (link-local targets), else 0. */
  scopeId: number;
  /** A broadcast or multicast target: its replies come from other addresses, which all count. */
  anySource?: boolean;
}
