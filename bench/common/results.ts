// Where a benchmark's results go: raw JSON in bench/results/<name>.json and
// a section of bench/README.md between the scenario's own markers (other
// scenarios own the other sections).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const benchDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const readmeFile = join(benchDir, "README.md");

export function resultsFileOf(name: string): string {
  return join(benchDir, "results", `${name}.json`);
}

export function writeBenchResults(name: string, raw: unknown, markdown: string): void {
  const file = resultsFileOf(name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(raw, null, 2) + "\n");
  const readme = existsSync(readmeFile) ? readFileSync(readmeFile, "utf8") : "# Benchmarks\n";
  writeFileSync(readmeFile, withSection(readme, name, markdown));
}

/** Replaces the scenario's section of the README, or appends it; the rest is left as it is. */
export function withSection(readme: string, name: string, body: string): string {
  const begin = `<!-- bench:${name}:begin -->`;
  const end = `<!-- bench:${name}:end -->`;
  const section = `${begin}\n${body}${end}`;
  const at = readme.indexOf(begin);
  const stop = at >= 0 ? readme.indexOf(end, at) : -1;
  if (stop < 0) return `${readme.trimEnd()}\n\n${section}\n`;
  return readme.slice(0, at) + section + readme.slice(stop + end.length);
}
