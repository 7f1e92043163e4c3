import type { ProbeTable } from './probe-table.js';
import type { ResolvedTarget } from './resolved-target.js';
import { TargetState } from './target-state.js';

/** Targets handed over together, all due at the same time. */
interface Batch {
  readonly targets: readonly ResolvedTarget[];
  /** Clock ms their first probe is due; -Infinity until the session starts (then: its start). */
  dueMs: number;
  /** The next one of `targets` to create. */
  next: number;
}

/**
 * The targets of a session. A target is created when its first probe is due, from the batches
 * as given (the list the session was made with, then whatever add() brings), and a finished one
 * is let go when the session does not retain them (sweeps): only targets in flight and those
 * still waiting take memory, whatever the length of the input.
 */
export class TargetRoster {
  /** Families the targets use. */
  readonly families: Set<4 | 6>;
  readonly #held = new Map<number, TargetState>();
  readonly #batches: Batch[] = [];
  #waiting = 0;
  #added = 0;
  #nextIndex = 0;
  readonly #retain: boolean;
  // Per family, keyed by address text: a reply's source finds its target without building a key.
  readonly #byAddress: Readonly<Record<4 | 6, Map<string, TargetState>>> = { 4: new Map(), 6: new Map() };
  // Broadcast and multicast targets (allowed explicitly) are answered by other addresses: a
  // reply from an address that is no target counts for such a target with that probe out.
  readonly #anySource: TargetState[] = [];

  /** @param retain keep finished targets (false: release() lets them go) */
  constructor(targets: readonly ResolvedTarget[], retain: boolean) {
    this.#retain = retain;
    this.families = new Set();
    this.add(targets, -Infinity);
  }

  /** Number of targets handed to the roster so far. */
  get size(): number {
    return this.#added;
  }

  /** Targets handed over and not created yet. */
  get waiting(): number {
    return this.#waiting;
  }

  /** True while some targets handed over are not created yet. */
  get hasPending(): boolean {
    return this.#waiting > 0;
  }

  /** The index, and the order among equal due times, that the next target created gets. */
  get nextIndex(): number {
    return this.#nextIndex;
  }

  /** When the next target to create is due (clock ms); Infinity when none waits. */
  get nextDueMs(): number {
    return this.#batches[0]?.dueMs ?? Infinity;
  }

  /**
   * Hands over more targets, due at `dueMs` (clock ms; -Infinity: at the session's start).
   * Returns the families that were not used before.
   */
  add(targets: readonly ResolvedTarget[], dueMs: number): (4 | 6)[] {
    const fresh: (4 | 6)[] = [];
    for (const t of targets) {
      if (this.families.has(t.family)) continue;
      this.families.add(t.family);
      fresh.push(t.family);
    }
    if (targets.length === 0) return fresh;
    // The caller may reuse its array: the batch keeps a copy.
    this.#batches.push({ targets: targets.slice(), dueMs, next: 0 });
    this.#waiting += targets.length;
    this.#added += targets.length;
    return fresh;
  }

  /** Targets handed over before the session started become due at its start, `startMs`. */
  startAt(startMs: number): void {
    for (const batch of this.#batches) if (batch.dueMs === -Infinity) batch.dueMs = startMs;
  }

  /** Creates the next target, its first probe due at `dueMs` (clock ms). Only while hasPending. */
  createNext(dueMs: number): TargetState {
    const batch = this.#batches[0] as Batch;
    const index = this.#nextIndex++;
    const t = new TargetState(index, batch.targets[batch.next++] as ResolvedTarget);
    if (batch.next === batch.targets.length) this.#batches.shift();
    this.#waiting--;
    t.dueMs = dueMs;
    this.#held.set(index, t);
    this.#byAddress[t.family].set(t.address, t);
    if (t.anySource) this.#anySource.push(t);
    return t;
  }

  /** Every target still held, in order; those not created yet are created, due at `dueMs` (a run that ends early still reports them all). */
  all(dueMs: number): TargetState[] {
    while (this.hasPending) this.createNext(dueMs);
    // Created in index order, so the map iterates in it.
    return [...this.#held.values()];
  }

  /** The target of index `index`, unless it is not created yet or was let go. */
  at(index: number): TargetState | undefined {
    return this.#held.get(index);
  }

  /** The held target whose address text is `address`. */
  find(family: 4 | 6, address: string): TargetState | undefined {
    return this.#byAddress[family].get(address);
  }

  /** The broadcast or multicast target of `family` with probe `sequence` in `probes`, if any. */
  anySourceFor(family: 4 | 6, sequence: number, probes: ProbeTable): TargetState | undefined {
    for (const t of this.#anySource) if (t.family === family && probes.get(t.index, sequence) !== undefined) return t;
    return undefined;
  }

  /** Lets a finished target go unless the roster retains them; true when it did. */
  release(t: TargetState): boolean {
    if (this.#retain) return false;
    this.#held.delete(t.index);
    if (this.#byAddress[t.family].get(t.address) === t) this.#byAddress[t.family].delete(t.address);
    const i = this.#anySource.indexOf(t);
    if (i >= 0) this.#anySource.splice(i, 1);
    return true;
  }
}
