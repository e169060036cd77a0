import { describe, expect, it } from "vitest";
import { filterContainers, statusSentence } from "./status";
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
  ports: [],
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
