// Helm, built from its Go module (helm.sh/helm/v3 or /v4) at a pinned
// version with the local control plane's Go machinery, and cached in
// ~/.cache/mirrorkube like localkube: no download of a prebuilt binary, and
// the same version on every machine. HELM=/path/to/helm uses that binary
// instead. As a command (`npm run helm -- ARGS`, `--helm4` first for Helm 4)
// it runs helm against KUBECONFIG or else the local cluster.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { checkGo, goCommand } from "./cluster/build.ts";
import { ClusterError } from "./cluster/errors.ts";
import { withLock } from "./cluster/lock.ts";
import { cacheDir, kubeconfigFile } from "./cluster/paths.ts";
import { Progress } from "./cluster/progress.ts";

export type HelmMajor = 3 | 4;

/** The newest releases the Go module proxy serves (`go list -m -versions helm.sh/helm/v3`, `.../v4`). */
export const helmVersions: Record<HelmMajor, string> = { 3: "v3.22.0", 4: "v4.3.1" };

const helmModule = (major: HelmMajor) => `helm.sh/helm/v${major}`;

/** The path of a helm binary of that major version, built once per machine. */
export async function ensureHelm(progress: Progress, major: HelmMajor = 3): Promise<string> {
  if (process.env.HELM) return process.env.HELM;
  const version = helmVersions[major];
  const helm = join(cacheDir, `helm-${version}`);
  if (existsSync(helm)) return helm;
  mkdirSync(cacheDir, { recursive: true });
  return withLock(join(cacheDir, "build.lock"), () => progress.say("another build is running; waiting for it"), async () => {
    if (existsSync(helm)) return helm;
    let go: string;
    try {
      go = checkGo();
    } catch (err) {
      throw new ClusterError(`helm ${version} is built from its Go module, and Go 1.24+ is needed for that: ${(err as Error).message}`, "Install Go, or set HELM=/path/to/helm to use a helm you have.");
    }
    progress.say(`building helm ${version} (${helmModule(major)}) with ${go}; once per machine`);
    const env = { ...process.env, GOTOOLCHAIN: "local", CGO_ENABLED: "0", GOFLAGS: "" };
    const gobin = join(cacheDir, `helm-${version}-build`);
    await goCommand(["install", "-v", "-trimpath", "-ldflags", ldflags(major, version, env), `${helmModule(major)}/cmd/helm@${version}`], { cwd: cacheDir, env: { ...env, GOBIN: gobin } }, progress, "packages compiled");
    renameSync(join(gobin, "helm"), helm);
    rmSync(gobin, { recursive: true, force: true });
    progress.say(`built ${helm}`);
    return helm;
  });
}

/**
 * What helm's Makefile sets: the version `helm version` prints and, for Helm
 * 3, the Kubernetes version `helm template` and `helm lint` assume without a
 * cluster (the client-go minor; the code's default is 1.20). Helm 4 reads the
 * latter from its build info.
 */
function ldflags(major: HelmMajor, version: string, env: NodeJS.ProcessEnv): string {
  const flags = ["-s -w", `-X ${helmModule(major)}/internal/version.version=${version}`, `-X ${helmModule(major)}/internal/version.gitTreeState=clean`];
  if (major === 3) {
    const { GoMod } = JSON.parse(execFileSync("go", ["mod", "download", "-json", `${helmModule(major)}@${version}`], { cwd: cacheDir, env, encoding: "utf8" })) as { GoMod: string };
    const clientGo = /^\s*k8s\.io\/client-go v0\.(\d+)\./m.exec(readFileSync(GoMod, "utf8"))?.[1];
    if (!clientGo) throw new ClusterError(`cannot find the client-go version of ${helmModule(major)}@${version} in ${GoMod}`);
    for (const pkg of ["pkg/lint/rules", "pkg/chartutil"]) flags.push(`-X ${helmModule(major)}/${pkg}.k8sVersionMajor=1`, `-X ${helmModule(major)}/${pkg}.k8sVersionMinor=${clientGo}`);
  }
  return flags.join(" ");
}

async function main(argv: string[]): Promise<number> {
  const major: HelmMajor = argv[0] === "--helm4" ? 4 : 3;
  const args = major === 4 ? argv.slice(1) : argv;
  const helm = await ensureHelm(new Progress("helm"), major);
  const kubeconfig = process.env.KUBECONFIG ?? kubeconfigFile;
  return spawnSync(helm, args, { stdio: "inherit", env: { ...process.env, KUBECONFIG: kubeconfig } }).status ?? 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof ClusterError ? `error: ${err.message}${err.hint ? `\n${err.hint}` : ""}` : err);
      process.exit(1);
    },
  );
}
