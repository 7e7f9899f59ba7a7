import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { ClusterError } from "./errors.ts";
import { withLock } from "./lock.ts";
import { cacheDir, corednsSrc, localkubeSrc } from "./paths.ts";
import type { Progress } from "./progress.ts";

export const kubernetesVersion = "v1.34.2";
export const kwokModule = "sigs.k8s.io/kwok/cmd/kwok";
export const kwokVersion = "v0.7.0";
const minGo = [1, 24];

export interface Binaries {
  localkube: string;
  kwok: string;
}

/** Builds localkube and kwok unless a cached build of the same sources exists. */
export async function ensureBinaries(progress: Progress): Promise<Binaries> {
  const localkube = join(cacheDir, `localkube-${kubernetesVersion}-${sourceHash(localkubeSrc)}`);
  const kwok = join(cacheDir, `kwok-${kwokVersion}`);
  if (existsSync(localkube) && existsSync(kwok)) return { localkube, kwok };
  mkdirSync(cacheDir, { recursive: true });
  // Clusters in other directories share the cache: one build at a time.
  return withLock(join(cacheDir, "build.lock"), () => progress.say("another build is running; waiting for it"), () => build(localkube, kwok, progress));
}

async function build(localkube: string, kwok: string, progress: Progress): Promise<Binaries> {
  if (existsSync(localkube) && existsSync(kwok)) return { localkube, kwok };
  const go = checkGo();
  const env = { ...process.env, GOTOOLCHAIN: "local", CGO_ENABLED: "0" };
  if (!existsSync(localkube)) {
    progress.say(`building localkube ${kubernetesVersion} with ${go} (the first build takes 10-20 minutes; later builds reuse the Go cache)`);
    progress.say("downloading Go modules");
    await goCommand(["mod", "download"], { cwd: localkubeSrc, env }, progress, "modules");
    const ldflags = [
      "-s -w",
      `-X k8s.io/component-base/version.gitVersion=${kubernetesVersion}`,
      `-X k8s.io/component-base/version.gitMajor=1`,
      `-X k8s.io/component-base/version.gitMinor=${kubernetesVersion.split(".")[1]}`,
      "-X k8s.io/component-base/version.gitTreeState=clean",
    ].join(" ");
    const tmp = `${localkube}.tmp`;
    await goCommand(["build", "-v", "-trimpath", "-ldflags", ldflags, "-o", tmp, "."], { cwd: localkubeSrc, env }, progress, "packages compiled");
    renameSync(tmp, localkube);
    progress.say(`built ${localkube}`);
  }
  if (!existsSync(kwok)) {
    progress.say(`building kwok ${kwokVersion}`);
    const gobin = join(cacheDir, "kwok-build");
    await goCommand(["install", "-v", "-trimpath", "-ldflags", "-s -w", `${kwokModule}@${kwokVersion}`], { cwd: cacheDir, env: { ...env, GOBIN: gobin, GOFLAGS: "" } }, progress, "packages compiled");
    renameSync(join(gobin, "kwok"), kwok);
    progress.say(`built ${kwok}`);
  }
  return { localkube, kwok };
}

/**
 * CoreDNS for a real node's cluster DNS, built from its Go module by
 * hack/coredns (only the plugins it uses); unless a cached build of the same
 * sources exists. Its Kubernetes client modules are localkube's versions, so
 * after a localkube build most of it comes from Go's cache.
 */
export async function ensureCoreDNS(progress: Progress): Promise<string> {
  const coredns = join(cacheDir, `coredns-${sourceHash(corednsSrc)}`);
  if (existsSync(coredns)) return coredns;
  mkdirSync(cacheDir, { recursive: true });
  return withLock(join(cacheDir, "build.lock"), () => progress.say("another build is running; waiting for it"), async () => {
    if (existsSync(coredns)) return coredns;
    const go = checkGo();
    progress.say(`building CoreDNS (hack/coredns) with ${go}; once per machine`);
    const env = { ...process.env, GOTOOLCHAIN: "local", CGO_ENABLED: "0" };
    const tmp = `${coredns}.tmp`;
    await goCommand(["build", "-v", "-trimpath", "-ldflags", "-s -w", "-o", tmp, "."], { cwd: corednsSrc, env }, progress, "packages compiled");
    renameSync(tmp, coredns);
    return coredns;
  });
}

/** A hash of everything that goes into a Go binary built from `dir`. */
function sourceHash(dir: string): string {
  const hash = createHash("sha256");
  const files = readdirSync(dir).filter((f) => f.endsWith(".go") || f === "go.mod" || f === "go.sum").sort();
  for (const f of files) hash.update(f).update(readFileSync(join(dir, f)));
  return hash.digest("hex").slice(0, 12);
}

export function checkGo(): string {
  const res = spawnSync("go", ["env", "GOVERSION"], { encoding: "utf8", env: { ...process.env, GOTOOLCHAIN: "local" } });
  const version = res.status === 0 ? res.stdout.trim() : "";
  const m = /^go(\d+)\.(\d+)/.exec(version);
  const tooOld = m && (Number(m[1]) < minGo[0]! || (Number(m[1]) === minGo[0] && Number(m[2]) < minGo[1]!));
  if (!m || tooOld) {
    throw new ClusterError(
      m ? `Go ${version} is too old to build the local control plane (Go ${minGo.join(".")}+ is needed).` : "Go is not installed, so the local control plane cannot be built.",
      `Install Go ${minGo.join(".")}+ (https://go.dev/dl or your package manager), or point KUBECONFIG at an existing cluster (e.g. kind) and every command uses it instead.`,
    );
  }
  return version;
}

/** Runs a go command, reporting progress every 15 s by counting its -v lines. */
export function goCommand(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }, progress: Progress, unit: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("go", args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    let lines = 0;
    const tail: string[] = [];
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) {
        if (!line) continue;
        lines++;
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const ticker = setInterval(() => progress.say(`  go ${args[0]}: ${lines} ${unit}`), 15_000);
    child.on("error", (err) => {
      clearInterval(ticker);
      reject(new ClusterError(`could not run go ${args[0]}: ${err.message}`));
    });
    child.on("close", (code) => {
      clearInterval(ticker);
      if (code === 0) return resolve();
      reject(new ClusterError(`go ${args.join(" ")} failed (exit ${code}) in ${opts.cwd}:\n${tail.join("\n")}`));
    });
  });
}
