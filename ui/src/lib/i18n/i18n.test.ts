import { describe, expect, it } from "vitest";
import { en } from "./en";
import { ko } from "./ko";
import { format } from "./i18n.svelte";

// `{n}` and `{n|one|other}` both use the value n.
const placeholders = (s: string) =>
  [...new Set([...s.matchAll(/\{(\w+)(?:\|[^{}]*)?\}/g)].map((m) => m[1]))].sort();

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
  it("picks the form that agrees with the number, by the language's rules", () => {
    const s = "Done: {files} {files|file|files}.";
    expect(format(s, { files: 1 }, "en")).toBe("Done: 1 file.");
    expect(format(s, { files: 0 }, "en")).toBe("Done: 0 files.");
    expect(format(s, { files: 2 }, "en")).toBe("Done: 2 files.");
    expect(format("{n|Delete this image|Delete these # images}", { n: 1 }, "en")).toBe("Delete this image");
    expect(format("{n|Delete this image|Delete these # images}", { n: 3 }, "en")).toBe(
      "Delete these 3 images",
    );
    // Korean has a single form: the "other" one.
    expect(format("{n|하나|# 개}", { n: 1 }, "ko")).toBe("1 개");
  });

  it("says one container and one file where it used to say 1 containers", () => {
    expect(format(en["image.removeContainersFirst"], { n: 1 })).toBe("Remove the container, then the image");
    expect(format(en["image.removeContainersFirst"], { n: 2 })).toBe(
      "Remove the 2 containers, then the image",
    );
    expect(format(en["files.copied"], { files: 1, size: "5 B" })).toBe("Done: 1 file, 5 B.");
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(format("{shown} of {total}", { shown: 2, total: 5 })).toBe("2 of 5");
    expect(format("hi {who}", {})).toBe("hi {who}");
  });
});
