// The only module that reaches Tauri. Components and stores call `backend`;
// they never import @tauri-apps/* or the generated bindings' `commands`.
import { Channel } from "@tauri-apps/api/core";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { commands, events, type IpcError } from "./bindings";
import type * as B from "./bindings";

// specta writes a *_Serialize type (what Rust sends) and a *_Deserialize type
// (what Rust accepts) where they differ; the UI reads the first.
export type ContainerRow = B.ContainerRow_Serialize;
export type ImageRow = B.ImageRow_Serialize;
export type PortMapping = B.PortMapping_Serialize;
export type EngineChanged = B.EngineChanged_Serialize;
export type Status = B.Status_Serialize;
export type Settings = B.Settings_Serialize;
export type SettingsView = B.SettingsView_Serialize;
export type StatsEvent = B.StatsEvent_Serialize;
export type LogEvent = B.LogEvent_Serialize;
export type LogLine = B.LogLine_Serialize;
export type LogOptions = B.LogOptions_Deserialize;
export type TerminalEvent = B.TerminalEvent_Serialize;
export type Reference = B.Reference_Serialize;
export type RunCheck = B.RunCheck_Serialize;
export type RunForm = B.RunForm;
export type PullProgress = B.PullProgress_Serialize;
export type PullEvent = B.PullEvent_Serialize;
export type ImageDetails = B.ImageDetails_Serialize;
export type Inspection = B.Inspection_Serialize;
export type RemoteTree = B.RemoteTree_Serialize;
export type LocalView = B.LocalView_Serialize;
export type Listing = B.Listing_Serialize;
export type FileEntry = B.FileEntry_Serialize;
export type Preview = B.Preview_Serialize;
export type CopyEvent = B.CopyEvent;
export type VolumeInfo = B.VolumeInfo_Serialize;
export type NetworkRow = B.NetworkRow_Serialize;
export type StorageRow = B.StorageRow_Serialize;
export type BuildPlan = B.BuildPlan_Serialize;
export type BuildProgress = B.BuildProgress_Serialize;
export type BuildEvent = B.BuildEvent_Serialize;
export type Built = B.Built_Serialize;
export type StepCache = B.StepCache;
export type BuildForm = B.BuildForm;
export type Logins = B.Logins_Serialize;
export type LoginForm = B.LoginForm_Deserialize;
export type LoginDone = B.LoginDone;
export type LoggedOut = B.LoggedOut;
export type Contexts = B.Contexts_Serialize;

/** Files dragged from the OS over the window (F2). */
export type FileDrop =
  | { kind: "over"; x: number; y: number }
  | { kind: "drop"; paths: string[]; x: number; y: number }
  | { kind: "leave" };

/** An open terminal: send keystrokes, follow the window's size, close. */
export interface TerminalHandle {
  /** How the process is wired: a TTY or plain lines, stdin or output only. */
  wiring: B.Wiring;
  input(data: string): Promise<void>;
  resize(cols: number, rows: number): Promise<void>;
  close(): Promise<void>;
}
export type {
  Attempt,
  Change,
  Committed,
  ContainerDetails,
  EnvImport,
  EnvRow,
  FieldError,
  PruneDone,
  PrunePlan,
  Removed,
  RunChoices,
  SavedLogs,
  Started,
  Wiring,
  DiskUsage,
  EngineInfo,
  IpcError,
  Lifecycle,
  Mount,
  MountKind,
  Source,
  UsageRow,
} from "./bindings";
type DiskUsage = B.DiskUsage;
type EngineInfo = B.EngineInfo;

/** An error as a sentence: the field named where there is one. */
export function errorText(e: IpcError): string {
  return e.kind === "invalidInput" ? `${e.field}: ${e.message}` : e.message;
}

/** An error from the Rust side, with its kind kept for the UI to branch on. */
export class BackendError extends Error {
  readonly detail: IpcError;
  constructor(detail: IpcError) {
    super(errorText(detail));
    this.detail = detail;
  }
}

/** Stops a stream. `null` when the stream had already ended by the time its
 * start was answered: the window shows no Cancel for a stream that is over. */
export type Cancel = (() => void) | null;

type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

function unwrap<T>(r: Result<T, IpcError>): T {
  if (r.status === "ok") return r.data;
  throw new BackendError(r.error);
}

/**
 * Opens a stream over a Channel: its messages go to `onEvent`; the returned
 * function cancels it, or is null if the stream's `ended` message (every
 * stream's last) came first. specta types a Channel argument by the
 * Deserialize shape (`D`); its messages are what Rust serialises (`T`), the
 * true shape.
 */
async function openStream<T extends { kind: string }, D = T>(
  start: (channel: Channel<D>) => Promise<Result<number, IpcError>>,
  onEvent: (e: T) => void,
): Promise<Cancel> {
  const channel = new Channel<T>();
  let ended = false;
  channel.onmessage = (e) => {
    if (e.kind === "ended") ended = true;
    onEvent(e);
  };
  const stream = unwrap(await start(channel as unknown as Channel<D>));
  return ended ? null : () => void commands.streamCancel(stream);
}

type Unlisten = () => void;

export interface Backend {
  engineStatus(): Promise<Status>;
  engineRetry(): Promise<void>;
  engineInfo(): Promise<EngineInfo>;
  diskUsage(): Promise<DiskUsage>;
  listContainers(all: boolean): Promise<ContainerRow[]>;
  listImages(): Promise<ImageRow[]>;
  containerLifecycle(id: string, action: B.Lifecycle): Promise<void>;
  containerRename(id: string, name: string): Promise<void>;
  containerRemove(id: string, force: boolean): Promise<void>;
  containerDetails(id: string): Promise<B.ContainerDetails>;
  /** Streams live stats; the returned function stops the stream. */
  watchStats(id: string, onEvent: (e: StatsEvent) => void): Promise<Cancel>;
  terminalShells(id: string): Promise<string[]>;
  openTerminal(
    id: string,
    shell: string,
    size: { cols: number; rows: number },
    onEvent: (e: TerminalEvent) => void,
  ): Promise<TerminalHandle>;
  /** `docker attach`: the main process (an interactive run starts here). */
  attachTerminal(
    id: string,
    size: { cols: number; rows: number },
    onEvent: (e: TerminalEvent) => void,
  ): Promise<TerminalHandle>;
  /** Asks where, then writes the log there; null when cancelled. */
  saveLogs(id: string, name: string, options: LogOptions): Promise<B.SavedLogs | null>;
  parseReference(input: string): Promise<Reference>;
  /** `docker image pull`; the returned function cancels it. */
  pullImage(reference: string, platform: string | null, onEvent: (e: PullProgress) => void): Promise<Cancel>;
  runChoices(): Promise<B.RunChoices>;
  imageDetails(image: string): Promise<ImageDetails>;
  imageTag(source: string, target: string): Promise<string>;
  imageRemove(image: string): Promise<B.Removed>;
  imagePrunePreview(all: boolean): Promise<B.PrunePlan>;
  imagePrune(all: boolean): Promise<B.PruneDone>;
  inspectReference(reference: string, platform: string | null): Promise<Inspection>;
  filesList(id: string, path: string): Promise<Listing>;
  filesPreview(id: string, path: string): Promise<Preview>;
  filesChanges(id: string): Promise<B.Change[]>;
  filesExisting(id: string, dest: string, names: string[]): Promise<string[]>;
  /** Copies host paths into a container folder; the function cancels. */
  copyIn(id: string, sources: string[], dest: string, onEvent: (e: CopyEvent) => void): Promise<Cancel>;
  /** Copies container paths into a host folder; the function cancels. */
  copyOut(
    id: string,
    paths: string[],
    dest: string,
    overwrite: boolean,
    onEvent: (e: CopyEvent) => void,
  ): Promise<Cancel>;
  pickSources(folder: boolean): Promise<string[]>;
  volumesList(sizes: boolean): Promise<VolumeInfo[]>;
  volumeCreate(form: B.VolumeForm): Promise<string>;
  volumeRemove(name: string): Promise<void>;
  volumePrunePreview(): Promise<VolumeInfo[]>;
  volumePrune(): Promise<string[]>;
  storageOverview(): Promise<StorageRow[]>;
  networksList(): Promise<NetworkRow[]>;
  networkCreate(form: B.NetworkForm): Promise<string>;
  networkRemove(name: string): Promise<void>;
  networkConnect(network: string, container: string, aliases: string[], ip: string): Promise<void>;
  networkDisconnect(network: string, container: string): Promise<void>;
  containerCommit(id: string, form: B.CommitForm): Promise<B.Committed>;
  /** `docker image push`; the returned function cancels it. */
  pushImage(image: string, onEvent: (e: B.PushProgress) => void): Promise<Cancel>;
  /** What a build would send and do, read before it starts (B1). */
  buildPlan(form: BuildForm): Promise<BuildPlan>;
  /** `docker image build`; the returned function cancels it. */
  buildImage(form: BuildForm, onEvent: (e: BuildProgress) => void): Promise<Cancel>;
  pickDockerfile(): Promise<string | null>;
  /** Who is logged in where (B4). */
  registryLogins(): Promise<Logins>;
  /** `docker login`: the password goes in once and never comes back. */
  registryLogin(form: LoginForm): Promise<LoginDone>;
  registryLogout(server: string): Promise<LoggedOut>;
  /** Saves the session's commands as a script (a native dialog); its path, or null. */
  sessionSave(commands: string[], when: string): Promise<string | null>;
  /** `docker context ls` (E5). */
  contextsList(): Promise<Contexts>;
  /** `docker context use NAME`, then connect to it; the command it equals. */
  contextUse(name: string): Promise<string>;
  /** Opens a published port in the default browser; the address opened. */
  portOpen(id: string, port: number, protocol: string): Promise<string>;
  onFileDrop(cb: (e: FileDrop) => void): Promise<Unlisten>;
  runCheck(form: RunForm): Promise<RunCheck>;
  runContainer(form: RunForm): Promise<B.Started>;
  pickFolder(): Promise<string | null>;
  importEnvFile(): Promise<B.EnvImport | null>;
  /** Streams logs in batches of lines; the returned function stops it. */
  watchLogs(id: string, options: B.LogOptions, onEvent: (e: LogEvent) => void): Promise<Cancel>;
  settingsGet(): Promise<SettingsView>;
  settingsSet(s: Settings): Promise<void>;
  onEngineChanged(cb: (e: EngineChanged) => void): Promise<Unlisten>;
  onStatusChanged(cb: () => void): Promise<Unlisten>;
}

function terminalChannel(onEvent: (e: TerminalEvent) => void): Channel<B.TerminalEvent_Deserialize> {
  const channel = new Channel<TerminalEvent>();
  channel.onmessage = onEvent;
  // specta types a Channel argument by the Deserialize shape (see openStream).
  return channel as unknown as Channel<B.TerminalEvent_Deserialize>;
}

function terminalHandle({ terminal, wiring }: B.Opened): TerminalHandle {
  return {
    wiring,
    input: async (data) => {
      unwrap(await commands.terminalInput(terminal, data));
    },
    resize: async (cols, rows) => {
      unwrap(await commands.terminalResize(terminal, cols, rows));
    },
    close: async () => {
      unwrap(await commands.terminalClose(terminal));
    },
  };
}

export const backend: Backend = {
  engineStatus: () => commands.engineStatus(),
  engineRetry: async () => {
    await commands.engineRetry();
  },
  engineInfo: async () => unwrap(await commands.engineInfo()),
  diskUsage: async () => unwrap(await commands.diskUsage()),
  listContainers: async (all) => unwrap(await commands.listContainers(all)),
  listImages: async () => unwrap(await commands.listImages()),
  containerLifecycle: async (id, action) => {
    unwrap(await commands.containerLifecycle(id, action));
  },
  containerRename: async (id, name) => {
    unwrap(await commands.containerRename(id, name));
  },
  containerDetails: async (id) => unwrap(await commands.containerDetails(id)),
  watchStats: (id, onEvent) =>
    openStream<StatsEvent, B.StatsEvent_Deserialize>((ch) => commands.containerStats(id, ch), onEvent),
  terminalShells: async (id) => unwrap(await commands.terminalShells(id)),
  openTerminal: async (id, shell, size, onEvent) =>
    terminalHandle(
      unwrap(await commands.terminalOpen(id, shell, size.cols, size.rows, terminalChannel(onEvent))),
    ),
  attachTerminal: async (id, size, onEvent) =>
    terminalHandle(unwrap(await commands.terminalAttach(id, size.cols, size.rows, terminalChannel(onEvent)))),
  saveLogs: async (id, name, options) => unwrap(await commands.containerLogsSave(id, name, options)),
  parseReference: async (input) => unwrap(await commands.referenceParse(input)),
  pullImage: (reference, platform, onEvent) =>
    openStream<PullProgress, B.PullProgress_Deserialize>(
      (ch) => commands.imagePull(reference, platform, ch),
      onEvent,
    ),
  runChoices: async () => unwrap(await commands.runChoices()),
  imageDetails: async (image) => unwrap(await commands.imageDetails(image)),
  imageTag: async (source, target) => unwrap(await commands.imageTag(source, target)),
  imageRemove: async (image) => unwrap(await commands.imageRemove(image)),
  imagePrunePreview: async (all) => unwrap(await commands.imagePrunePreview(all)),
  imagePrune: async (all) => unwrap(await commands.imagePrune(all)),
  inspectReference: async (reference, platform) =>
    unwrap(await commands.inspectReference(reference, platform)),
  filesList: async (id, path) => unwrap(await commands.filesList(id, path)),
  filesPreview: async (id, path) => unwrap(await commands.filesPreview(id, path)),
  filesChanges: async (id) => unwrap(await commands.filesChanges(id)),
  filesExisting: async (id, dest, names) => unwrap(await commands.filesExisting(id, dest, names)),
  copyIn: (id, sources, dest, onEvent) =>
    openStream<CopyEvent>((ch) => commands.filesCopyIn(id, sources, dest, ch), onEvent),
  copyOut: (id, paths, dest, overwrite, onEvent) =>
    openStream<CopyEvent>((ch) => commands.filesCopyOut(id, paths, dest, overwrite, ch), onEvent),
  pickSources: (folder) => commands.pickSources(folder),
  volumesList: async (sizes) => unwrap(await commands.volumesList(sizes)),
  volumeCreate: async (form) => unwrap(await commands.volumeCreate(form)),
  volumeRemove: async (name) => {
    unwrap(await commands.volumeRemove(name));
  },
  volumePrunePreview: async () => unwrap(await commands.volumePrunePreview()),
  volumePrune: async () => unwrap(await commands.volumePrune()),
  storageOverview: async () => unwrap(await commands.storageOverview()),
  networksList: async () => unwrap(await commands.networksList()),
  networkCreate: async (form) => unwrap(await commands.networkCreate(form)),
  networkRemove: async (name) => {
    unwrap(await commands.networkRemove(name));
  },
  networkConnect: async (network, container, aliases, ip) => {
    unwrap(await commands.networkConnect(network, container, aliases, ip));
  },
  containerCommit: async (id, form) => unwrap(await commands.containerCommit(id, form)),
  pushImage: (image, onEvent) => openStream<B.PushProgress>((ch) => commands.imagePush(image, ch), onEvent),
  buildPlan: async (form) => unwrap(await commands.buildPlan(form)),
  buildImage: (form, onEvent) =>
    openStream<BuildProgress, B.BuildProgress_Deserialize>((ch) => commands.imageBuild(form, ch), onEvent),
  pickDockerfile: () => commands.pickDockerfile(),
  registryLogins: async () => unwrap(await commands.registryLogins()),
  registryLogin: async (form) => unwrap(await commands.registryLogin(form)),
  registryLogout: async (server) => unwrap(await commands.registryLogout(server)),
  sessionSave: async (list, when) => unwrap(await commands.sessionSave(list, when)),
  contextsList: async () => unwrap(await commands.contextsList()),
  contextUse: async (name) => unwrap(await commands.contextUse(name)),
  portOpen: async (id, port, protocol) => unwrap(await commands.portOpen(id, port, protocol)),
  networkDisconnect: async (network, container) => {
    unwrap(await commands.networkDisconnect(network, container));
  },
  onFileDrop: (cb) =>
    getCurrentWebview().onDragDropEvent((e) => {
      const p = e.payload;
      if (p.type === "leave") cb({ kind: "leave" });
      else if (p.type === "drop") cb({ kind: "drop", paths: p.paths, x: p.position.x, y: p.position.y });
      else cb({ kind: "over", x: p.position.x, y: p.position.y });
    }),
  runCheck: async (form) => unwrap(await commands.runCheck(form)),
  runContainer: async (form) => unwrap(await commands.runContainer(form)),
  pickFolder: () => commands.pickFolder(),
  importEnvFile: async () => unwrap(await commands.envFileImport()),
  watchLogs: (id, options, onEvent) =>
    openStream<LogEvent, B.LogEvent_Deserialize>((ch) => commands.containerLogs(id, options, ch), onEvent),
  containerRemove: async (id, force) => {
    unwrap(await commands.containerRemove(id, force));
  },
  settingsGet: async () => unwrap(await commands.settingsGet()),
  settingsSet: async (s) => {
    unwrap(await commands.settingsSet(s));
  },
  onEngineChanged: (cb) => events.engineChanged.listen((e) => cb(e.payload)),
  onStatusChanged: (cb) => events.engineStatusChanged.listen(() => cb()),
};
