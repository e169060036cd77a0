import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { actionsFor, commandFor, shellQuote } from "./actions";

// The table the Rust core's quoting is tested against too (cli.rs).
const table = JSON.parse(
  readFileSync(new URL("../../../crates/berth-core/tests/data/quote.json", import.meta.url), "utf8"),
) as [string, string][];

describe("shellQuote", () => {
  it("quotes every word of the shared table exactly as the Rust core does", () => {
    expect(table.length).toBeGreaterThan(20);
    for (const [word, want] of table) expect(shellQuote(word), JSON.stringify(word)).toBe(want);
  });
});

describe("container actions", () => {
  it("offer only what the state allows", () => {
    expect(actionsFor("running")).toContain("stop");
    expect(actionsFor("running")).not.toContain("start");
    expect(actionsFor("exited")).toEqual(["start", "rename", "remove"]);
    expect(actionsFor("paused")).toContain("unpause");
    expect(actionsFor("removing")).toEqual([]);
  });

  it("show the docker command each equals", () => {
    expect(commandFor("stop", "web")).toBe("docker container stop web");
    expect(commandFor("remove", "web", { force: true })).toBe("docker container rm -f web");
    expect(commandFor("rename", "web", { newName: "web2" })).toBe("docker container rename web web2");
  });

  it("quote what a shell would split or expand", () => {
    expect(shellQuote("web-1")).toBe("web-1");
    expect(shellQuote("my web")).toBe("'my web'");
    expect(shellQuote("it's")).toBe('"it\'s"');
    expect(shellQuote("$(rm)")).toBe("'$(rm)'");
  });
});
