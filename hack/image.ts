// `npm run image [-- --tag NAME:TAG]`: builds the manager image from the
// Dockerfile with a Docker engine (CONTAINER_ENGINE=podman for Podman). The
// default tag is mirrorkube:<package version>, the chart's default image
// (repository mirrorkube, tag appVersion), so `kind load docker-image` of it
// is all a kind cluster needs.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { repoRoot } from "./cluster/paths.ts";

export const imageRepository = "mirrorkube";

export function defaultImage(): string {
  const { version } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };
  return `${imageRepository}:${version}`;
}

function main(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { tag: { type: "string", default: defaultImage() } } });
  const engine = process.env.CONTAINER_ENGINE ?? "docker";
  const info = spawnSync(engine, ["info"], { encoding: "utf8" });
  if (info.error || info.status !== 0) {
    const why = info.error ? `${engine} is not installed` : `${engine} cannot reach its engine (${(info.stderr || info.stdout).trim().split("\n").pop()?.replace(/[.?]$/, "")})`;
    console.error(`error: ${why}.
The image is built by a Docker engine (or CONTAINER_ENGINE=podman). Run this where one runs;
or, without one, run the manager from a checkout (npm start) or the compiled JavaScript
(npm run build && node dist/operators/main.js).`);
    return 1;
  }
  console.error(`building ${values.tag} with ${engine}`);
  return spawnSync(engine, ["build", "--tag", values.tag, repoRoot], { stdio: "inherit" }).status ?? 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(main(process.argv.slice(2)));
