// One store per resource (containers, images...): the rows, whether they are
// loading, and the last error. Reloads are debounced and driven by engine
// events, never by polling.
import { BackendError } from "../backend/backend";
import { shownError } from "../i18n/said";
import { debouncedReload } from "./refresh";

export class ResourceStore<T> {
  // Replaced whole on every load, never changed in place: plain rows, not
  // deep proxies (a thousand containers need no per-field signals).
  rows = $state.raw<T[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  readonly #load: () => Promise<T[]>;
  readonly #reload;

  readonly #mark: string | null;

  /** `mark`: a name for the benchmark's launch mark (`berth:NAME-loaded`). */
  constructor(load: () => Promise<T[]>, waitMs = 120, mark: string | null = null) {
    this.#load = load;
    this.#mark = mark;
    this.#reload = debouncedReload(() => this.#fetch(), waitMs);
  }

  async #fetch() {
    try {
      this.rows = await this.#load();
      if (!this.loaded && this.#mark) performance.mark(`berth:${this.#mark}-loaded`);
      this.loaded = true;
      this.error = null;
    } catch (e) {
      // Engine-down is the engine store's to show; keep the last rows.
      if (e instanceof BackendError && e.detail.kind === "engineUnreachable") return;
      this.error = shownError(e);
    }
  }

  /** An event says this resource changed. */
  poke() {
    this.#reload.poke();
  }

  refresh(): Promise<void> {
    return this.#reload.now();
  }
}
