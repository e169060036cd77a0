// Numbers and dates the way the docker CLI prints them.

/** Bytes in decimal units, like `docker image ls` (1 kB = 1000 B). */
export function bytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return "–";
  const units = ["B", "kB", "MB", "GB", "TB", "PB"];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)}${units[i]}`;
}

/** A short image or container ID: 12 hex digits, without `sha256:`. */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, "").slice(0, 12);
}

/** "3 minutes ago", in the UI language. */
export function ago(unixSeconds: number, lang: string, now = Date.now()): string {
  const s = Math.round(unixSeconds - now / 1000);
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
  const abs = Math.abs(s);
  if (abs < 60) return rtf.format(s, "second");
  if (abs < 3600) return rtf.format(Math.round(s / 60), "minute");
  if (abs < 86400) return rtf.format(Math.round(s / 3600), "hour");
  if (abs < 86400 * 30) return rtf.format(Math.round(s / 86400), "day");
  if (abs < 86400 * 365) return rtf.format(Math.round(s / (86400 * 30)), "month");
  return rtf.format(Math.round(s / (86400 * 365)), "year");
}

/** A span of time, "2 minutes", "2분", in the UI language; rounded to
 * the largest unit, as the engine's own words are. */
export function duration(secs: number, lang: string): string {
  const units: [Intl.NumberFormatOptions["unit"], number][] = [
    ["year", 365 * 86400],
    ["month", 30 * 86400],
    ["week", 7 * 86400],
    ["day", 86400],
    ["hour", 3600],
    ["minute", 60],
  ];
  for (const [unit, size] of units) {
    if (secs >= size) {
      return new Intl.NumberFormat(lang, { style: "unit", unit, unitDisplay: "long" }).format(
        Math.floor(secs / size),
      );
    }
  }
  return new Intl.NumberFormat(lang, { style: "unit", unit: "second", unitDisplay: "long" }).format(secs);
}

/** Splits "run `docker ps` now" into text and code parts. An unpaired
 *  backtick stays as text. */
export function codeSegments(s: string): { text: string; code: boolean }[] {
  const out: { text: string; code: boolean }[] = [];
  const re = /`([^`]+)`/g;
  let last = 0;
  for (const m of s.matchAll(re)) {
    if (m.index > last) out.push({ text: s.slice(last, m.index), code: false });
    out.push({ text: m[1], code: true });
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push({ text: s.slice(last), code: false });
  return out;
}
