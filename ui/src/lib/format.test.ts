import { describe, expect, it } from "vitest";
import { ago, bytes, codeSegments, shortId } from "./format";

describe("format", () => {
  it("prints sizes in the CLI's decimal units", () => {
    expect(bytes(0)).toBe("0B");
    expect(bytes(1_990_000)).toBe("1.99MB");
    expect(bytes(125_400_000)).toBe("125MB");
    expect(bytes(-1)).toBe("–");
  });

  it("shortens IDs to 12 digits without the algorithm", () => {
    expect(shortId("sha256:304b109f42b1aaaaaaaa")).toBe("304b109f42b1");
    expect(shortId("abc")).toBe("abc");
  });

  it("says how long ago in the UI language", () => {
    const now = 1_000_000_000_000;
    expect(ago(now / 1000 - 180, "en", now)).toBe("3 minutes ago");
    expect(ago(now / 1000 - 180, "ko", now)).toBe("3분 전");
  });
});

describe("codeSegments", () => {
  it("marks backticked commands as code and keeps the rest", () => {
    expect(codeSegments("run `docker ps` or `docker ps -a`.")).toEqual([
      { text: "run ", code: false },
      { text: "docker ps", code: true },
      { text: " or ", code: false },
      { text: "docker ps -a", code: true },
      { text: ".", code: false },
    ]);
    expect(codeSegments("no code")).toEqual([{ text: "no code", code: false }]);
    expect(codeSegments("odd ` tick")).toEqual([{ text: "odd ` tick", code: false }]);
  });
});
