// The one sentence that explains a container's status (C1).
import type { ContainerRow } from "../lib/backend/backend";
import type { Key } from "../lib/i18n/i18n.svelte";
import { ago, duration } from "../lib/format";
import { searchRows, sortRows } from "../lib/table.svelte";

const SIGNALS: Record<number, string> = {
  1: "SIGHUP",
  2: "SIGINT",
  3: "SIGQUIT",
  6: "SIGABRT",
  9: "SIGKILL",
  11: "SIGSEGV",
  13: "SIGPIPE",
  14: "SIGALRM",
  15: "SIGTERM",
};

export function statusSentence(row: Pick<ContainerRow, "state" | "exitCode">): {
  key: Key;
  vars?: Record<string, string | number>;
} {
  switch (row.state) {
    case "created":
    case "running":
    case "paused":
    case "restarting":
    case "removing":
    case "dead":
    case "unknown":
      return { key: `status.${row.state}` };
    case "exited": {
      const code = row.exitCode;
      if (code === null) return { key: "status.unknown" };
      if (code === 0 || code === 1 || code === 126 || code === 127 || code === 137 || code === 143)
        return { key: `status.exit${code}` };
      if (code > 128 && code < 160) {
        const n = code - 128;
        return { key: "status.exitSignal", vars: { code, signal: SIGNALS[n] ?? n } };
      }
      return { key: "status.exitOther", vars: { code } };
    }
  }
}

/** The status badge, written by Berth in the UI language from the state,
 * the exit code and how long (the engine's own English words, such as
 * "Exited (137) 3 seconds ago", stay in the badge's title). */
export function statusBadge(
  row: Pick<ContainerRow, "state" | "exitCode" | "sinceSecs">,
  lang: string,
  now = Date.now(),
): { key: Key; vars?: Record<string, string | number> } {
  const since = row.sinceSecs;
  switch (row.state) {
    case "running":
      return since === null
        ? { key: "badge.running" }
        : { key: "badge.up", vars: { for: duration(since, lang) } };
    case "exited": {
      const code = row.exitCode ?? "?";
      return since === null
        ? { key: "badge.exited", vars: { code } }
        : { key: "badge.exitedAgo", vars: { code, ago: ago(now / 1000 - since, lang, now) } };
    }
    case "restarting":
      return { key: "badge.restarting" };
    case "paused":
    case "created":
    case "removing":
    case "dead":
    case "unknown":
      return { key: `badge.${row.state}` };
  }
}

export type ContainerSort = "name" | "id" | "image" | "created" | "ports";

/** Search (name, ID, image, status, command) and sort, for the list. */
export function filterContainers(
  list: ContainerRow[],
  query: string,
  key: ContainerSort,
  desc: boolean,
): ContainerRow[] {
  const found = searchRows(list, query, (r) => [r.name, r.id, r.image, r.status, r.command]);
  return sortRows(
    found,
    (r) => (key === "created" ? r.created : key === "ports" ? (r.ports[0]?.hostPort ?? -1) : r[key]),
    desc,
  );
}
