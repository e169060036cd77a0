// Benchmark (not a test), run by scripts/bench.sh after `list_bench group`:
// grouping the rows of the list call (1,000 containers in 100 compose
// projects, as the engine gave them) into projects, against the list call
// itself. Aim (issue 19): grouping adds at most 10% to the list.
import { appendFileSync, readFileSync } from "node:fs";
import { bench, describe } from "vitest";
import type { ContainerRow } from "../lib/backend/backend";
import { groupProjects } from "./projects";

const file = process.env.BERTH_BENCH_ROWS ?? "../target/bench/rows.json";
const { listMs, rows } = JSON.parse(readFileSync(file, "utf8")) as { listMs: number; rows: ContainerRow[] };

const times: number[] = [];
for (let i = 0; i < 61; i++) {
  const t = performance.now();
  const projects = groupProjects(rows);
  times.push(performance.now() - t);
  const services = projects.reduce((n, p) => n + p.services.length, 0);
  if (projects.length !== 100 || services !== 1000) {
    throw new Error(`grouped into ${projects.length} projects and ${services} services, not 100 and 1000`);
  }
}
times.sort((a, b) => a - b);
const groupMs = times[30];
const ratio = (listMs + groupMs) / listMs;
console.log(
  `grouping ${rows.length} rows into 100 projects: median ${groupMs.toFixed(2)} ms; ` +
    `list call ${listMs.toFixed(1)} ms; list + grouping / list = ${ratio.toFixed(3)}`,
);
const out = process.env.BERTH_BENCH_OUT;
if (out) {
  const line = (key: string, value: number, aim: number | null, unit: string) =>
    JSON.stringify({ key, value: Math.round(value * 1000) / 1000, aim, unit }) + "\n";
  appendFileSync(out, line("group_ms_1000", groupMs, null, "ms") + line("group_ratio", ratio, 1.1, "ratio"));
}

describe("compose grouping", () => {
  bench("groupProjects over the list call's rows", () => {
    groupProjects(rows);
  });
});
