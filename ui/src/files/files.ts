// Paths in a container's files view (F1-F3): breadcrumbs, which mount a
// path lives on, and the `docker container cp` commands.
import { shellQuote } from "../containers/actions";

export interface Crumb {
  name: string;
  path: string;
}

/** `/a/b` -> `/`, `/a`, `/a/b`. */
export function crumbs(path: string): Crumb[] {
  const parts = path.split("/").filter(Boolean);
  return [
    { name: "/", path: "/" },
    ...parts.map((name, i) => ({ name, path: `/${parts.slice(0, i + 1).join("/")}` })),
  ];
}

export function parentOf(path: string): string {
  const parts = path.split("/").filter(Boolean);
  return parts.length <= 1 ? "/" : `/${parts.slice(0, -1).join("/")}`;
}

export function join(dir: string, name: string): string {
  return dir.endsWith("/") ? `${dir}${name}` : `${dir}/${name}`;
}

/** The last part of a host or container path. */
export function baseName(p: string): string {
  return p.split(/[\\/]/).filter(Boolean).pop() ?? p;
}

export interface MountLike {
  kind: string;
  destination: string;
}

const trim = (p: string) => p.replace(/\/+$/, "") || "/";

/** The mount whose destination is exactly `path`. */
export function mountAt<M extends MountLike>(mounts: M[], path: string): M | null {
  return mounts.find((m) => trim(m.destination) === trim(path)) ?? null;
}

/** The deepest mount that `path` is on (itself or a folder above it). */
export function mountUnder<M extends MountLike>(mounts: M[], path: string): M | null {
  const p = trim(path);
  return (
    mounts
      .filter((m) => {
        const d = trim(m.destination);
        return p === d || p.startsWith(`${d}/`);
      })
      .sort((a, b) => b.destination.length - a.destination.length)[0] ?? null
  );
}

export function cpInCommand(container: string, sources: string[], dest: string): string {
  const src = sources.length ? sources.map(shellQuote).join(" ") : "HOST_PATH";
  return `docker container cp ${src} ${shellQuote(`${container}:${dest}`)}`;
}

export function cpOutCommand(container: string, paths: string[], dest: string): string {
  const src = paths.length
    ? paths.map((p) => shellQuote(`${container}:${p}`)).join(" ")
    : `${container}:PATH`;
  return `docker container cp ${src} ${shellQuote(dest || "HOST_FOLDER")}`;
}
