import { describe, expect, it } from "vitest";
import { filterContainers, statusBadge, statusSentence } from "./status";
import type { ContainerRow } from "../lib/backend/backend";

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

describe("statusBadge", () => {
  const say = (r: Parameters<typeof statusBadge>[0], lang: string) => {
    const b = statusBadge(r, lang, 1_000_000_000_000);
    return { key: b.key, vars: b.vars };
  };

  it("writes how long a container has run, in the UI language", () => {
    expect(say({ state: "running", exitCode: null, sinceSecs: 120 }, "en")).toEqual({
      key: "badge.up",
      vars: { for: "2 minutes" },
    });
    expect(say({ state: "running", exitCode: null, sinceSecs: 120 }, "ko").vars).toEqual({ for: "2분" });
    expect(say({ state: "running", exitCode: null, sinceSecs: 7200 }, "en").vars).toEqual({ for: "2 hours" });
    expect(say({ state: "running", exitCode: null, sinceSecs: null }, "en").key).toBe("badge.running");
  });

  it("writes an exit's code and how long ago", () => {
    expect(say({ state: "exited", exitCode: 137, sinceSecs: 3 }, "en")).toEqual({
      key: "badge.exitedAgo",
      vars: { code: 137, ago: "3 seconds ago" },
    });
    expect(say({ state: "exited", exitCode: 137, sinceSecs: 3 }, "ko").vars).toEqual({
      code: 137,
      ago: "3초 전",
    });
    expect(say({ state: "exited", exitCode: 0, sinceSecs: null }, "en")).toEqual({
      key: "badge.exited",
      vars: { code: 0 },
    });
  });

  it("names the other states", () => {
    for (const state of ["created", "paused", "restarting", "dead", "removing", "unknown"] as const)
      expect(say({ state, exitCode: null, sinceSecs: null }, "en").key).toBe(`badge.${state}`);
  });
});

const row = (name: string, created: number, image = "busybox"): ContainerRow => ({
  id: `${name}-id`,
  name,
  image,
  imageId: "",
  command: "sh",
  created,
  state: "running",
  status: "Up",
  exitCode: null,
  sinceSecs: null,
  ports: [],
  compose: null,
});

describe("filterContainers", () => {
  const list = [row("web", 3, "nginx"), row("db", 1, "postgres"), row("cache", 2, "redis")];

  it("sorts newest first by default and by name on request", () => {
    expect(filterContainers(list, "", "created", true).map((r) => r.name)).toEqual(["web", "cache", "db"]);
    expect(filterContainers(list, "", "name", false).map((r) => r.name)).toEqual(["cache", "db", "web"]);
  });

  it("searches name and image, case-insensitively, without touching the input", () => {
    expect(filterContainers(list, "  POST ", "name", false).map((r) => r.name)).toEqual(["db"]);
    expect(filterContainers(list, "zzz", "name", false)).toEqual([]);
    expect(list.map((r) => r.name)).toEqual(["web", "db", "cache"]);
  });
});
