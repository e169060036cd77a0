import { describe, expect, it } from "vitest";
import { Latest } from "./latest";

describe("Latest", () => {
  it("lets only the latest of overlapping loads count, whichever answers first", async () => {
    const loads = new Latest();
    const shown: string[] = [];
    const load = async (name: string, ms: number) => {
      const mine = loads.start();
      await new Promise((r) => setTimeout(r, ms));
      if (mine.isLatest()) shown.push(name);
    };
    await Promise.all([load("slow /usr", 40), load("quick /etc", 5)]);
    expect(shown).toEqual(["quick /etc"]);
    await load("alone", 1);
    expect(shown).toEqual(["quick /etc", "alone"]);
  });
});
