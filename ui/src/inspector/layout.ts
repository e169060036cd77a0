// Where each node of the inspector's tree goes (T1): tag -> index ->
// platforms -> (for the chosen platform) config and layers, in columns.
// Pure, so it is tested without a window.
import type { LocalView, RemoteTree } from "../lib/backend/backend";

export type Kind = "tag" | "index" | "platform" | "manifest" | "config" | "layer";

export interface TreeNode {
  id: string;
  kind: Kind;
  x: number;
  y: number;
  title: string;
  lines: string[];
  digest: string | null;
  /** The platform this node is (platform nodes) or belongs to. */
  platform: string | null;
  chosen: boolean;
  /** The local image is this node's (its config, its platform, its digest). */
  local: boolean;
}

export interface Edge {
  from: string;
  to: string;
}

export const NODE_W = 200;
export const NODE_H = 62;
const COL = NODE_W + 40;
/** About how many monospace characters fit on a node's line. */
const FIT = 26;

/** Shortens text to fit a node, keeping its end (where tags and sizes are). */
export function fit(s: string, n = FIT): string {
  return s.length <= n ? s : `…${s.slice(s.length - n + 1)}`;
}
const ROW = NODE_H + 16;

export const short = (d: string) => d.replace("sha256:", "").slice(0, 12);

/** A layer's size, whole, then as much of its diff ID as the node has room
 * for (the size used to be cut on the left: "…03 MB"). */
export function layerLine(size: number, diffId: string | null, n = FIT): string {
  const s = sizeText(size);
  if (!diffId) return s;
  const room = n - `${s} · diff `.length;
  return room >= 6 ? `${s} · diff ${short(diffId).slice(0, room)}` : s;
}

export function sizeText(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB"];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

export function platformLabel(p: { os: string; architecture: string; variant: string | null }): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

// `application/vnd.oci.image.index.v1+json` -> `oci index`.
const kindOf = (mediaType: string) =>
  ({
    "application/vnd.oci.image.index.v1+json": "OCI index",
    "application/vnd.oci.image.manifest.v1+json": "OCI manifest",
    "application/vnd.docker.distribution.manifest.list.v2+json": "Docker manifest list",
    "application/vnd.docker.distribution.manifest.v2+json": "Docker manifest v2",
  })[mediaType] ??
  mediaType.split("/").pop() ??
  "";

export function layout(
  tree: RemoteTree,
  local: LocalView | null,
): { nodes: TreeNode[]; edges: Edge[]; width: number; height: number } {
  const nodes: TreeNode[] = [];
  const edges: Edge[] = [];
  const m = tree.manifest;
  const chosenPlatform = platformLabel(m.config.platform);
  const add = (n: Omit<TreeNode, "x" | "y">, col: number, row: number) => {
    nodes.push({ ...n, title: fit(n.title), lines: n.lines.map((l) => fit(l)), x: col * COL, y: row * ROW });
  };
  add(
    {
      id: "tag",
      kind: "tag",
      title: tree.reference.digest
        ? `@${short(tree.reference.digest)}`
        : `:${tree.reference.tag ?? "latest"}`,
      lines: [tree.reference.familiar],
      digest: null,
      platform: null,
      chosen: true,
      local: false,
    },
    0,
    0,
  );
  let parent = "tag";
  let manifestRow = 0;
  let col = 1;
  if (tree.index) {
    add(
      {
        id: "index",
        kind: "index",
        title: short(tree.index.digest),
        lines: [`${kindOf(tree.index.mediaType)} · ${sizeText(tree.index.size)}`],
        digest: tree.index.digest,
        platform: null,
        chosen: true,
        local: !!local?.repoDigestMatches,
      },
      col++,
      0,
    );
    edges.push({ from: "tag", to: "index" });
    tree.index.platforms.forEach((p, i) => {
      const label = platformLabel(p.platform);
      const id = `platform:${p.digest}`;
      add(
        {
          id,
          kind: "platform",
          title: p.attestation ? "attestation" : label,
          lines: [`${short(p.digest)} · ${sizeText(p.size)}`],
          digest: p.digest,
          platform: label,
          chosen: p.digest === m.digest,
          local: !!local && p.configDigest === local.imageId,
        },
        col,
        i,
      );
      edges.push({ from: "index", to: id });
      if (p.digest === m.digest) {
        parent = id;
        manifestRow = i;
      }
    });
    col++;
  } else {
    add(
      {
        id: "manifest",
        kind: "manifest",
        title: short(m.digest),
        lines: [`${kindOf(m.mediaType)} · ${sizeText(m.size)}`],
        digest: m.digest,
        platform: chosenPlatform,
        chosen: true,
        local: !!local?.repoDigestMatches,
      },
      col++,
      0,
    );
    edges.push({ from: "tag", to: "manifest" });
    parent = "manifest";
  }
  const first = Math.max(0, manifestRow - Math.floor((m.layers.length + 1) / 2));
  add(
    {
      id: "config",
      kind: "config",
      title: short(m.config.digest),
      lines: [`${chosenPlatform} · ${sizeText(m.config.size)}`],
      digest: m.config.digest,
      platform: chosenPlatform,
      chosen: true,
      local: !!local && local.imageId === m.config.digest,
    },
    col,
    first,
  );
  edges.push({ from: parent, to: "config" });
  m.layers.forEach((l, i) => {
    const id = `layer:${i}`;
    add(
      {
        id,
        kind: "layer",
        title: short(l.digest),
        lines: [layerLine(l.size, l.diffId)],
        digest: l.digest,
        platform: chosenPlatform,
        chosen: true,
        local: false,
      },
      col,
      first + 1 + i,
    );
    edges.push({ from: parent, to: id });
  });
  const width = Math.max(...nodes.map((n) => n.x)) + NODE_W + 2;
  const height = Math.max(...nodes.map((n) => n.y)) + NODE_H + 2;
  return { nodes, edges, width, height };
}
