import { describe, expect, it } from "vitest";
import { apply, duration, emptyState, OUTPUT_KEPT, rows, running } from "./build";
import type { BuildPlan } from "../lib/backend/backend";

const plan = {
  dockerfileText: "FROM x AS b\n# note\nRUN a && \\\n    b\n\nFROM x\nCOPY --from=b /a /a\n",
  steps: 2,
  dockerfile: {
    instructions: [
      { keyword: "FROM", args: "x AS b", firstLine: 1, lastLine: 1, stage: 0 },
      { keyword: "RUN", args: "a && b", firstLine: 3, lastLine: 4, stage: 0 },
      { keyword: "FROM", args: "x", firstLine: 6, lastLine: 6, stage: 1 },
      { keyword: "COPY", args: "--from=b /a /a", firstLine: 7, lastLine: 7, stage: 1 },
    ],
    stages: [],
    args: [],
  },
} as unknown as BuildPlan;

describe("the Dockerfile's rows", () => {
  it("carry the step of the instruction they belong to", () => {
    const r = rows(plan);
    expect(r.map((x) => [x.line, x.step, x.starts, x.ends, x.skipped])).toEqual([
      [1, 1, 1, true, false],
      [2, null, null, false, false],
      [3, 2, 2, false, false],
      [4, 2, null, true, false],
      [5, null, null, false, false],
      [6, 3, 3, true, true],
      [7, 4, 4, true, true],
    ]);
  });
});

describe("the build's state", () => {
  it("follows the events: cache, cause, time, output, failure", () => {
    const s = emptyState();
    apply(s, { kind: "sending", bytes: 10, total: 20 });
    apply(s, { kind: "step", step: 1, total: 2, text: "FROM x AS b", first: 1, last: 1 });
    apply(s, { kind: "stepDone", step: 1, millis: 3 });
    apply(s, { kind: "step", step: 2, total: 2, text: "RUN a && b", first: 3, last: 4 });
    apply(s, { kind: "cache", step: 2, cache: "miss", after: 1 });
    apply(s, { kind: "output", step: 2, text: "hello" });
    apply(s, { kind: "failed", step: 2, line: 3, message: "returned a non-zero code: 1" });
    expect(s.sent).toEqual({ bytes: 10, total: 20 });
    expect(s.steps[1]).toMatchObject({ cache: "base", millis: 3 });
    expect(s.steps[2]).toMatchObject({ cache: "miss", after: 1, output: ["hello"] });
    expect(s.failed).toEqual({ step: 2, line: 3, message: "returned a non-zero code: 1" });
    expect(s.current).toBeNull();
  });

  it("keeps only the last lines of a long output", () => {
    const s = emptyState();
    for (let i = 0; i < OUTPUT_KEPT + 5; i++) apply(s, { kind: "output", step: 1, text: `l${i}` });
    expect(s.steps[1].output.length).toBe(OUTPUT_KEPT);
    expect(s.steps[1].output[0]).toBe("l5");
    expect(s.steps[1].dropped).toBe(5);
    // A batch of lines joined by newlines.
    apply(s, { kind: "output", step: 2, text: "a\nb\nc" });
    expect(s.steps[2].output).toEqual(["a", "b", "c"]);
    const many = Array.from({ length: OUTPUT_KEPT * 2 }, (_, i) => `m${i}`).join("\n");
    apply(s, { kind: "output", step: 2, text: many });
    expect(s.steps[2].output.length).toBe(OUTPUT_KEPT);
    expect(s.steps[2].output.at(-1)).toBe(`m${OUTPUT_KEPT * 2 - 1}`);
    expect(s.steps[2].dropped).toBe(OUTPUT_KEPT + 3);
  });
});

describe("durations", () => {
  it("read as a person says them", () => {
    expect(duration(412)).toBe("0.4 s");
    expect(duration(12_400)).toBe("12 s");
    expect(duration(125_000)).toBe("2 min 5 s");
  });
});

describe("parallel steps", () => {
  it("are running at once until each ends, and none after a failure", () => {
    const s = emptyState();
    apply(s, { kind: "step", step: 2, total: 5, text: "RUN a", first: 2, last: 2 });
    apply(s, { kind: "step", step: 4, total: 5, text: "RUN b", first: 4, last: 4 });
    expect([running(s, 2), running(s, 4), running(s, 3)]).toEqual([true, true, false]);
    apply(s, { kind: "cache", step: 2, cache: "miss", after: null });
    apply(s, { kind: "stepDone", step: 2, millis: 900 });
    expect([running(s, 2), running(s, 4)]).toEqual([false, true]);
    apply(s, { kind: "failed", step: 4, line: 4, message: "exit code: 3" });
    expect(running(s, 4)).toBe(false);
  });
});
