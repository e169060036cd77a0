// The suggestions a text field offers (recent references, local images,
// volumes): Berth draws them itself instead of a <datalist>, whose popup in
// WebKitGTK takes the Enter key, so Enter did nothing on a remembered
// reference (issue 14). Enter acts on the field unless a suggestion is
// highlighted with the arrow keys, which Enter then picks.

/** The options to show for what is typed: those containing it (any case),
 * the exact match left out (nothing to suggest), at most `max`. */
export function suggestionsFor(options: readonly string[], typed: string, max = 8): string[] {
  const t = typed.trim().toLowerCase();
  const out: string[] = [];
  for (const o of options) {
    if (out.length >= max) break;
    if (o === typed.trim() || out.includes(o)) continue;
    if (!t || o.toLowerCase().includes(t)) out.push(o);
  }
  return out;
}

/** The highlighted suggestion after an arrow key: -1 is none (the field). */
export function moveHighlight(current: number, count: number, key: "ArrowDown" | "ArrowUp"): number {
  if (count === 0) return -1;
  if (key === "ArrowDown") return current + 1 >= count ? -1 : current + 1;
  return current <= -1 ? count - 1 : current - 1;
}
