import { describe, expect, it } from "vitest";
import type { ContainerRow } from "../lib/backend/backend";
import { groupProjects, loose } from "./projects";

const row = (
  name: string,
  state: ContainerRow["state"],
  compose: { project: string; service: string; number?: number | null; oneoff?: boolean } | null,
): ContainerRow => ({
  id: `${name}-id`,
  name,
  image: "busybox",
  imageId: "sha256:1",
  command: "sh",
  created: 1,
  state,
  status: "",
  exitCode: null,
  sinceSecs: null,
  ports: [],
  compose: compose && {
    project: compose.project,
    service: compose.service,
    number: compose.number ?? null,
    oneoff: compose.oneoff ?? false,
    workingDir: `/srv/${compose.project}`,
    configFiles: [`/srv/${compose.project}/compose.yaml`],
  },
});

describe("compose projects", () => {
  const rows = [
    row("web-app-2", "exited", { project: "web", service: "app", number: 2 }),
    row("web-app-1", "running", { project: "web", service: "app", number: 1 }),
    row("web-app-run-1", "running", { project: "web", service: "app", oneoff: true }),
    row("web-db-1", "running", { project: "web", service: "db", number: 1 }),
    row("web2-app-1", "running", { project: "web2", service: "app", number: 1 }),
    row("alone", "running", null),
  ];

  it("groups by project and service, counting running of total replicas", () => {
    const [web, web2] = groupProjects(rows);
    expect(web.name).toBe("web");
    expect([web.running, web.total]).toEqual([2, 3]);
    expect(web.services.map((s) => [s.name, s.running, s.total])).toEqual([
      ["app", 1, 2],
      ["db", 1, 1],
    ]);
    // Replicas by number, the one-off container last.
    expect(web.services[0].containers.map((c) => c.name)).toEqual([
      "web-app-1",
      "web-app-2",
      "web-app-run-1",
    ]);
    expect(web.configFiles).toEqual(["/srv/web/compose.yaml"]);
    expect(web2.services.map((s) => s.name)).toEqual(["app"]);
    expect(loose(rows).map((r) => r.name)).toEqual(["alone"]);
  });
});
