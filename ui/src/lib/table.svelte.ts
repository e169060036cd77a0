// Search and sort for list screens: one implementation for every resource.
import type { Key } from "./i18n/i18n.svelte";

export type Column<K extends string> = { key: K; label: Key };

/** Rows whose fields contain the query (trimmed, any case). Never mutates. */
export function searchRows<T>(list: T[], query: string, fields: (r: T) => string[]): T[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [...list];
  return list.filter((r) => fields(r).some((f) => f.toLowerCase().includes(needle)));
}

/** Sorts in place by one value; numbers numerically, text by locale. */
export function sortRows<T>(list: T[], val: (r: T) => string | number, desc: boolean): T[] {
  return list.sort((a, b) => {
    const x = val(a);
    const y = val(b);
    const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return desc ? -c : c;
  });
}

/** Which column a list is sorted by; clicking it again flips the order. */
export class SortState<K extends string> {
  key = $state<K>() as K;
  desc = $state(false);
  readonly #descFirst: K[];

  constructor(key: K, desc: boolean, descFirst: K[] = []) {
    this.key = key;
    this.desc = desc;
    this.#descFirst = descFirst;
  }

  by(k: K) {
    if (this.key === k) this.desc = !this.desc;
    else {
      this.key = k;
      this.desc = this.#descFirst.includes(k);
    }
  }
}
