import { describe, expect, it } from "vitest";
import { fieldError, isLocalOnly, setLocalOnly } from "./run";

describe("the this-machine-only toggle on a -p spec", () => {
  it("adds and removes 127.0.0.1 in every form the CLI takes", () => {
    expect(setLocalOnly("8080:80", true)).toBe("127.0.0.1:8080:80");
    expect(setLocalOnly("80", true)).toBe("127.0.0.1::80");
    expect(setLocalOnly("80/udp", true)).toBe("127.0.0.1::80/udp");
    expect(setLocalOnly("0.0.0.0:8080:80/tcp", true)).toBe("127.0.0.1:8080:80/tcp");
    expect(setLocalOnly("127.0.0.1:8080:80", false)).toBe("8080:80");
    expect(setLocalOnly("127.0.0.1::80", false)).toBe("80");
    expect(setLocalOnly("127.0.0.1:8080:80", true)).toBe("127.0.0.1:8080:80");
    expect(isLocalOnly(" 127.0.0.1:1:2")).toBe(true);
    expect(isLocalOnly("8080:80")).toBe(false);
  });
});

describe("field errors", () => {
  it("are found by their exact path", () => {
    const errors = [
      { field: "ports.1", message: "bad" },
      { field: "ports.10", message: "other" },
    ];
    expect(fieldError(errors, "ports.1")).toBe("bad");
    expect(fieldError(errors, "ports.0")).toBeNull();
  });
});
