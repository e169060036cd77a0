// Labs (L5): the catalog, the lab being done, and its check against the
// engine every second while it is open (on every screen, so a step done
// elsewhere by mouse, or in a terminal, ticks within two seconds).
import {
  backend,
  type BerthWay,
  type LabCatalog,
  type LabProgress,
  type LabState,
  type LabView,
  type ResetPlan,
  type Text,
} from "../lib/backend/backend";
import { i18n } from "../lib/i18n/i18n.svelte";
import { shownError } from "../lib/i18n/said";
import { app, type DetailsTab, type Prefill } from "../lib/stores/app.svelte";

/** The one of a lab text's two languages the window shows. */
export const inLang = (t: Text) => (i18n.lang === "ko" ? t.ko : t.en);

const EMPTY: LabProgress = { done: [], params: {}, answers: {} };

/** The step to do next: the first not done. */
export function currentStep(state: LabState | null): string | null {
  return state?.steps.find((s) => !s.done)?.id ?? null;
}

type OpenContainer = { kind: "container"; id: string; tab: DetailsTab; path?: string };

/** What a lab's Berth way opens: a screen, with what is filled in. */
export function prefillOf(
  way: BerthWay,
  labId: string,
  containerId: (name: string) => string | null,
): Prefill | OpenContainer | null {
  const label = `berth.lab=${labId}`;
  switch (way.screen) {
    case "run":
      return {
        kind: "run",
        form: {
          image: way.image,
          name: way.name,
          command: way.command,
          ports: way.ports,
          interactive: way.interactive,
          volumes: way.volumes.map((v) => {
            const [name, target] = v.split(":");
            return { name, target, readOnly: false };
          }),
          labels: [label],
        },
      };
    case "pull":
      return { kind: "pull", reference: way.reference };
    case "image":
      return { kind: "image", reference: way.reference };
    case "build":
      return { kind: "build", folder: way.folder, tag: way.tag };
    case "volume":
      return { kind: "volume", name: way.name, labels: label };
    default: {
      const name = way.screen === "container" ? way.name : way.container;
      const id = containerId(name);
      if (!id) return null;
      const tab =
        way.screen === "files"
          ? "files"
          : way.screen === "terminal"
            ? "terminal"
            : way.screen === "commit"
              ? "changes"
              : "overview";
      return { kind: "container", id, tab, path: way.screen === "files" ? way.path : undefined };
    }
  }
}

export class Labs {
  catalog = $state.raw<LabCatalog | null>(null);
  error = $state<string | null>(null);
  activeId = $state<string | null>(null);
  view = $state.raw<LabView | null>(null);
  state = $state.raw<LabState | null>(null);
  /** A Berth way that could not open (its container is not there yet). */
  wayError = $state<string | null>(null);
  #timer: ReturnType<typeof setInterval> | null = null;
  #checking = false;

  progress(id: string): LabProgress {
    return app.settings.labs[id] ?? EMPTY;
  }

  async load() {
    try {
      this.catalog = await backend.labsList();
      this.error = null;
    } catch (e) {
      this.error = shownError(e);
    }
  }

  async open(id: string) {
    this.activeId = id;
    this.state = null;
    await this.#refreshView();
    await this.check();
    this.#timer ??= setInterval(() => void this.check(), 1000);
  }

  close() {
    this.activeId = null;
    this.view = null;
    this.state = null;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  async #refreshView() {
    const id = this.activeId;
    if (!id) return;
    try {
      this.view = await backend.labOpen(id, this.progress(id).params);
      this.error = null;
    } catch (e) {
      this.error = shownError(e);
    }
  }

  async #save(id: string, next: LabProgress) {
    await app.update({ labs: { ...app.settings.labs, [id]: next } });
  }

  /** Reads the engine for the open lab; newly done steps and learned
   *  values are kept in the settings. */
  async check() {
    const id = this.activeId;
    if (!id || this.#checking || app.status.state !== "connected") return;
    this.#checking = true;
    try {
      const p = this.progress(id);
      const s = await backend.labCheck(id, p.params, p.done, p.answers);
      if (this.activeId !== id) return;
      this.state = s;
      const done = s.steps.filter((x) => x.done).map((x) => x.id);
      const learned = Object.entries(s.learned).filter(([k, v]) => p.params[k] !== v);
      if (done.length !== p.done.length || learned.length) {
        await this.#save(id, { ...p, done, params: { ...p.params, ...Object.fromEntries(learned) } });
        if (learned.length) await this.#refreshView();
      }
      this.error = null;
    } catch (e) {
      this.error = shownError(e);
    } finally {
      this.#checking = false;
    }
  }

  async setParam(name: string, value: string) {
    const id = this.activeId;
    if (!id) return;
    const p = this.progress(id);
    await this.#save(id, { ...p, params: { ...p.params, [name]: value } });
    await this.#refreshView();
  }

  async answer(step: string, text: string) {
    const id = this.activeId;
    if (!id) return;
    const p = this.progress(id);
    await this.#save(id, { ...p, answers: { ...p.answers, [step]: text } });
    await this.check();
  }

  /** Opens the screen of a step's Berth way, filled in, not submitted. */
  doInBerth(way: BerthWay) {
    const id = this.activeId;
    if (!id) return;
    this.wayError = null;
    const section = prefillOf(
      way,
      id,
      (name) => app.containers.rows.find((r) => r.name === name)?.id ?? null,
    );
    if (!section) {
      this.wayError = way.screen === "container" ? way.name : "container" in way ? way.container : null;
      return;
    }
    if (section.kind === "container") {
      app.opening = { id: section.id, attach: false, tab: section.tab, path: section.path };
      app.section = "containers";
      return;
    }
    app.prefill = section;
    app.section =
      section.kind === "run"
        ? "containers"
        : section.kind === "pull" || section.kind === "image"
          ? "images"
          : section.kind === "build"
            ? "build"
            : "volumes";
  }

  resetPlan(): Promise<ResetPlan> {
    const id = this.activeId ?? "";
    return backend.labResetPlan(id, this.progress(id).params);
  }

  /** Removes what the lab made; its progress starts again (its
   *  parameters are kept, values it learned are not). */
  async reset(): Promise<ResetPlan> {
    const id = this.activeId ?? "";
    const p = this.progress(id);
    const plan = await backend.labReset(id, p.params);
    // Values learned on the way (a pushed digest) go with the progress.
    const learned = (this.view?.lab.steps ?? []).flatMap((st) =>
      st.check.kind === "pushed" ? [st.check.learn] : [],
    );
    const params = Object.fromEntries(Object.entries(p.params).filter(([k]) => !learned.includes(k)));
    await this.#save(id, { done: [], params, answers: {} });
    await this.#refreshView();
    await this.check();
    return plan;
  }
}

export const labs = new Labs();
