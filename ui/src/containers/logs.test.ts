import { describe, expect, it } from "vitest";
import { logCommand, splitMatches } from "./logs";
import { shellQuote } from "./actions";

describe("the log view", () => {
  it("shows the docker logs command for its options", () => {
    expect(logCommand("web", { follow: true, timestamps: false, tail: 1000 }, shellQuote)).toBe(
      "docker container logs -f --tail 1000 web",
    );
    expect(logCommand("my web", { follow: false, timestamps: true, tail: null }, shellQuote)).toBe(
      "docker container logs -t 'my web'",
    );
  });

  it("highlights every match, whatever its case", () => {
    expect(splitMatches("Error: an error", "error")).toEqual([
      { text: "Error", hit: true },
      { text: ": an ", hit: false },
      { text: "error", hit: true },
    ]);
    expect(splitMatches("nothing", "")).toEqual([{ text: "nothing", hit: false }]);
  });
});
