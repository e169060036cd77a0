// E4: the engine's events as sentences, whoever caused them (Berth, the
// docker CLI in a terminal, a restart policy).
import type { EngineChanged } from "../lib/backend/backend";
import type { Key } from "../lib/i18n/i18n.svelte";
import { statusSentence } from "../containers/status";

/** Events kept for the timeline (the newest). */
export const KEPT = 500;

/** Events that come with nearly every action: hidden unless asked for. */
const NOISE: Record<string, string[]> = {
  container: [
    "attach",
    "detach",
    "resize",
    "exec_create",
    "exec_detach",
    "archive-path",
    "top",
    "health_status",
  ],
  volume: ["mount", "unmount"],
  network: ["connect", "disconnect"],
};

/** The action without its detail: `exec_start: sh -c x` → `exec_start`. */
export function baseAction(action: string): string {
  return action.split(":")[0].trim();
}

export function isNoise(e: Pick<EngineChanged, "kind" | "action">): boolean {
  return NOISE[e.kind]?.includes(baseAction(e.action)) ?? false;
}

const SENTENCES = {
  container: [
    "create",
    "start",
    "die",
    "stop",
    "kill",
    "pause",
    "unpause",
    "restart",
    "destroy",
    "rename",
    "commit",
    "oom",
    "exec_start",
    "attach",
    "copy",
    "extract-to-dir",
  ],
  image: ["pull", "push", "tag", "untag", "delete", "import", "load", "save"],
  volume: ["create", "destroy", "mount", "unmount"],
  network: ["create", "destroy", "connect", "disconnect", "remove"],
} as const;

// Each (kind, action) above has its sentence: the type checker holds every
// one of these keys to be in the dictionaries.
type Told = {
  [K in keyof typeof SENTENCES]: `activity.${K}.${(typeof SENTENCES)[K][number]}`;
}[keyof typeof SENTENCES];

function toldKey(kind: string, action: string): Told | null {
  const actions: readonly string[] | undefined = (SENTENCES as Record<string, readonly string[]>)[kind];
  return actions?.includes(action) ? (`activity.${kind}.${action}` as Told) : null;
}

export type Sentence = {
  key: Key;
  vars: Record<string, string | number>;
  detail?: { key: Key; vars?: Record<string, string | number> };
};

/** The event's sentence: what happened, to what. */
export function sentence(e: EngineChanged): Sentence {
  const action = baseAction(e.action);
  const rest = e.action.includes(":") ? e.action.slice(e.action.indexOf(":") + 1).trim() : "";
  const name = e.name ?? (e.id.startsWith("sha256:") ? e.id.slice(7, 19) : e.id.slice(0, 12));
  const vars = { name, detail: rest, kind: e.kind, action: e.action };
  const key = toldKey(e.kind, action);
  if (key) {
    const s: Sentence = { key, vars };
    if (e.kind === "container" && action === "die" && e.exitCode !== null && e.exitCode !== undefined) {
      s.vars = { ...vars, code: e.exitCode };
      s.detail = statusSentence({ state: "exited", exitCode: e.exitCode });
    }
    return s;
  }
  return { key: "activity.other", vars };
}

/** Adds an event to the newest-first list, keeping at most KEPT. */
export function remember(list: EngineChanged[], e: EngineChanged): EngineChanged[] {
  const next = [e, ...list];
  return next.length > KEPT ? next.slice(0, KEPT) : next;
}
