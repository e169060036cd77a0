import type { Source } from "../lib/backend/backend";
import { t } from "../lib/i18n/i18n.svelte";

/** Why Berth chose (or tried) an endpoint, in one phrase. */
export function sourceText(s: Source): string {
  switch (s.kind) {
    case "dockerHost":
      return t("engine.source.dockerHost");
    case "context":
      return t(s.fromEnv ? "engine.source.contextEnv" : "engine.source.context", { name: s.name });
    case "platformDefault":
      return t("engine.source.platformDefault");
    case "podman":
      return t("engine.source.podman");
  }
}
