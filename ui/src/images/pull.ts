// Pull progress (I5) folded into what the panel draws: one row per layer in
// the order the engine first named it, the last messages, and the outcome.
import type { PullEvent } from "../lib/backend/backend";

export type Phase = Extract<PullEvent, { kind: "layer" }>["phase"];

export interface LayerRow {
  id: string;
  phase: Phase;
  current: number | null;
  total: number | null;
}

export interface PullView {
  layers: LayerRow[];
  messages: string[];
  done: { digest: string | null; status: string } | null;
}

export const emptyPull = (): PullView => ({ layers: [], messages: [], done: null });

/** Applies one event; returns a new view (the old one is not changed). */
export function applyPull(v: PullView, e: PullEvent): PullView {
  switch (e.kind) {
    case "layer": {
      const row: LayerRow = { id: e.id, phase: e.phase, current: e.current ?? null, total: e.total ?? null };
      const i = v.layers.findIndex((l) => l.id === e.id);
      const layers = i < 0 ? [...v.layers, row] : v.layers.map((l, j) => (j === i ? row : l));
      return { ...v, layers };
    }
    case "message":
      return { ...v, messages: [...v.messages, e.text].slice(-5) };
    case "done":
      return { ...v, done: { digest: e.digest, status: e.status } };
    default:
      return v;
  }
}

/** 0..1 for a progress bar, when the engine said how far. */
export function fraction(l: LayerRow): number | null {
  if (l.phase === "complete" || l.phase === "alreadyExists" || l.phase === "downloaded") return 1;
  if (l.current === null || !l.total) return null;
  return Math.min(1, l.current / l.total);
}

/** `docker image pull [--platform P] REF`, quoted for a shell. */
export function pullCommand(ref: string, platform: string, quote: (s: string) => string): string {
  return `docker image pull ${platform ? `--platform ${quote(platform)} ` : ""}${quote(ref.trim() || "NAME[:TAG]")}`;
}
