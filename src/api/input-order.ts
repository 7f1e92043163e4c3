/**
 * Puts results that come in any order back into the order of their indexes (0, 1, 2...): a
 * result waits only while an earlier one is missing, so what it holds is bounded by how far
 * completion runs ahead of the oldest result still to come, never by the length of the input.
 */
export class InputOrder<T> {
  readonly #early = new Map<number, T>();
  #next = 0;

  /** @param release hears each result (with its index) once every result before it has been released */
  constructor(readonly release: (item: T, index: number) => void) {}

  /** How many results wait for an earlier one. */
  get held(): number {
    return this.#early.size;
  }

  /** The index the next result released will have. */
  get next(): number {
    return this.#next;
  }

  /** Takes the result of `index` (each index once); releases it and every held one that follows. */
  put(index: number, item: T): void {
    if (index !== this.#next) {
      this.#early.set(index, item);
      return;
    }
    this.#next++;
    this.release(item, index);
    while (this.#early.has(this.#next)) {
      const at = this.#next++;
      const held = this.#early.get(at) as T;
      this.#early.delete(at);
      this.release(held, at);
    }
  }
}
