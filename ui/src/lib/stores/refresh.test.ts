import { describe, expect, it, vi } from "vitest";
import { debouncedReload } from "./refresh";

describe("debouncedReload", () => {
  it("turns a burst of events into one reload", async () => {
    vi.useFakeTimers();
    const reload = vi.fn(async () => {});
    const r = debouncedReload(reload, 100);
    for (let i = 0; i < 10; i++) r.poke();
    expect(reload).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(100);
    expect(reload).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
  });

  it("runs once more after a reload that events overtook, never two at once", async () => {
    let release!: () => void;
    let inFlight = 0;
    let maxInFlight = 0;
    const reload = vi.fn(async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise<void>((res) => (release = res));
      inFlight--;
    });
    const r = debouncedReload(reload, 0);
    const first = r.now();
    void r.now();
    void r.now();
    release();
    await first;
    await new Promise((res) => setTimeout(res, 0));
    expect(reload).toHaveBeenCalledTimes(2);
    release();
    expect(maxInFlight).toBe(1);
  });
});
