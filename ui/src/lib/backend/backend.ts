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
export type Lab = B.Lab_Serialize;
export type LabStep = B.Step_Serialize;
export type BerthWay = B.BerthWay_Serialize;
export type LabCatalog = B.LabCatalog_Serialize;
export type LabView = B.LabView_Serialize;
export type LabState = B.LabState_Serialize;
export type LabProgress = B.LabProgress_Serialize;
export type ResetPlan = B.ResetPlan;
export type Text = B.Text;
export type StatsEvent = B.StatsEvent_Serialize;
export type LogEvent = B.LogEvent_Serialize;
export type LogLine = B.LogLine_Serialize;
export type LogChunk = B.LogChunk_Serialize;
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
export type ListEvent = B.ListEvent_Serialize;
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
export type ComposeInfo = B.ComposeInfo_Serialize;
export type ComposePlan = B.ComposePlan_Serialize;
export type ServicePlan = B.ServicePlan_Serialize;
export type FileProblem = B.FileProblem_Serialize;
export type ComposeTool = B.ComposeTool;
export type UpForm = B.UpForm;
export type ComposeUpEvent = B.ComposeUpEvent_Serialize;
export type ProjectLine = B.ProjectLine_Serialize;
export type ProjectLogEvent = B.ProjectLogEvent_Serialize;
export type ProjectLogOptions = B.ProjectLogOptions_Deserialize;
export type ProjectTarget = B.Target_Deserialize;
export type DownPlan = B.DownPlan;
export type ToolLineShown = B.ToolLine;
export type EngineTested = B.Tested_Serialize;
export type NewContext = B.NewContext;
export type HostKey = B.HostKey;
export type SwarmStatus = B.SwarmStatus_Serialize;
export type SwarmRole = B.SwarmRole;
export type NodeRow = B.NodeRow_Serialize;
export type NodeChange = B.NodeChange;
export type JoinTokens = B.JoinTokens;
export type ServiceRow = B.ServiceRow_Serialize;
export type TaskRow = B.TaskRow_Serialize;
export type ServiceForm = B.ServiceForm_Deserialize;
export type ServiceChange = B.ServiceChange_Deserialize;
export type UpdatePolicy = B.UpdatePolicy;
export type ServiceLine = B.ServiceLine_Serialize;
export type ServiceLogEvent = B.ServiceLogEvent_Serialize;
export type ServiceLogOptions = B.ServiceLogOptions_Deserialize;
export type ObjectRow = B.ObjectRow_Serialize;
export type ObjectKind = B.ObjectKind;
export type ObjectForm = B.ObjectForm_Deserialize;
export type StackForm = B.StackForm;
export type StackDeployEvent = B.StackDeployEvent_Serialize;
export type AppAbout = B.AppAbout;

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
  PushPhase,
  Said,
  Source,
  UsageRow,
} from "./bindings";

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

/** A stream the window paces (a container's logs): `stop` as `Cancel`;
 * `drawn(n)` tells that n more batches were drawn, so the next are read
 * from the engine (at most two are sent and undrawn at a time). */
export type Paced = { stop: Cancel; drawn: (batches: number) => void };

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
  return (await openPaced(start, onEvent)).stop;
}

/** `openStream`, with the stream's `drawn` too (see `Paced`). */
async function openPaced<T extends { kind: string }, D = T>(
  start: (channel: Channel<D>) => Promise<Result<number, IpcError>>,
  onEvent: (e: T) => void,
): Promise<Paced> {
  const channel = new Channel<T>();
  let ended = false;
  channel.onmessage = (e) => {
    if (e.kind === "ended") ended = true;
    onEvent(e);
  };
  const stream = unwrap(await start(channel as unknown as Channel<D>));
  return {
    stop: ended ? null : () => void commands.streamCancel(stream),
    drawn: (batches) => {
      if (!ended && batches > 0) void commands.streamDrawn(stream, batches);
    },
  };
}

type Unlisten = () => void;

// Every command that answers Result<T, IpcError> is called as a function
// answering T, its error thrown as a BackendError; those that cannot fail
// answer as they are. Derived from the generated `commands`, so a command
// added in Rust is here without being listed again.
type Answer<R> = R extends { status: "error"; error: IpcError }
  ? never
  : R extends { status: "ok"; data: infer T }
    ? T extends null
      ? void
      : T
    : R;
type Direct<F> = F extends (...args: infer A) => Promise<infer R>
  ? (...args: A) => Promise<Answer<R>>
  : never;
type Commands = { [K in keyof typeof commands]: Direct<(typeof commands)[K]> };

/** The commands whose arguments are Channels or ids: the window reaches
 * them through the stream and terminal methods below instead. */
type Wrapped =
  | "containerStats"
  | "containerLogs"
  | "streamCancel"
  | "terminalOpen"
  | "terminalAttach"
  | "terminalInput"
  | "terminalResize"
  | "terminalClose"
  | "imagePull"
  | "filesList"
  | "filesCopyIn"
  | "filesCopyOut"
  | "imagePush"
  | "imageBuild"
  | "composeUp"
  | "projectLogs"
  | "serviceLogs"
  | "stackDeploy";

export type Backend = Omit<Commands, Wrapped> & Streams;

/** What the window does through Channels and events. */
interface Streams {
  /** Streams live stats; the returned function stops the stream. */
  watchStats(id: string, onEvent: (e: StatsEvent) => void): Promise<Cancel>;
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
  /** `docker image pull`; the returned function cancels it. */
  pullImage(reference: string, platform: string | null, onEvent: (e: PullProgress) => void): Promise<Cancel>;
  /** Copies host paths into a container folder; the function cancels. */
  /** A folder's entries; through the archive it says how far it has read,
   *  and the returned function cancels it. */
  watchList(id: string, path: string, onEvent: (e: ListEvent) => void): Promise<Cancel>;
  copyIn(id: string, sources: string[], dest: string, onEvent: (e: CopyEvent) => void): Promise<Cancel>;
  /** Copies container paths into a host folder; the function cancels. */
  copyOut(
    id: string,
    paths: string[],
    dest: string,
    overwrite: boolean,
    onEvent: (e: CopyEvent) => void,
  ): Promise<Cancel>;
  /** `docker image push`; the returned function cancels it. */
  pushImage(image: string, onEvent: (e: B.PushProgress) => void): Promise<Cancel>;
  /** `docker image build`; the returned function cancels it. */
  buildImage(form: BuildForm, onEvent: (e: BuildProgress) => void): Promise<Cancel>;
  onFileDrop(cb: (e: FileDrop) => void): Promise<Unlisten>;
  /** Streams logs in batches of lines; the returned function stops it. */
  /** A container's logs, paced by the window: tell each batch drawn. */
  watchLogs(id: string, options: B.LogOptions, onEvent: (e: LogEvent) => void): Promise<Paced>;
  /** `<compose> up -d` from a file; the returned function stops the CLI. */
  composeUp(form: UpForm, onEvent: (e: ComposeUpEvent) => void): Promise<Cancel>;
  /** A project's logs merged by time; the returned function stops them. */
  watchProjectLogs(options: ProjectLogOptions, onEvent: (e: ProjectLogEvent) => void): Promise<Cancel>;
  /** A swarm service's logs, every task merged by time; the function stops them. */
  watchServiceLogs(options: ServiceLogOptions, onEvent: (e: ServiceLogEvent) => void): Promise<Cancel>;
  /** `docker stack deploy` through the docker CLI; the function stops it. */
  deployStack(form: StackForm, onEvent: (e: StackDeployEvent) => void): Promise<Cancel>;
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
  // Keystrokes go one call at a time, in order: Tauri runs concurrent calls
  // in any order, which under load swapped typed characters. What is typed
  // while a call is out goes in the next one, together.
  let buffered = "";
  let sending: Promise<void> | null = null;
  const drain = async () => {
    try {
      while (buffered) {
        const data = buffered;
        buffered = "";
        unwrap(await commands.terminalInput(terminal, data));
      }
    } finally {
      sending = null;
    }
  };
  return {
    wiring,
    input: (data) => {
      buffered += data;
      sending ??= drain();
      return sending;
    },
    resize: async (cols, rows) => {
      unwrap(await commands.terminalResize(terminal, cols, rows));
    },
    close: async () => {
      unwrap(await commands.terminalClose(terminal));
    },
  };
}

const streams: Streams = {
  watchStats: (id, onEvent) =>
    openStream<StatsEvent, B.StatsEvent_Deserialize>((ch) => commands.containerStats(id, ch), onEvent),
  openTerminal: async (id, shell, size, onEvent) =>
    terminalHandle(
      unwrap(await commands.terminalOpen(id, shell, size.cols, size.rows, terminalChannel(onEvent))),
    ),
  attachTerminal: async (id, size, onEvent) =>
    terminalHandle(unwrap(await commands.terminalAttach(id, size.cols, size.rows, terminalChannel(onEvent)))),
  pullImage: (reference, platform, onEvent) =>
    openStream<PullProgress, B.PullProgress_Deserialize>(
      (ch) => commands.imagePull(reference, platform, ch),
      onEvent,
    ),
  watchList: (id, path, onEvent) =>
    openStream<ListEvent, B.ListEvent_Deserialize>((ch) => commands.filesList(id, path, ch), onEvent),
  copyIn: (id, sources, dest, onEvent) =>
    openStream<CopyEvent>((ch) => commands.filesCopyIn(id, sources, dest, ch), onEvent),
  copyOut: (id, paths, dest, overwrite, onEvent) =>
    openStream<CopyEvent>((ch) => commands.filesCopyOut(id, paths, dest, overwrite, ch), onEvent),
  pushImage: (image, onEvent) => openStream<B.PushProgress>((ch) => commands.imagePush(image, ch), onEvent),
  buildImage: (form, onEvent) =>
    openStream<BuildProgress, B.BuildProgress_Deserialize>((ch) => commands.imageBuild(form, ch), onEvent),
  onFileDrop: (cb) =>
    getCurrentWebview().onDragDropEvent((e) => {
      const p = e.payload;
      if (p.type === "leave") cb({ kind: "leave" });
      else if (p.type === "drop") cb({ kind: "drop", paths: p.paths, x: p.position.x, y: p.position.y });
      else cb({ kind: "over", x: p.position.x, y: p.position.y });
    }),
  watchLogs: (id, options, onEvent) =>
    openPaced<LogEvent, B.LogEvent_Deserialize>((ch) => commands.containerLogs(id, options, ch), onEvent),
  composeUp: (form, onEvent) =>
    openStream<ComposeUpEvent, B.ComposeUpEvent_Deserialize>((ch) => commands.composeUp(form, ch), onEvent),
  watchProjectLogs: (options, onEvent) =>
    openStream<ProjectLogEvent, B.ProjectLogEvent_Deserialize>(
      (ch) => commands.projectLogs(options, ch),
      onEvent,
    ),
  watchServiceLogs: (options, onEvent) =>
    openStream<ServiceLogEvent, B.ServiceLogEvent_Deserialize>(
      (ch) => commands.serviceLogs(options, ch),
      onEvent,
    ),
  deployStack: (form, onEvent) =>
    openStream<StackDeployEvent, B.StackDeployEvent_Deserialize>(
      (ch) => commands.stackDeploy(form, ch),
      onEvent,
    ),
  onEngineChanged: (cb) => events.engineChanged.listen((e) => cb(e.payload)),
  onStatusChanged: (cb) => events.engineStatusChanged.listen(() => cb()),
};

/** A command called directly: its answer, or its error thrown. */
function direct(name: keyof typeof commands) {
  return async (...args: unknown[]) => {
    const call = commands[name] as (...a: unknown[]) => Promise<unknown>;
    const answer = await call(...args);
    return PASSED_THROUGH.has(name) ? answer : unwrap(answer as Result<unknown, IpcError>);
  };
}

/** Commands that cannot fail, whose answer is not a Result. */
const PASSED_THROUGH = new Set<keyof typeof commands>([
  "engineStatus",
  "engineRetry",
  "pickSources",
  "pickDockerfile",
  "pickFolder",
  "pickComposeFile",
  "pickFile",
  "pickTlsFile",
  "contextSaveLine",
  "composeTool",
  "appAbout",
]);

export const backend: Backend = new Proxy(streams as Backend, {
  get: (target, name: string) =>
    name in target
      ? target[name as keyof Backend]
      : name in commands
        ? direct(name as keyof typeof commands)
        : undefined,
});
