/**
 * Collects the items of one repeat list by wire index without ever allocating a sparse array, then
 * turns them into a dense array in index order ("gaps are compacted"). The wire index of every item
 * is remembered so errors can name `Tag.7.Key` even when `Tag.2`…`Tag.6` were never sent.
 */

const wireIndexesOf = new WeakMap<readonly unknown[], readonly number[]>();

/** Lists longer than this get a Map from wire index to position; shorter ones are scanned. */
const SCAN_LIMIT = 16;

/**
 * Items of one list being built, keyed by wire index.
 *
 * @example
 * const builder = new ListBuilder();
 * builder.set(5, 'b');
 * builder.set(2, 'a');
 * builder.toArray(); // ['a', 'b'] (wire indexes [2, 5] remembered for error names)
 */
export class ListBuilder {
  private readonly indexes: number[] = [];
  private readonly items: unknown[] = [];
  private positions: Map<number, number> | undefined;
  private ascending = true;

  private find(index: number): number {
    const count = this.indexes.length;
    if (count === 0) return -1;
    const last = this.indexes[count - 1] as number;
    if (index === last) return count - 1;
    if (index > last && this.ascending) return -1;
    if (this.positions !== undefined) return this.positions.get(index) ?? -1;
    if (count > SCAN_LIMIT) {
      const positions = new Map<number, number>();
      this.indexes.forEach((wire, position) => positions.set(wire, position));
      this.positions = positions;
      return positions.get(index) ?? -1;
    }
    return this.indexes.indexOf(index);
  }

  /**
   * The item at `index`, or undefined.
   *
   * @example
   * builder.get(1);
   */
  get(index: number): unknown {
    const position = this.find(index);
    return position === -1 ? undefined : this.items[position];
  }

  /**
   * Set the item at `index`.
   *
   * @example
   * builder.set(1, 'i-abc');
   */
  set(index: number, item: unknown): void {
    const position = this.find(index);
    if (position !== -1) {
      this.items[position] = item;
      return;
    }
    const count = this.indexes.length;
    if (count > 0 && index < (this.indexes[count - 1] as number)) this.ascending = false;
    this.positions?.set(index, count);
    this.indexes.push(index);
    this.items.push(item);
  }

  /**
   * Apply `fn` to every item in place (used to finish nested lists).
   *
   * @example
   * builder.mapItems((item) => item);
   */
  mapItems(fn: (item: unknown) => unknown): void {
    for (let i = 0; i < this.items.length; i++) this.items[i] = fn(this.items[i]);
  }

  /** How many items were set. */
  get size(): number {
    return this.items.length;
  }

  /**
   * The dense array, in ascending wire-index order (the wire indexes are remembered for
   * {@link listWireIndexes} when they are not 1..n).
   *
   * @example
   * builder.toArray(); // ['i-a', 'i-b']
   */
  toArray(): unknown[] {
    const count = this.items.length;
    if (this.ascending) {
      if (count > 0 && this.indexes[count - 1] !== count) wireIndexesOf.set(this.items, this.indexes);
      return this.items;
    }
    const order = this.sortedOrder();
    const items = order.map((entry) => this.items[entry.position]);
    const indexes = order.map((entry) => entry.index);
    if (indexes[count - 1] !== count) wireIndexesOf.set(items, indexes);
    return items;
  }

  /**
   * The items in ascending wire-index order, with no wire indexes remembered (for values handed to a
   * handler). The array may be the builder's own: do not use the builder afterwards.
   *
   * @example
   * builder.toValues(); // ['i-a', 'i-b']
   */
  toValues(): unknown[] {
    if (this.ascending) return this.items;
    return this.sortedOrder().map((entry) => this.items[entry.position]);
  }

  /**
   * The wire index of the item at `position` of the ascending order (what {@link toValues} returns).
   *
   * @example
   * builder.wireIndex(0); // 2, when Tag.2 and Tag.5 were set
   */
  wireIndex(position: number): number {
    if (this.ascending) return this.indexes[position] as number;
    return (this.sortedOrder()[position] as { index: number }).index;
  }

  private sortedOrder(): { index: number; position: number }[] {
    const order = this.indexes.map((index, position) => ({ index, position }));
    order.sort((a, b) => a.index - b.index);
    return order;
  }
}

/**
 * The wire indexes of an array built from the wire when they are not simply 1..n, else undefined.
 *
 * @example
 * listWireIndexes(tags); // [2, 5]
 */
export function listWireIndexes(list: readonly unknown[]): readonly number[] | undefined {
  return wireIndexesOf.get(list);
}
