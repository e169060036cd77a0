import { describe, expect, it } from "vitest";
import type { RemoteTree } from "../lib/backend/backend";
import { fit, layerLine, layout, sizeText } from "./layout";

const d = (c: string) => `sha256:${c.repeat(64)}`;
const platform = (architecture: string, variant: string | null = null) => ({
  os: "linux",
  architecture,
  variant,
});
const manifest = {
  digest: d("b"),
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  size: 400,
  config: { digest: d("c"), mediaType: "x", size: 600, platform: platform("amd64"), created: null },
  layers: [{ digest: d("l"), mediaType: "x", size: 2_000_000, diffId: d("f") }],
};
const reference = {
  registry: "127.0.0.1:5000",
  registryImplied: false,
  namespace: "berth-fixture",
  namespaceImplied: false,
  repository: "multi",
  tag: "1",
  tagImplied: false,
  digest: null,
  canonical: "127.0.0.1:5000/berth-fixture/multi:1",
  familiar: "127.0.0.1:5000/berth-fixture/multi:1",
};
const indexed: RemoteTree = {
  reference,
  index: {
    digest: d("a"),
    mediaType: "application/vnd.oci.image.index.v1+json",
    size: 700,
    platforms: [
      {
        platform: platform("amd64"),
        digest: d("b"),
        mediaType: "x",
        size: 400,
        configDigest: d("c"),
        attestation: false,
      },
      {
        platform: platform("arm64", "v8"),
        digest: d("e"),
        mediaType: "x",
        size: 400,
        configDigest: d("9"),
        attestation: false,
      },
    ],
  },
  manifest,
  topDigest: d("a"),
  credentials: { kind: "none" },
};

describe("the inspector's tree layout", () => {
  it("draws tag, index, one node per platform, then the chosen platform's config and layers", () => {
    const { nodes, edges } = layout(indexed, null);
    expect(nodes.map((n) => n.kind)).toEqual(["tag", "index", "platform", "platform", "config", "layer"]);
    const platforms = nodes.filter((n) => n.kind === "platform");
    expect(platforms.map((n) => [n.platform, n.chosen])).toEqual([
      ["linux/amd64", true],
      ["linux/arm64/v8", false],
    ]);
    // Config and layers hang from the chosen platform, not the other.
    expect(edges.filter((e) => e.to === "config")).toEqual([{ from: `platform:${d("b")}`, to: "config" }]);
    // Columns go left to right.
    const xs = ["tag", "index", "platform", "config"].map((k) => nodes.find((n) => n.kind === k)!.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });

  it("marks where the local image came from", () => {
    const local = {
      imageId: d("c"),
      platform: "linux/amd64",
      repoDigests: [],
      fromPlatform: "linux/amd64",
      idMatches: true,
      repoDigestMatches: true,
      behind: false,
      neverPulled: false,
    };
    const { nodes } = layout(indexed, local);
    expect(nodes.filter((n) => n.local).map((n) => n.id)).toEqual(["index", `platform:${d("b")}`, "config"]);
  });

  it("draws a single manifest without an index level", () => {
    const { nodes } = layout({ ...indexed, index: null, topDigest: d("b") }, null);
    expect(nodes.map((n) => n.kind)).toEqual(["tag", "manifest", "config", "layer"]);
  });

  it("shortens long text from the front, keeping the tag", () => {
    expect(fit("127.0.0.1:5000/berth-fixture/multi:1", 20)).toBe("…rth-fixture/multi:1");
    expect(fit("short", 20)).toBe("short");
  });

  it("keeps a layer's size whole and shortens its diff ID to the room left", () => {
    const diff = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    expect(layerLine(1_030_000, diff)).toBe("1.03 MB · diff 0123456789a");
    expect(layerLine(999, diff)).toBe("999 B · diff 0123456789ab");
    expect(layerLine(123_400_000, diff)).toBe("123.4 MB · diff 0123456789");
    expect(layerLine(1_030_000, null)).toBe("1.03 MB");
    for (const size of [1, 12_345, 1_030_000, 123_400_000, 9_990_000_000]) {
      const line = layerLine(size, diff);
      expect(line.length).toBeLessThanOrEqual(26);
      expect(line.startsWith(sizeText(size))).toBe(true);
    }
  });

  it("writes sizes in decimal units", () => {
    expect(sizeText(999)).toBe("999 B");
    expect(sizeText(2_000_000)).toBe("2.00 MB");
  });
});
