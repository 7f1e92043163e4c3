import type { ProbeTable } from './probe-table.js';
import type { ResolvedTarget } from './resolved-target.js';
import { TargetState } from './target-state.js';

/**
 * The targets of a session. A target is created when its first probe is due, from the list as
 * given, and a finished one is let go when the session does not retain them (sweeps): only
 * targets in flight take memory, whatever the length of the list.
 */
export class TargetRoster {
  /** Families the targets use. */
  readonly families: Set<4 | 6>;
  /** Number of targets in the list. */
  readonly size: number;
  readonly #targets: (TargetState | undefined)[];
  readonly #pending: (ResolvedTarget | undefined)[];
  #nextPending = 0;
  readonly #retain: boolean;
  // Per family, keyed by address text: a reply's source finds its target without building a key.
  readonly #byAddress: Readonly<Record<4 | 6, Map<string, TargetState>>> = { 4: new Map(), 6: new Map() };
  // Broadcast and multicast targets (allowed explicitly) are answered by other addresses: a
  // reply from an address that is no target counts for such a target with that probe out.
  readonly #anySource: TargetState[] = [];

  /** @param retain keep finished targets (false: release() lets them go) */
  constructor(targets: readonly ResolvedTarget[], retain: boolean) {
    this.#retain = retain;
    this.#pending = targets.slice();
    this.#targets = new Array<TargetState | undefined>(targets.length);
    this.families = new Set(targets.map((t) => t.family));
    this.size = targets.length;
  }

  /** True while some targets of the list are not created yet. */
  get hasPending(): boolean {
    return this.#nextPending < this.#pending.length;
  }

  /** The index, and the order among equal due times, that the next target created gets. */
  get nextIndex(): number {
    return this.#nextPending;
  }

  /** Creates the next target of the list, its first probe due at `dueMs` (clock ms). Only while hasPending. */
  createNext(dueMs: number): TargetState {
    const index = this.#nextPending++;
    const t = new TargetState(index, this.#pending[index] as ResolvedTarget);
    this.#pending[index] = undefined;
    t.dueMs = dueMs;
    this.#targets[index] = t;
    this.#byAddress[t.family].set(t.address, t);
    if (t.anySource) this.#anySource.push(t);
    return t;
  }

  /** Every target still held, in list order; those not created yet are created, due at `dueMs` (a run that ends early still reports them all). */
  all(dueMs: number): TargetState[] {
    while (this.hasPending) this.createNext(dueMs);
    return this.#targets.filter((t): t is TargetState => t !== undefined);
  }

  /** The target at `index` of the list, unless it is not created yet or was let go. */
  at(index: number): TargetState | undefined {
    return this.#targets[index];
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
    this.#targets[t.index] = undefined;
    this.#byAddress[t.family].delete(t.address);
    return true;
  }
}
