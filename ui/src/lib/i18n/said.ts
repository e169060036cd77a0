// What the Rust core says as a code (crates/berth-core/src/said.rs), in the
// user's language. The key is a template over the generated union of codes,
// so a code without its `said.<code>` text in both dictionaries does not
// compile.
import { BackendError, type IpcError, type Said } from "../backend/backend";
import { t } from "./i18n.svelte";

export function say(s: Said): string {
  return t(`said.${s.code}`, s as unknown as Record<string, string | number>);
}

/** An error from the core as the window shows it: Berth's own words in the
 * user's language where the core gave a code; otherwise its message, the
 * engine's or registry's own words kept. */
export function errorSaid(e: IpcError): string {
  if ("said" in e && e.said) return say(e.said);
  if (e.kind === "engineUnreachable") return t("error.engineUnreachable", { detail: e.message });
  const words = t("error.engineSaid", { detail: e.message });
  return e.kind === "invalidInput" ? `${e.field}: ${words}` : words;
}

/** A field's own error, shown under the field (so without its name). */
export function fieldSaid(e: Extract<IpcError, { kind: "invalidInput" }>): string {
  return e.said ? say(e.said) : t("error.engineSaid", { detail: e.message });
}

/** Words the engine (or the system) wrote, not Berth: kept as they are,
 * quoted in a language other than theirs. */
export function engineSaid(detail: string): string {
  return t("error.engineSaid", { detail });
}

/** Any caught error, as `errorSaid` says it. */
export function shownError(e: unknown): string {
  if (e instanceof BackendError) return errorSaid(e.detail);
  return e instanceof Error ? e.message : String(e);
}

/** An error that names one of a form's fields, with its words for under
 *  that field; null for any other error. */
export function fieldError(e: unknown): { field: string; text: string } | null {
  return e instanceof BackendError && e.detail.kind === "invalidInput"
    ? { field: e.detail.field, text: fieldSaid(e.detail) }
    : null;
}
