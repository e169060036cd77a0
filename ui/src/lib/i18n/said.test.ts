import { describe, expect, it } from "vitest";
import type { Said } from "../backend/backend";
import { dictionaries, i18n } from "./i18n.svelte";
import { say } from "./said";
import { saidSamples } from "./said.en";

// One sample of every code the core can say, generated with its English
// from said.rs: a code added there is tested here at once.
const samples = saidSamples as Said[];

function inBoth(s: Said): { en: string; ko: string } {
  i18n.lang = "en";
  const en = say(s);
  i18n.lang = "ko";
  const ko = say(s);
  i18n.lang = "en";
  return { en, ko };
}

describe("what the core says", () => {
  it("renders every code in English and Korean with all its values, nothing left unfilled", () => {
    expect(samples.length).toBeGreaterThan(150);
    for (const s of samples) {
      const { en, ko } = inBoth(s);
      for (const [lang, text] of [
        ["en", en],
        ["ko", ko],
      ] as const) {
        expect(text, `${s.code}: ${text}`).not.toMatch(/\{\w+\}/);
        // Every value written as {name} is in the sentence (a count that
        // only picks a plural form is not).
        const template = dictionaries[lang][`said.${s.code}`];
        for (const [k, v] of Object.entries(s))
          if (template.includes(`{${k}}`)) expect(text, `${lang} ${s.code}`).toContain(String(v));
      }
      expect(ko, s.code).not.toBe(en);
      expect(ko, s.code).toMatch(/[가-힣]/);
    }
  });

  it("quotes the engine's or the system's own words in Korean, so they read as quoted", () => {
    for (const s of samples) {
      if (!("detail" in s)) continue;
      expect(dictionaries.ko[`said.${s.code}`], s.code).toContain("“{detail}”");
    }
  });

  it("says the Run dialog's two examples in Korean", () => {
    expect(inBoth({ code: "repoUppercase", part: "Ceo" }).ko).toBe(
      "리포지토리 `Ceo`은(는) 소문자여야 합니다(태그에는 대문자를 쓸 수 있지만 이름에는 못 씁니다)",
    );
    expect(inBoth({ code: "notAnIp", ip: "80" }).ko).toContain("`80`은(는) IP 주소가 아닙니다");
    expect(inBoth({ code: "notAnIp", ip: "80" }).en).toBe(
      "`80` is not an IP address; the form is [IP:][HOST_PORT:]CONTAINER_PORT[/tcp|udp|sctp], e.g. 8080:80",
    );
  });
});
