// What can be done to a container in each state (C3), and the docker
// command each action equals (L2).
import type { ContainerRow, Lifecycle } from "../lib/backend/backend";

export type Action = Lifecycle | "rename" | "remove";

const BY_STATE: Record<ContainerRow["state"], Action[]> = {
  created: ["start", "rename", "remove"],
  exited: ["start", "rename", "remove"],
  dead: ["remove"],
  running: ["stop", "restart", "pause", "kill", "rename", "remove"],
  paused: ["unpause", "kill", "rename", "remove"],
  restarting: ["stop", "kill", "remove"],
  removing: [],
  unknown: ["remove"],
};

export function actionsFor(state: ContainerRow["state"]): Action[] {
  return BY_STATE[state];
}

/** Quotes an argument for a POSIX shell only when it needs it. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function commandFor(action: Action, name: string, opts: { newName?: string; force?: boolean } = {}) {
  const n = shellQuote(name);
  switch (action) {
    case "rename":
      return `docker container rename ${n} ${shellQuote(opts.newName ?? "NEW_NAME")}`;
    case "remove":
      return `docker container rm ${opts.force ? "-f " : ""}${n}`;
    default:
      return `docker container ${action} ${n}`;
  }
}
