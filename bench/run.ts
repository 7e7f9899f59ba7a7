// `npm run bench -- <name> [args]`: runs the scenario bench/<name>/main.ts.
// Each scenario runs in a fresh Node process with --expose-gc, so a
// scenario that measures memory can force a collection, and no scenario's
// heap or warm caches leak into the next.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = dirname(fileURLToPath(import.meta.url));
const scenarioFile = (name: string) => join(benchDir, name, "main.ts");

function scenarios(): string[] {
  return readdirSync(benchDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(scenarioFile(d.name)))
    .map((d) => d.name)
    .sort();
}

const [name, ...args] = process.argv.slice(2);
if (!name || !/^[\w-]+$/.test(name) || !existsSync(scenarioFile(name))) {
  console.error(`usage: npm run bench -- <scenario> [args]\nscenarios: ${scenarios().join(", ") || "(none)"}`);
  process.exit(2);
}
const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", scenarioFile(name), ...args], { stdio: "inherit" });
// Ctrl-C reaches the child too (same process group); wait for it to clean up.
process.on("SIGINT", () => undefined);
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
