import { describe, expect, it } from "vitest";
import { baseName, cpInCommand, cpOutCommand, crumbs, join, mountAt, mountUnder, parentOf } from "./files";

describe("container paths", () => {
  it("make breadcrumbs and parents", () => {
    expect(crumbs("/")).toEqual([{ name: "/", path: "/" }]);
    expect(crumbs("/var/lib/x").map((c) => c.path)).toEqual(["/", "/var", "/var/lib", "/var/lib/x"]);
    expect(parentOf("/var/lib")).toBe("/var");
    expect(parentOf("/var")).toBe("/");
    expect(join("/", "etc")).toBe("/etc");
    expect(join("/etc", "hosts")).toBe("/etc/hosts");
    expect(baseName("/home/me/my site/")).toBe("my site");
    expect(baseName("C:\\Users\\me\\a.txt")).toBe("a.txt");
  });

  it("find the mount a path is on, the deepest first", () => {
    const mounts = [
      { kind: "volume", destination: "/data" },
      { kind: "tmpfs", destination: "/data/cache" },
    ];
    expect(mountAt(mounts, "/data/")?.kind).toBe("volume");
    expect(mountUnder(mounts, "/data/cache/x")?.kind).toBe("tmpfs");
    expect(mountUnder(mounts, "/data/file")?.kind).toBe("volume");
    expect(mountUnder(mounts, "/database")).toBeNull();
  });

  it("write the docker cp commands, quoted", () => {
    expect(cpInCommand("web", ["/home/me/my site"], "/www")).toBe(
      "docker container cp '/home/me/my site' web:/www",
    );
    expect(cpOutCommand("web", ["/random/number.txt"], "/tmp/out")).toBe(
      "docker container cp web:/random/number.txt /tmp/out",
    );
  });
});
