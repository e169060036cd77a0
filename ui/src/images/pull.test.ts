import { describe, expect, it } from "vitest";
import { applyPull, emptyPull, fraction, pullCommand } from "./pull";
import { shellQuote } from "../containers/actions";

describe("pull progress", () => {
  it("keeps one row per layer in first-seen order and ends with the digest", () => {
    let v = emptyPull();
    v = applyPull(v, { kind: "message", text: "Pulling from team/app" });
    v = applyPull(v, { kind: "layer", id: "a", phase: "alreadyExists", current: null, total: null });
    v = applyPull(v, { kind: "layer", id: "b", phase: "waiting", current: null, total: null });
    v = applyPull(v, { kind: "layer", id: "b", phase: "downloading", current: 50, total: 200 });
    expect(v.layers.map((l) => [l.id, l.phase])).toEqual([
      ["a", "alreadyExists"],
      ["b", "downloading"],
    ]);
    expect(fraction(v.layers[1])).toBe(0.25);
    expect(fraction(v.layers[0])).toBe(1);
    v = applyPull(v, { kind: "layer", id: "b", phase: "complete", current: null, total: null });
    v = applyPull(v, { kind: "done", digest: "sha256:ab", status: "Downloaded newer image for x" });
    expect(v.done?.digest).toBe("sha256:ab");
    expect(fraction(v.layers[1])).toBe(1);
  });

  it("shows the command with the platform only when one is picked", () => {
    expect(pullCommand("busybox", "", shellQuote)).toBe("docker image pull busybox");
    expect(pullCommand("127.0.0.1:5000/x/y:1", "linux/arm64", shellQuote)).toBe(
      "docker image pull --platform linux/arm64 127.0.0.1:5000/x/y:1",
    );
    expect(pullCommand(" ", "", shellQuote)).toBe("docker image pull 'NAME[:TAG]'");
  });
});
