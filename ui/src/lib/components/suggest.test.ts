import { describe, expect, it } from "vitest";
import { moveHighlight, suggestionsFor } from "./suggest";

describe("suggestionsFor", () => {
  const opts = ["127.0.0.1:5000/berth-fixture/multi:1", "nginx:1.27", "Busybox:1", "nginx:1.27"];

  it("offers every option (once) for an empty field", () => {
    expect(suggestionsFor(opts, "")).toEqual([
      "127.0.0.1:5000/berth-fixture/multi:1",
      "nginx:1.27",
      "Busybox:1",
    ]);
  });

  it("matches anywhere, in any case", () => {
    expect(suggestionsFor(opts, "BUSY")).toEqual(["Busybox:1"]);
    expect(suggestionsFor(opts, "fixture")).toEqual(["127.0.0.1:5000/berth-fixture/multi:1"]);
  });

  it("leaves out what is typed exactly: nothing is left to suggest", () => {
    expect(suggestionsFor(opts, "nginx:1.27")).toEqual([]);
    expect(suggestionsFor(opts, " nginx:1.27 ")).toEqual([]);
  });

  it("stops at max", () => {
    const many = Array.from({ length: 20 }, (_, i) => `img${i}`);
    expect(suggestionsFor(many, "img", 5)).toHaveLength(5);
  });
});

describe("moveHighlight", () => {
  it("walks down, past the last back to the field, and up from the field to the last", () => {
    expect(moveHighlight(-1, 3, "ArrowDown")).toBe(0);
    expect(moveHighlight(2, 3, "ArrowDown")).toBe(-1);
    expect(moveHighlight(-1, 3, "ArrowUp")).toBe(2);
    expect(moveHighlight(0, 3, "ArrowUp")).toBe(-1);
    expect(moveHighlight(0, 0, "ArrowDown")).toBe(-1);
  });
});
