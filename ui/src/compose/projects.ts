// P1: the container list grouped by compose project, from the labels the
// core read into each row. Whichever compose made them (v2, v1, Podman's),
// the labels are the same.
import type { ContainerRow } from "../lib/backend/backend";

export interface Service {
  name: string;
  running: number;
  /** Replicas, one-off containers not counted. */
  total: number;
  /** Replicas by number, then one-off containers. */
  containers: ContainerRow[];
}

export interface Project {
  name: string;
  workingDir: string;
  configFiles: string[];
  services: Service[];
  running: number;
  total: number;
}

const live = (r: ContainerRow) => r.state === "running";

/** The projects among `rows`, by name; services by name. */
export function groupProjects(rows: ContainerRow[]): Project[] {
  const projects = new Map<string, Project>();
  for (const r of rows) {
    const c = r.compose;
    if (!c) continue;
    let p = projects.get(c.project);
    if (!p) {
      p = {
        name: c.project,
        workingDir: c.workingDir,
        configFiles: c.configFiles,
        services: [],
        running: 0,
        total: 0,
      };
      projects.set(c.project, p);
    }
    if (!p.workingDir && c.workingDir) p.workingDir = c.workingDir;
    if (p.configFiles.length === 0) p.configFiles = c.configFiles;
    let s = p.services.find((x) => x.name === c.service);
    if (!s) {
      s = { name: c.service, running: 0, total: 0, containers: [] };
      p.services.push(s);
    }
    s.containers.push(r);
    if (!c.oneoff) {
      s.total += 1;
      p.total += 1;
      if (live(r)) {
        s.running += 1;
        p.running += 1;
      }
    }
  }
  const order = (r: ContainerRow) => [r.compose?.oneoff ? 1 : 0, r.compose?.number ?? 0] as const;
  for (const p of projects.values()) {
    p.services.sort((a, b) => a.name.localeCompare(b.name));
    for (const s of p.services)
      s.containers.sort((a, b) => {
        const [x, y] = [order(a), order(b)];
        return x[0] - y[0] || x[1] - y[1] || a.name.localeCompare(b.name);
      });
  }
  return [...projects.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The rows that belong to no project. */
export function loose(rows: ContainerRow[]): ContainerRow[] {
  return rows.filter((r) => !r.compose);
}
