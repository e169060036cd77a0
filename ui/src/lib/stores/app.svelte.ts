// The app's live state: the engine connection, the resource stores, and the
// settings. Engine events poke the stores of the kinds they concern.
import {
  backend,
  type Backend,
  type ContainerRow,
  type EngineChanged,
  type ImageRow,
  type NetworkRow,
  type RunForm,
  type VolumeInfo,
  type Settings,
  type SettingsView,
  type Status,
} from "../backend/backend";
import { i18n } from "../i18n/i18n.svelte";
import { shownError } from "../i18n/said";
import { ResourceStore } from "./resource.svelte";
import { remember } from "../../activity/activity";

/** Which stores an engine event concerns. */
export function kindsTouched(
  e: Pick<EngineChanged, "kind" | "action">,
): ("containers" | "images" | "volumes" | "networks")[] {
  switch (e.kind) {
    case "container":
      // exec_* and health events change nothing a list shows.
      return e.action.startsWith("exec_") || e.action.startsWith("health_status") ? [] : ["containers"];
    case "image":
      return ["images"];
    case "volume":
      return ["volumes"];
    case "network":
      return ["networks"];
    default:
      return [];
  }
}

/** The event types a swarm manager sends about its own objects. */
export const SWARM_KINDS = ["service", "node", "secret", "config"];

/** References kept for the Pull and Inspector fields. */
export const RECENT_KEPT = 15;

/** `reference` first, without its older copy, at most RECENT_KEPT. */
export function recentWith(list: string[], reference: string): string[] {
  const r = reference.trim();
  if (!r) return list;
  return [r, ...list.filter((x) => x !== r)].slice(0, RECENT_KEPT);
}

export type Section =
  | "containers"
  | "images"
  | "build"
  | "registries"
  | "volumes"
  | "networks"
  | "swarm"
  | "inspector"
  | "activity"
  | "labs"
  | "engine";

export type DetailsTab = "overview" | "logs" | "terminal" | "files" | "changes";

export type Prefill =
  | { kind: "run"; form: Partial<RunForm> }
  | { kind: "pull"; reference: string }
  | { kind: "image"; reference: string }
  | { kind: "build"; folder: string; tag: string }
  | { kind: "volume"; name: string; labels: string };

export class AppState {
  status = $state<Status>({ state: "connecting" });
  /** The screen shown. */
  section = $state<Section>("containers");
  /** A container to open in its details once the Containers screen shows
   *  it (a run started from elsewhere); `attach` opens its terminal. */
  opening = $state<{ id: string; attach: boolean; tab?: DetailsTab; path?: string } | null>(null);
  /** Fields another screen should open with, filled but not submitted (a
   *  lab's "Berth way", L5): the screen takes it and clears it. */
  prefill = $state<Prefill | null>(null);
  settings = $state<Settings>({
    language: "en",
    theme: "system",
    showAllContainers: true,
    recentReferences: [],
    labs: {},
  });
  notice = $state<SettingsView["notice"]>(null);
  saveError = $state<string | null>(null);
  readonly containers: ResourceStore<ContainerRow>;
  readonly images: ResourceStore<ImageRow>;
  readonly volumes: ResourceStore<VolumeInfo>;
  readonly networks: ResourceStore<NetworkRow>;
  readonly #backend: Backend;

  constructor(b: Backend = backend) {
    this.#backend = b;
    this.containers = new ResourceStore(
      () => b.listContainers(this.settings.showAllContainers),
      120,
      "containers",
    );
    this.images = new ResourceStore(() => b.listImages());
    this.volumes = new ResourceStore(() => b.volumesList(false));
    this.networks = new ResourceStore(() => b.networksList());
  }

  async start() {
    // Launch marks, read by the benchmark (scripts/bench.sh): where the
    // time to a filled list goes.
    performance.mark("berth:script");
    // Asked together, not one after another: each answer is a round trip
    // to the Rust side, and launch waits for all of them.
    const settings = this.#backend.settingsGet().then(
      (v) => (performance.mark("berth:first-ipc"), v),
      () => null,
    );
    const listening = Promise.all([
      this.#backend.onStatusChanged(() => void this.#readStatus()),
      this.#backend.onEngineChanged((e) => this.onEvent(e)),
    ]);
    const first = this.#backend.engineStatus();
    const view = await settings;
    if (view) {
      this.settings = view.settings;
      this.notice = view.notice;
    }
    i18n.lang = this.settings.language;
    await listening;
    this.#showStatus(await first);
    // A change between that answer and the listeners' start would be
    // missed: read once more unless already connected.
    if (this.status.state !== "connected") await this.#readStatus();
  }

  /** The docker commands Berth's actions equalled, this session, oldest
   *  first (L2): what a learner could have typed instead. */
  session = $state.raw<{ time: number; command: string }[]>([]);

  /** Records an action that succeeded, as its docker command. */
  did(command: string) {
    this.session = [...this.session, { time: Date.now(), command }];
  }

  /** The engine's events, newest first (E4's timeline). */
  activity = $state.raw<EngineChanged[]>([]);

  /** Counts the engine's swarm events (services, nodes, secrets,
   *  configs): the Swarm screen reloads when it changes. */
  swarmChanged = $state(0);

  onEvent(e: EngineChanged) {
    this.activity = remember(this.activity, e);
    for (const k of kindsTouched(e)) this[k].poke();
    if (SWARM_KINDS.includes(e.kind)) this.swarmChanged++;
  }

  async #readStatus() {
    this.#showStatus(await this.#backend.engineStatus());
  }

  #showStatus(status: Status) {
    this.status = status;
    if (status.state === "connected") {
      // The list on screen first; the rest after it, not competing with it.
      void this.containers.refresh().finally(() => {
        void this.images.refresh();
        void this.volumes.refresh();
        void this.networks.refresh();
      });
    }
  }

  /** A registry to log in to, from a refusal elsewhere (push, inspector). */
  loginServer = $state<string | null>(null);

  openLogin(server: string) {
    this.loginServer = server;
    this.section = "registries";
  }

  openContainer(id: string, attach: boolean) {
    this.opening = { id, attach };
    this.section = "containers";
    void this.containers.refresh();
  }

  retry() {
    return this.#backend.engineRetry();
  }

  /** Remembers a reference pulled or inspected (E6), newest first. */
  rememberReference(reference: string) {
    const next = recentWith(this.settings.recentReferences, reference);
    if (next.join("\n") !== this.settings.recentReferences.join("\n"))
      void this.update({ recentReferences: next });
  }

  async update(patch: Partial<Settings>) {
    this.settings = { ...this.settings, ...patch };
    i18n.lang = this.settings.language;
    try {
      await this.#backend.settingsSet(this.settings);
      this.saveError = null;
    } catch (e) {
      this.saveError = shownError(e);
    }
    if ("showAllContainers" in patch) void this.containers.refresh();
  }
}

export const app = new AppState();
