// Overlapping requests where only the latest answer counts (a listing, a
// form check, as the user types or clicks on).

/** Numbers a sequence of loads; only the answer of the latest one counts
 * (a slow folder, then a quick click elsewhere: the slow answer is
 * dropped). */
export class Latest {
  #n = 0;
  /** Starts a load; `isLatest()` says whether it is still the latest. */
  start(): { isLatest: () => boolean } {
    const mine = ++this.#n;
    return { isLatest: () => mine === this.#n };
  }
}
