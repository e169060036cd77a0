import { describe, expect, it } from "vitest";
import { en } from "./en";
import { ko } from "./ko";
import { format } from "./i18n.svelte";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the Korean and English dictionaries", () => {
  it("have exactly the same keys", () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
  });

  it("have no empty string", () => {
    for (const [k, v] of [...Object.entries(en), ...Object.entries(ko)]) {
      expect(v.trim(), k).not.toBe("");
    }
  });

  it("use the same placeholders in both languages", () => {
    for (const k of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(ko[k]), k).toEqual(placeholders(en[k]));
    }
  });

  it("are really translated where the words differ", () => {
    expect(ko["nav.containers"]).toBe("컨테이너");
    const same = (Object.keys(en) as (keyof typeof en)[]).filter(
      (k) => en[k] === ko[k] && /[a-z]{4,}/.test(en[k].replace(/`[^`]*`|\{\w+\}|<\w+>/g, "")),
    );
    // Only names that stay English may be identical: the product's, and
    // "tmpfs", which the learners' notes write in English too.
    expect(same.sort()).toEqual(["app.name", "mount.tmpfs"]);
  });
});

describe("format", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(format("{shown} of {total}", { shown: 2, total: 5 })).toBe("2 of 5");
    expect(format("hi {who}", {})).toBe("hi {who}");
  });
});
