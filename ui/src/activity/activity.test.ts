import { describe, expect, it } from "vitest";
import { isNoise, KEPT, remember, sentence } from "./activity";
import type { EngineChanged } from "../lib/backend/backend";
import { en } from "../lib/i18n/en";

const ev = (kind: string, action: string, over: Partial<EngineChanged> = {}): EngineChanged => ({
  kind,
  action,
  id: "0123456789abcdef0123",
  name: null,
  time: 1,
  exitCode: null,
  ...over,
});

describe("activity sentences", () => {
  it("say what happened to which object", () => {
    expect(sentence(ev("container", "start", { name: "web" }))).toMatchObject({
      key: "activity.container.start",
      vars: { name: "web" },
    });
    expect(sentence(ev("image", "delete", { id: "sha256:abcdef0123456789ff" })).vars.name).toBe(
      "abcdef012345",
    );
    expect(sentence(ev("container", "exec_start: sh -c ls", { name: "web" }))).toMatchObject({
      key: "activity.container.exec_start",
      vars: { detail: "sh -c ls" },
    });
    expect(sentence(ev("plugin", "enable")).key).toBe("activity.other");
  });

  it("explain a container's exit code", () => {
    const s = sentence(ev("container", "die", { name: "web", exitCode: 137 }));
    expect(s.vars.code).toBe(137);
    expect(s.detail?.key).toBe("status.exit137");
  });

  it("have a string for every kind and action they name", () => {
    for (const [kind, action] of [
      ["container", "create"],
      ["container", "oom"],
      ["image", "pull"],
      ["volume", "destroy"],
      ["network", "connect"],
    ])
      expect(en[sentence(ev(kind, action)).key]).toBeTruthy();
  });
});

describe("the timeline", () => {
  it("hides the events that come with every action", () => {
    expect(isNoise(ev("volume", "mount"))).toBe(true);
    expect(isNoise(ev("container", "exec_create: sh"))).toBe(true);
    expect(isNoise(ev("container", "start"))).toBe(false);
  });

  it("keeps the newest events first, at most KEPT", () => {
    let list: EngineChanged[] = [];
    for (let i = 0; i < KEPT + 10; i++) list = remember(list, ev("container", "start", { time: i }));
    expect(list.length).toBe(KEPT);
    expect(list[0].time).toBe(KEPT + 9);
  });
});
