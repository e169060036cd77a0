import { beforeEach, describe, expect, it, vi } from "vitest";

// The real backend module over a stand-in Tauri: a Channel whose messages the
// test delivers, and commands that answer when the test says.
const calls: { cancel: number[] } = { cancel: [] };
let onStart: (channel: { onmessage: (m: unknown) => void }) => void = () => {};

vi.mock("@tauri-apps/api/core", () => ({
  Channel: class {
    onmessage: (m: unknown) => void = () => {};
  },
}));
vi.mock("@tauri-apps/api/webview", () => ({ getCurrentWebview: () => ({}) }));
const sent: string[] = [];
const inputs = { n: 0 };
vi.mock("./bindings", () => ({
  events: {},
  commands: {
    terminalOpen: async () => ({ status: "ok", data: { terminal: 3, wiring: { tty: true, stdin: true } } }),
    terminalInput: async (_terminal: number, data: string) => {
      // As under load: calls overlap, and a later one may be served first.
      const n = inputs.n++;
      await new Promise((r) => setTimeout(r, Math.max(0, 20 - n)));
      sent.push(data);
      return { status: "ok", data: null };
    },
    imagePush: async (_image: string, channel: { onmessage: (m: unknown) => void }) => {
      onStart(channel);
      return { status: "ok", data: 7 };
    },
    streamCancel: async (id: number) => {
      calls.cancel.push(id);
      return true;
    },
  },
}));

const { backend, errorText } = await import("./backend");

describe("a stream's Cancel", () => {
  beforeEach(() => {
    calls.cancel = [];
  });

  it("is null when the stream ended before its start was answered (no Cancel left showing)", async () => {
    onStart = (ch) => {
      ch.onmessage({ kind: "done", digest: "sha256:1" });
      ch.onmessage({ kind: "ended", error: null });
    };
    const seen: string[] = [];
    const cancel = await backend.pushImage("x", (m) => seen.push(m.kind));
    expect(cancel).toBeNull();
    expect(seen).toEqual(["done", "ended"]);
  });

  it("cancels the stream by its id while it runs", async () => {
    onStart = (ch) => ch.onmessage({ kind: "progress", event: { kind: "message", text: "hi" } });
    const cancel = await backend.pushImage("x", () => {});
    expect(cancel).not.toBeNull();
    cancel?.();
    expect(calls.cancel).toEqual([7]);
  });
});

describe("errorText", () => {
  it("names the field of an invalid input and keeps other messages as they are", () => {
    expect(errorText({ kind: "invalidInput", field: "image", message: "must be lowercase" })).toBe(
      "image: must be lowercase",
    );
    expect(errorText({ kind: "cancelled", message: "cancelled" })).toBe("cancelled");
  });
});

describe("a terminal's input", () => {
  it("goes one call at a time, in the order typed, what came meanwhile together", async () => {
    const handle = await backend.openTerminal("c", "sh", { cols: 80, rows: 24 }, () => {});
    const typed = "echo main-$((6*7))\n".split("");
    await Promise.all(typed.map((c) => handle.input(c)));
    expect(sent.join("")).toBe(typed.join(""));
    expect(sent.length).toBeLessThan(typed.length);
  });
});
