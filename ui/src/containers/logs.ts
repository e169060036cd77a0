// Pure helpers of the log view (C5).
import type { LogOptions } from "../lib/backend/backend";

/** The `docker container logs` line for these options. */
export function logCommand(name: string, o: LogOptions, quote: (s: string) => string): string {
  const flags = [o.follow ? "-f" : "", o.timestamps ? "-t" : "", o.tail !== null ? `--tail ${o.tail}` : ""]
    .filter(Boolean)
    .join(" ");
  return `docker container logs ${flags ? `${flags} ` : ""}${quote(name)}`;
}

/** Splits text around case-insensitive matches of `needle` (already lower-case). */
export function splitMatches(text: string, needle: string): { text: string; hit: boolean }[] {
  if (!needle) return [{ text, hit: false }];
  const lower = text.toLowerCase();
  const out: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (let i = lower.indexOf(needle); i !== -1; i = lower.indexOf(needle, at)) {
    if (i > at) out.push({ text: text.slice(at, i), hit: false });
    out.push({ text: text.slice(i, i + needle.length), hit: true });
    at = i + needle.length;
  }
  if (at < text.length) out.push({ text: text.slice(at), hit: false });
  return out;
}
