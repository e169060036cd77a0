import { describe, expect, it } from "vitest";
import { statusSentence } from "./status";

describe("the status sentence", () => {
  it("tells a normal exit from a kill and a SIGTERM", () => {
    expect(statusSentence({ state: "exited", exitCode: 0 }).key).toBe("status.exit0");
    expect(statusSentence({ state: "exited", exitCode: 137 }).key).toBe("status.exit137");
    expect(statusSentence({ state: "exited", exitCode: 143 }).key).toBe("status.exit143");
    expect(statusSentence({ state: "exited", exitCode: 127 }).key).toBe("status.exit127");
  });

  it("names the signal behind other codes above 128", () => {
    expect(statusSentence({ state: "exited", exitCode: 130 })).toEqual({
      key: "status.exitSignal",
      vars: { code: 130, signal: "SIGINT" },
    });
    expect(statusSentence({ state: "exited", exitCode: 3 })).toEqual({
      key: "status.exitOther",
      vars: { code: 3 },
    });
  });

  it("covers states without an exit code", () => {
    expect(statusSentence({ state: "paused", exitCode: null }).key).toBe("status.paused");
    expect(statusSentence({ state: "exited", exitCode: null }).key).toBe("status.unknown");
  });
});
