// Pure helpers of the log view (C5).
import type { LogChunk, LogLine, LogOptions } from "../lib/backend/backend";

type LogStream = LogLine["stream"];

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

const STREAMS: LogStream[] = ["stdout", "stderr", "console"];

/** One batch as it is kept: its lines joined in one string, with where each
 *  ends, so a million lines are a few hundred strings to the garbage
 *  collector, not a million objects (issue 19: frames while they stream). */
type Chunk = {
  text: string;
  /** The end of line i within `text`; line i + 1 starts one past it. */
  ends: Uint32Array;
  streams: Uint8Array;
  cut: Uint8Array | null;
  stamps: (string | null)[] | null;
  /** Lines matching a search, cached per needle: chunks never change. */
  hits: { needle: string; lines: number[] } | null;
};

const LETTERS: Record<string, number> = { o: 0, e: 1, c: 2 };

/** Lines as the core's compact batch: for the tests and for lines made here. */
export function chunkOf(lines: readonly LogLine[]): LogChunk {
  const stamped = lines.some((l) => l.timestamp);
  return {
    text: lines.map((l) => l.text).join("\n"),
    streams: lines.map((l) => "oec"[Math.max(0, STREAMS.indexOf(l.stream))]).join(""),
    cut: lines.flatMap((l, i) => (l.truncated ? [i] : [])),
    stamps: stamped ? lines.map((l) => l.timestamp ?? "").join("\n") : null,
  };
}

/** The log view's lines: appended in batches, read by index, searched. */
export class LogBuffer {
  #chunks: Chunk[] = [];
  /** The index of each chunk's first line. */
  #firsts: number[] = [];
  length = 0;

  add(lines: readonly LogLine[]) {
    if (lines.length > 0) this.addChunk(chunkOf(lines));
  }

  /** A batch from the core: its text is kept as it came, one string. */
  addChunk(c: LogChunk) {
    const n = c.streams.length;
    if (n === 0) return;
    const ends = new Uint32Array(n);
    let at = -1;
    for (let i = 0; i < n - 1; i++) {
      at = c.text.indexOf("\n", at + 1);
      // A malformed batch (fewer lines than streams): the rest are empty.
      if (at === -1) at = c.text.length;
      ends[i] = at;
    }
    ends[n - 1] = c.text.length;
    const streams = new Uint8Array(n);
    for (let i = 0; i < n; i++) streams[i] = LETTERS[c.streams[i]] ?? 0;
    let cut: Uint8Array | null = null;
    for (const i of c.cut) if (i < n) (cut ??= new Uint8Array(n))[i] = 1;
    const stamps = c.stamps === null ? null : c.stamps.split("\n").map((s) => s || null);
    this.#chunks.push({ text: c.text, ends, streams, cut, stamps, hits: null });
    this.#firsts.push(this.length);
    this.length += n;
  }

  /** Line `i` (0 ≤ i < length). */
  line(i: number): LogLine {
    let lo = 0;
    let hi = this.#firsts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#firsts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    const c = this.#chunks[lo];
    const j = i - this.#firsts[lo];
    const start = j === 0 ? 0 : Math.min(c.ends[j - 1] + 1, c.ends[j]);
    return {
      stream: STREAMS[c.streams[j]],
      text: c.text.slice(start, c.ends[j]),
      timestamp: c.stamps?.[j] ?? null,
      truncated: c.cut?.[j] === 1,
    };
  }

  /** The indexes of the lines containing `needle` (lower-case), in order. */
  matching(needle: string): number[] {
    const out: number[] = [];
    this.#chunks.forEach((c, k) => {
      if (c.hits?.needle !== needle) c.hits = { needle, lines: chunkHits(c, needle) };
      const first = this.#firsts[k];
      for (const j of c.hits.lines) out.push(first + j);
    });
    return out;
  }
}

function chunkHits(c: Chunk, needle: string): number[] {
  const lines: number[] = [];
  const lower = c.text.toLowerCase();
  if (lower.length !== c.text.length) {
    // Lower-casing changed some lengths (a few scripts do): line by line.
    for (let j = 0; j < c.ends.length; j++) {
      const start = j === 0 ? 0 : c.ends[j - 1] + 1;
      if (c.text.slice(start, c.ends[j]).toLowerCase().includes(needle)) lines.push(j);
    }
    return lines;
  }
  let j = 0;
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + 1)) {
    while (j < c.ends.length && c.ends[j] < at + needle.length) j++;
    if (j >= c.ends.length) break;
    const start = j === 0 ? 0 : c.ends[j - 1] + 1;
    // A match that runs over a line's end belongs to no line.
    if (at >= start && lines[lines.length - 1] !== j) lines.push(j);
  }
  return lines;
}
