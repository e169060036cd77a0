// B1's pure parts: the build's live state from its events, and the
// Dockerfile's lines with the step each instruction is.
import type { BuildEvent, BuildPlan, StepCache } from "../lib/backend/backend";

/** Lines of output kept per step (the first ones are dropped beyond it). */
export const OUTPUT_KEPT = 500;

export type Live = {
  cache: StepCache;
  /** The earlier miss that made this step run again. */
  after: number | null;
  millis: number | null;
  output: string[];
  dropped: number;
};

export type BuildState = {
  steps: Record<number, Live>;
  current: number | null;
  sent: { bytes: number; total: number } | null;
  failed: { step: number | null; line: number | null; message: string } | null;
};

/** Whether a step is running now: started, not ended. BuildKit runs
 *  independent stages' steps at once, so several can be. */
export function running(s: BuildState, step: number): boolean {
  const l = s.steps[step];
  return !!l && l.millis === null && (l.cache === "pending" || l.cache === "miss") && s.failed === null;
}

export function emptyState(): BuildState {
  return { steps: {}, current: null, sent: null, failed: null };
}

function live(s: BuildState, step: number): Live {
  s.steps[step] ??= { cache: "pending", after: null, millis: null, output: [], dropped: 0 };
  return s.steps[step];
}

/** Folds one event into the state (mutates it: it may be a $state proxy). */
export function apply(s: BuildState, e: BuildEvent): void {
  switch (e.kind) {
    case "sending":
      s.sent = { bytes: e.bytes, total: e.total };
      break;
    case "step": {
      s.current = e.step;
      const l = live(s, e.step);
      if (/^(FROM)\s/i.test(e.text)) l.cache = "base";
      break;
    }
    case "cache": {
      const l = live(s, e.step);
      l.cache = e.cache;
      l.after = e.after;
      break;
    }
    case "output": {
      // Lines come in batches, joined by newlines.
      if (e.step === null) break;
      const l = live(s, e.step);
      const lines = e.text.split("\n");
      const over = l.output.length + lines.length - OUTPUT_KEPT;
      if (over > 0) {
        l.output = [...l.output, ...lines].slice(over);
        l.dropped += over;
      } else l.output.push(...lines);
      break;
    }
    case "stepDone":
      live(s, e.step).millis = e.millis;
      break;
    case "failed":
      s.failed = { step: e.step, line: e.line, message: e.message };
      s.current = null;
      break;
  }
}

export type Row = {
  line: number;
  text: string;
  /** The step whose instruction starts on this line. */
  starts: number | null;
  /** The step whose instruction spans this line (any of its lines). */
  step: number | null;
  /** The last line of its instruction: where the output is folded. */
  ends: boolean;
  /** An instruction after the target stage: not built. */
  skipped: boolean;
};

/** The Dockerfile's lines, each with the step it belongs to. */
export function rows(plan: Pick<BuildPlan, "dockerfileText" | "dockerfile" | "steps">): Row[] {
  const out: Row[] = plan.dockerfileText
    .split("\n")
    .map((text, i) => ({ line: i + 1, text, starts: null, step: null, ends: false, skipped: false }));
  if (out.length > 1 && out[out.length - 1].text === "") out.pop();
  plan.dockerfile.instructions.forEach((ins, i) => {
    const step = i + 1;
    for (let l = ins.firstLine; l <= ins.lastLine && l <= out.length; l++) {
      const r = out[l - 1];
      r.step = step;
      r.skipped = step > plan.steps;
      r.starts = l === ins.firstLine ? step : null;
      r.ends = l === ins.lastLine;
    }
  });
  return out;
}

/** "0.4 s", "12 s", "2 min 5 s". */
export function duration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
