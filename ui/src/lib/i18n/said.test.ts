import { describe, expect, it } from "vitest";
import type { Said } from "../backend/backend";
import { dictionaries, i18n } from "./i18n.svelte";
import { say } from "./said";

// One sample of every code the core can say: the type makes a new code in
// said.rs (through the generated bindings) fail to compile here until it
// has its sample, and so its test.
const samples: { [C in Said["code"]]: Extract<Said, { code: C }> } = {
  refEmpty: { code: "refEmpty" },
  refSpace: { code: "refSpace", input: "my app", char: "' '" },
  refImageId: { code: "refImageId", input: "0123abcd" },
  refNoNameBeforeAt: { code: "refNoNameBeforeAt", input: "@sha256:x" },
  refNoNameBeforeColon: { code: "refNoNameBeforeColon", input: ":1" },
  refEmptyPart: { code: "refEmptyPart", name: "a//b" },
  refTooLong: { code: "refTooLong", name: "x/y", len: 300, max: 255 },
  registryNoPort: { code: "registryNoPort", registry: "host:" },
  registryPortNotNumber: { code: "registryPortNotNumber", registry: "host:x", port: "x" },
  registryNotHost: { code: "registryNotHost", host: "-bad" },
  repoUppercase: { code: "repoUppercase", part: "Ceo" },
  namePartChar: { code: "namePartChar", part: "a+b", char: "'+'" },
  namePartEdge: { code: "namePartEdge", part: "-a" },
  namePartSeparator: { code: "namePartSeparator", part: "a..b", separator: ".." },
  tagEmpty: { code: "tagEmpty" },
  tagTooLong: { code: "tagTooLong", len: 200, max: 128 },
  tagChars: { code: "tagChars", tag: ".x" },
  digestNoColon: { code: "digestNoColon", digest: "sha256" },
  digestNoAlgorithm: { code: "digestNoAlgorithm", digest: ":ab" },
  digestAlgorithm: { code: "digestAlgorithm", algorithm: "md5" },
  digestLength: { code: "digestLength", digest: "sha256:ab", len: 2, algorithm: "sha256", want: 64 },
  digestHex: { code: "digestHex", digest: "sha256:AB" },
  portSpecEmpty: { code: "portSpecEmpty" },
  portSpecTrailingSlash: { code: "portSpecTrailingSlash", spec: "80/" },
  portProtocol: { code: "portProtocol", protocol: "icmp" },
  portSpecTooManyColons: { code: "portSpecTooManyColons", spec: "1:2:3:4" },
  portSpecNoContainerPort: { code: "portSpecNoContainerPort", spec: "80:" },
  portRangeMismatch: { code: "portRangeMismatch", spec: "1-3:1-2", host: 3, container: 2 },
  ipv6Unclosed: { code: "ipv6Unclosed", spec: "[::1:80" },
  ipv6NoColon: { code: "ipv6NoColon", spec: "[::1]80", address: "::1" },
  notAnIp: { code: "notAnIp", ip: "80" },
  hostPortRangeBackwards: { code: "hostPortRangeBackwards", range: "9-1" },
  containerPortRangeBackwards: { code: "containerPortRangeBackwards", range: "9-1" },
  hostPortNotNumber: { code: "hostPortNotNumber", port: "http" },
  containerPortNotNumber: { code: "containerPortNotNumber", port: "http" },
  hostPortOutOfRange: { code: "hostPortOutOfRange", port: "70000" },
  containerPortOutOfRange: { code: "containerPortOutOfRange", port: "0" },
  cidrNoPrefix: { code: "cidrNoPrefix", cidr: "10.0.0.0" },
  cidrNotIp: { code: "cidrNotIp", ip: "10.0.0" },
  cidrPrefix: { code: "cidrPrefix", len: "33", max: 32 },
  cidrHostBits: { code: "cidrHostBits", cidr: "10.0.0.1/24", len: 24, network: "10.0.0.0" },
  networkOnlyOne: { code: "networkOnlyOne", driver: "host" },
  networkExists: { code: "networkExists", name: "web", id: "0123456789ab" },
  subnetOverlap: { code: "subnetOverlap", subnet: "10.1.0.0/16", other: "10.1.2.0/24", network: "db" },
  gatewayOutside: { code: "gatewayOutside", gateway: "10.9.0.1", subnet: "10.1.0.0/16" },
  gatewayNeedsSubnet: { code: "gatewayNeedsSubnet" },
  networkBuiltIn: { code: "networkBuiltIn", name: "bridge" },
  networkInUse: { code: "networkInUse", network: "web", containers: "a, b" },
  connectNotIp: { code: "connectNotIp", ip: "10.0.0" },
  aliasSpace: { code: "aliasSpace", alias: "my db" },
  notKeyValue: { code: "notKeyValue", row: "novalue" },
  volumeExists: { code: "volumeExists", name: "data" },
  volumeInUse: { code: "volumeInUse", volume: "data", users: "web, db", count: 2 },
  alreadyInDestination: { code: "alreadyInDestination", dest: "/tmp/out", names: "a, b" },
};

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
    for (const s of Object.values(samples) as Said[]) {
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

  it("says the Run dialog's two examples in Korean", () => {
    expect(inBoth(samples.repoUppercase).ko).toBe(
      "리포지토리 `Ceo`은(는) 소문자여야 합니다(태그에는 대문자를 쓸 수 있지만 이름에는 못 씁니다)",
    );
    expect(inBoth(samples.notAnIp).ko).toContain("`80`은(는) IP 주소가 아닙니다");
    expect(inBoth(samples.notAnIp).en).toBe(
      "`80` is not an IP address; the form is [IP:][HOST_PORT:]CONTAINER_PORT[/tcp|udp|sctp], e.g. 8080:80",
    );
  });
});
