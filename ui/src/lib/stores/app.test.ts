import { describe, expect, it, vi } from "vitest";
import { AppState, kindsTouched, RECENT_KEPT, recentWith } from "./app.svelte";
import type { Backend, ContainerRow, EngineChanged } from "../backend/backend";

const unused = async (): Promise<never> => {
  throw new Error("unused");
};

// A backend whose every method not given here throws "unused".
function fakeBackend(over: Partial<Backend> = {}): Backend {
  const given: Partial<Backend> = {
    volumesList: async () => [],
    networksList: async () => [],
    engineStatus: async () => ({
      state: "connected",
      endpoint: "unix:///x",
      source: { kind: "platformDefault" },
      apiVersion: "1.41",
    }),
    engineRetry: async () => {},
    engineInfo: async () => {
      throw new Error("unused");
    },
    diskUsage: async () => {
      throw new Error("unused");
    },
    listContainers: async () => [],
    listImages: async () => [],
    containerLifecycle: async () => {},
    containerRename: async () => {},
    containerRemove: async () => {},
    containerDetails: async () => {
      throw new Error("unused");
    },
    watchStats: async () => () => {},
    watchLogs: async () => ({ stop: () => {}, drawn: () => {} }),
    terminalShells: async () => [],
    openTerminal: async () => {
      throw new Error("unused");
    },
    settingsGet: async () => ({
      settings: { language: "ko", theme: "dark", showAllContainers: false, recentReferences: [], labs: {} },
      notice: null,
    }),
    settingsSet: async () => {},
    onEngineChanged: async () => () => {},
    onStatusChanged: async () => () => {},
    ...over,
  };
  return new Proxy(given as Backend, {
    get: (t, name: string) => (name in t ? t[name as keyof Backend] : unused),
  });
}

const ev = (kind: string, action: string): EngineChanged => ({
  kind,
  action,
  id: "x",
  name: null,
  time: 0,
  exitCode: null,
});

describe("engine events", () => {
  it("touch the stores of their kind only", () => {
    expect(kindsTouched(ev("container", "start"))).toEqual(["containers"]);
    expect(kindsTouched(ev("container", "exec_start: sh"))).toEqual([]);
    expect(kindsTouched(ev("image", "delete"))).toEqual(["images"]);
    expect(kindsTouched(ev("network", "connect"))).toEqual(["networks"]);
    expect(kindsTouched(ev("volume", "create"))).toEqual(["volumes"]);
    expect(kindsTouched(ev("volume", "mount"))).toEqual(["volumes"]);
    expect(kindsTouched(ev("daemon", "reload"))).toEqual([]);
  });

  it("are kept for the activity timeline, newest first", () => {
    const state = new AppState(fakeBackend());
    state.onEvent(ev("container", "create"));
    state.onEvent(ev("container", "start"));
    expect(state.activity.map((e) => e.action)).toEqual(["start", "create"]);
  });

  it("and the actions done, as commands, oldest first", () => {
    const state = new AppState(fakeBackend());
    state.did("docker container stop web");
    state.did("docker container rm web");
    expect(state.session.map((c) => c.command)).toEqual([
      "docker container stop web",
      "docker container rm web",
    ]);
  });

  it("reload the container list with the saved running/all choice", async () => {
    const listContainers = vi.fn(async (all: boolean): Promise<ContainerRow[]> => (all ? [] : []));
    const state = new AppState(fakeBackend({ listContainers }));
    await state.start();
    await new Promise((r) => setTimeout(r, 0));
    expect(state.settings.language).toBe("ko");
    expect(listContainers).toHaveBeenLastCalledWith(false);
    await state.update({ showAllContainers: true });
    expect(listContainers).toHaveBeenLastCalledWith(true);
  });
});

describe("recent references", () => {
  it("keep the newest first, once each, at most RECENT_KEPT", () => {
    expect(recentWith(["a", "b"], " b ")).toEqual(["b", "a"]);
    expect(recentWith(["a"], "  ")).toEqual(["a"]);
    let list: string[] = [];
    for (let i = 0; i < RECENT_KEPT + 3; i++) list = recentWith(list, `r${i}`);
    expect(list.length).toBe(RECENT_KEPT);
    expect(list[0]).toBe(`r${RECENT_KEPT + 2}`);
  });

  it("are saved with the settings", async () => {
    const settingsSet = vi.fn(async () => {});
    const state = new AppState(fakeBackend({ settingsSet }));
    state.rememberReference("nginx:1");
    await new Promise((r) => setTimeout(r, 0));
    expect(settingsSet).toHaveBeenLastCalledWith(expect.objectContaining({ recentReferences: ["nginx:1"] }));
  });
});

describe("saving settings", () => {
  it("keeps the choice on screen and reports a failed save", async () => {
    const state = new AppState(
      fakeBackend({
        settingsSet: async () => {
          throw new Error("disk full");
        },
      }),
    );
    await state.update({ language: "ko" });
    expect(state.settings.language).toBe("ko");
    expect(state.saveError).toBe("disk full");
  });
});
