/** Entries per page of a column: 64 KiB. */
const PAGE_BITS = 14;
const PAGE = 1 << PAGE_BITS;

/**
 * A column of 32-bit integers that grows by whole pages as a scan appends to it: nothing is
 * copied when it grows, so a large file leaves no outgrown arrays behind for the collector.
 */
export class IntColumn {
  readonly #pages: Int32Array[] = [];
  get(i: number): number {
    return this.#pages[i >> PAGE_BITS]![i & (PAGE - 1)]!;
  }
  set(i: number, value: number): void {
    const p = i >> PAGE_BITS;
    while (p >= this.#pages.length) this.#pages.push(new Int32Array(PAGE));
    this.#pages[p]![i & (PAGE - 1)] = value;
  }
}
