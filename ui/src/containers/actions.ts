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

// Quoting a word for the shell, as the Rust core's `cli::quote` does: a word a
// learner writes bare stays bare; any other goes through the rules of the
// shlex crate (safe in bash, zsh, dash and fish), ported here. Both sides are
// tested against one table, crates/berth-core/tests/data/quote.json.
const BARE = /^[A-Za-z0-9_./:=@%+-]+$/;
const UNQUOTED_OK = /^[+\-./:@\]_0-9A-Za-z]$/;
const [UNQUOTED, SINGLE, DOUBLE] = [1, 2, 4];

function okFor(c: string): number {
  if (c.charCodeAt(0) >= 0x80) return SINGLE | DOUBLE;
  let ok = 0;
  if (UNQUOTED_OK.test(c)) ok |= UNQUOTED;
  if (c !== "'" && c !== "^" && c !== "\\") ok |= SINGLE;
  if (c !== "`" && c !== "$" && c !== "!" && c !== "^") ok |= DOUBLE;
  return ok;
}

/** Quotes an argument for the shell only when it needs it. */
export function shellQuote(word: string): string {
  const s = word.replace(/\0/g, "");
  if (s === "") return "''";
  if (BARE.test(s)) return s;
  let out = "";
  let i = 0;
  while (i < s.length) {
    // The longest run from i that one strategy covers, as shlex chooses.
    let allowed = UNQUOTED | SINGLE | DOUBLE;
    let j = i;
    if (s[j] === "^") {
      allowed = SINGLE;
      j++;
    }
    for (; j < s.length; j++) {
      const next = allowed & okFor(s[j]);
      if (next === 0) break;
      allowed = next;
    }
    const chunk = s.slice(i, j);
    if (allowed & UNQUOTED) out += chunk;
    else if (allowed & SINGLE) out += `'${chunk}'`;
    else out += `"${chunk.replace(/[$`"\\]/g, (c) => `\\${c}`)}"`;
    i = j;
  }
  return out;
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
