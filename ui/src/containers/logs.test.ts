import { describe, expect, it } from "vitest";
import { LogBuffer, logCommand, splitMatches } from "./logs";
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

  it("keeps lines in batches and gives each back by index, as it came", () => {
    const b = new LogBuffer();
    b.add([
      { stream: "stdout", text: "first", timestamp: null, truncated: false },
      { stream: "stderr", text: "", timestamp: "2026-12-01T00:00:00Z", truncated: false },
    ]);
    b.add([]);
    b.add([{ stream: "console", text: "third ünïcode", timestamp: null, truncated: true }]);
    expect(b.length).toBe(3);
    expect(b.line(0)).toEqual({ stream: "stdout", text: "first", timestamp: null, truncated: false });
    expect(b.line(1)).toEqual({
      stream: "stderr",
      text: "",
      timestamp: "2026-12-01T00:00:00Z",
      truncated: false,
    });
    expect(b.line(2)).toEqual({ stream: "console", text: "third ünïcode", timestamp: null, truncated: true });
  });

  it("reads the core's compact batch, and a malformed one without throwing", () => {
    const b = new LogBuffer();
    // The same batch as the core's own test of LogChunk::of.
    b.addChunk({
      text: "\n두 번째 line\nx\n",
      streams: "oeco",
      cut: [1],
      stamps: "\n\n2026-12-02T00:00:00Z\n",
    });
    expect(b.length).toBe(4);
    expect([0, 1, 2, 3].map((i) => b.line(i))).toEqual([
      { stream: "stdout", text: "", timestamp: null, truncated: false },
      { stream: "stderr", text: "두 번째 line", timestamp: null, truncated: true },
      { stream: "console", text: "x", timestamp: "2026-12-02T00:00:00Z", truncated: false },
      { stream: "stdout", text: "", timestamp: null, truncated: false },
    ]);
    // Three streams but one line of text, a cut past the end, an unknown letter.
    b.addChunk({ text: "only", streams: "oz?", cut: [9], stamps: null });
    expect(b.length).toBe(7);
    expect([4, 5, 6].map((i) => b.line(i).text)).toEqual(["only", "", ""]);
    expect(b.line(5).stream).toBe("stdout");
    expect(b.matching("only")).toEqual([4]);
  });

  it("finds the lines that hold a word, once each, never across two lines", () => {
    const b = new LogBuffer();
    const line = (text: string) => ({ stream: "stdout" as const, text, timestamp: null, truncated: false });
    b.add([line("Error one error"), line("fine"), line("err"), line("or here")]);
    b.add([line("ERROR again"), line("İstanbul error")]);
    expect(b.matching("error")).toEqual([0, 4, 5]);
    // "err" + "or" meet only across a line's end: no line holds "error" there.
    expect(b.matching("rror h")).toEqual([]);
    expect(b.matching("fine")).toEqual([1]);
    // A second search with the same word gives the same, from the cache.
    expect(b.matching("error")).toEqual([0, 4, 5]);
  });
});
