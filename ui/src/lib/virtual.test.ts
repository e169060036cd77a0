import { describe, expect, it } from "vitest";
import { visibleRange } from "./virtual";

describe("visibleRange", () => {
  it("renders the rows in view plus the overscan", () => {
    expect(visibleRange(0, 400, 40, 10_000, 5)).toEqual({ start: 0, end: 15 });
    expect(visibleRange(4000, 400, 40, 10_000, 5)).toEqual({ start: 95, end: 115 });
  });

  it("stops at the end of the list", () => {
    expect(visibleRange(399_600, 400, 40, 10_000, 5)).toEqual({ start: 9985, end: 10_000 });
    expect(visibleRange(10_000_000, 400, 40, 10, 5)).toEqual({ start: 9, end: 10 });
  });

  it("copes with an empty list, no height yet, and overscroll", () => {
    expect(visibleRange(0, 0, 40, 0)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(0, 0, 40, 100, 2)).toEqual({ start: 0, end: 3 });
    expect(visibleRange(-50, 400, 40, 100, 0)).toEqual({ start: 0, end: 10 });
  });
});
