// What the Swarm screen works out from the rows the core sends: a rolling
// update's progress task by task, the stacks among the services, the raft
// quorum a number of managers keeps, and which actions a node offers.
import type { NodeChange, NodeRow, ServiceRow, TaskRow } from "../lib/backend/backend";

/** The tasks meant to run (one per slot, or per node for a global
 *  service), newest first; the rest is history. */
export function currentTasks(tasks: TaskRow[]): TaskRow[] {
  return tasks.filter((t) => t.desired === "running" || t.desired === "ready");
}

/** Where a rolling update stands: tasks on the new spec and running,
 *  against what the service wants. */
export function progress(service: ServiceRow, tasks: TaskRow[]): { updated: number; total: number } {
  const live = currentTasks(tasks);
  return {
    updated: live.filter((t) => t.current && t.state === "running").length,
    total: service.desired || live.length,
  };
}

/** An update or rollback still under way. */
export function rolling(service: ServiceRow): boolean {
  const s = service.update?.state ?? "";
  return s === "updating" || s === "rollback_started";
}

/** A stack: the services `docker stack deploy` made under one name. */
export interface Stack {
  name: string;
  services: string[];
  running: number;
  desired: number;
}

export function stacksOf(services: ServiceRow[]): Stack[] {
  const by = new Map<string, Stack>();
  for (const s of services) {
    if (!s.stack) continue;
    const st = by.get(s.stack) ?? { name: s.stack, services: [], running: 0, desired: 0 };
    st.services.push(s.name);
    st.running += s.running;
    st.desired += s.desired;
    by.set(s.stack, st);
  }
  return [...by.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** How many managers may be lost with the swarm still managed: a raft
 *  quorum is a majority, so 3 keep going without 1, 5 without 2. */
export function tolerated(managers: number): number {
  return managers > 0 ? Math.floor((managers - 1) / 2) : 0;
}

/** The actions a node offers, in the order shown. */
export function nodeActions(n: NodeRow): NodeChange[] {
  const out: NodeChange[] = [];
  if (n.availability !== "active") out.push("activate");
  if (n.availability !== "pause") out.push("pause");
  if (n.availability !== "drain") out.push("drain");
  out.push(n.role === "manager" ? "demote" : "promote");
  return out;
}

/** The `docker node …` words for an action (the core returns the line it
 *  ran; this is the hover before it). */
export function nodeCommand(change: NodeChange, node: string): string {
  switch (change) {
    case "promote":
    case "demote":
      return `docker node ${change} ${node}`;
    case "activate":
      return `docker node update --availability active ${node}`;
    default:
      return `docker node update --availability ${change} ${node}`;
  }
}

/** A list typed one item a line (env rows, ports) as the core takes it. */
export function rows(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
}

/** A task's state word as a badge class: good, busy or bad. */
export function stateTone(state: string): "ok" | "busy" | "bad" | "" {
  if (state === "running" || state === "complete") return "ok";
  if (["failed", "rejected", "orphaned"].includes(state)) return "bad";
  if (
    ["new", "pending", "assigned", "accepted", "preparing", "ready", "starting", "allocated"].includes(state)
  )
    return "busy";
  return "";
}

const UPDATE_STATES = [
  "updating",
  "paused",
  "completed",
  "rollback_started",
  "rollback_paused",
  "rollback_completed",
] as const;

/** The words for an update's state; null for one this Berth does not know
 *  (shown as the engine wrote it). */
export function updateKey(state: string): `swarm.update.${(typeof UPDATE_STATES)[number]}` | null {
  return (UPDATE_STATES as readonly string[]).includes(state)
    ? (`swarm.update.${state}` as `swarm.update.${(typeof UPDATE_STATES)[number]}`)
    : null;
}

const NODE_STATES = ["ready", "down", "disconnected", "unknown"] as const;

/** The words for a node's state; null for one the engine added since. */
export function nodeStateKey(state: string): `swarm.nodeState.${(typeof NODE_STATES)[number]}` | null {
  return (NODE_STATES as readonly string[]).includes(state)
    ? (`swarm.nodeState.${state}` as `swarm.nodeState.${(typeof NODE_STATES)[number]}`)
    : null;
}
