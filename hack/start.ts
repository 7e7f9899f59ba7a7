import { spawn } from "node:child_process";
import { join } from "node:path";
import { ClusterError } from "./cluster/errors.ts";
import { ensureCluster } from "./cluster/index.ts";
import { repoRoot } from "./cluster/paths.ts";
import { Progress } from "./cluster/progress.ts";
import { applyCrds } from "./crds.ts";

/**
 * `npm start`: the cluster (KUBECONFIG, else the local control plane), the
 * CRDs, then the operator manager in the foreground until Ctrl-C.
 */
async function main(): Promise<number> {
  const progress = new Progress("start");
  const cluster = await ensureCluster(progress);
  const n = await applyCrds(cluster.kubeconfig);
  progress.say(`applied ${n} CRDs`);
  const args = ["--import", "tsx", join(repoRoot, "operators", "main.ts"), `--kubeconfig=${cluster.kubeconfig}`];
  if (cluster.local) args.push(`--extender-bind-address=127.0.0.1:${cluster.local.ports.extender}`);
  progress.say("starting the manager: metrics on :8080/metrics, health on :8081/healthz and /readyz (Ctrl-C stops it)");
  const manager = spawn(process.execPath, [...args, ...process.argv.slice(2)], { stdio: "inherit", cwd: repoRoot });
  // Ctrl-C reaches the manager too (same process group); forward SIGTERM ourselves.
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => manager.kill("SIGTERM"));
  return new Promise((resolve) => manager.on("exit", (code, signal) => resolve(code ?? (signal ? 0 : 1))));
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ClusterError ? `error: ${err.message}${err.hint ? `\n${err.hint}` : ""}` : err);
    process.exit(1);
  },
);
