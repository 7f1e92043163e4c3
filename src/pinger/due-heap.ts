/** Something with a due time, kept in a DueHeap. */
export interface DueItem {
  /** When it is due, in clock milliseconds. */
  dueMs: number;
  /** Tie-breaker: lower first, so equal due times keep a stable order. */
  readonly order: number;
  /** Position in the heap, -1 when not in it; maintained by the heap. */
  heapIndex: number;
}

/** A binary min-heap by (dueMs, order): the one scheduler queue, O(log n) per operation. */
export class DueHeap<T extends DueItem> {
  readonly #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    item.heapIndex = this.#items.length;
    this.#items.push(item);
    this.#up(item.heapIndex);
  }

  pop(): T | undefined {
    const top = this.#items[0];
    if (top === undefined) return undefined;
    this.remove(top);
    return top;
  }

  /** Removes `item` if it is in the heap. */
  remove(item: T): void {
    const at = item.heapIndex;
    if (at < 0 || this.#items[at] !== item) return;
    const last = this.#items.pop() as T;
    item.heapIndex = -1;
    if (last === item) return;
    this.#items[at] = last;
    last.heapIndex = at;
    this.#down(at);
    this.#up(last.heapIndex);
  }

  /** Moves `item` to its place after its dueMs changed (inserting it when absent). */
  update(item: T): void {
    if (item.heapIndex < 0 || this.#items[item.heapIndex] !== item) {
      this.push(item);
      return;
    }
    this.#up(item.heapIndex);
    this.#down(item.heapIndex);
  }

  #less(a: T, b: T): boolean {
    return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.order < b.order);
  }

  #swap(i: number, j: number): void {
    const a = this.#items[i] as T;
    const b = this.#items[j] as T;
    this.#items[i] = b;
    this.#items[j] = a;
    a.heapIndex = j;
    b.heapIndex = i;
  }

  #up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(this.#items[i] as T, this.#items[parent] as T)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(i: number): void {
    const n = this.#items.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < n && this.#less(this.#items[left] as T, this.#items[smallest] as T)) smallest = left;
      if (right < n && this.#less(this.#items[right] as T, this.#items[smallest] as T)) smallest = right;
      if (smallest === i) return;
      this.#swap(i, smallest);
      i = smallest;
    }
  }
}
