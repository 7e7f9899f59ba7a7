import { spawn } from "node:child_process";
import { join } from "node:path";
import { ClusterError } from "./cluster/errors.ts";
import { ensureCluster } from "./cluster/index.ts";
import { kubectl } from "./cluster/kubectl.ts";
import { localManagerArgs } from "./cluster/manager-args.ts";
import { repoRoot } from "./cluster/paths.ts";
import { freePort } from "./cluster/ports.ts";
import { Progress } from "./cluster/progress.ts";
import { applyCrds } from "./crds.ts";

/** The manager's default ValidatingWebhookConfiguration name (operators/main.ts). */
const WEBHOOK_CONFIGURATION = "mirrorkube";

/**
 * `npm start`: the cluster (KUBECONFIG, else the local control plane), the
 * CRDs, then the operator manager in the foreground until Ctrl-C. On the
 * local control plane it also serves the scheduler extender and the quota
 * admission webhook (the API server reaches 127.0.0.1 only there), and takes
 * the webhook's configuration away when it stops: left behind, its
 * failurePolicy Fail would refuse every mirror create until a manager runs.
 */
async function main(): Promise<number> {
  const progress = new Progress("start");
  const cluster = await ensureCluster(progress);
  const n = await applyCrds(cluster.kubeconfig);
  progress.say(`applied ${n} CRDs`);
  const args = ["--import", "tsx", join(repoRoot, "operators", "main.ts"), `--kubeconfig=${cluster.kubeconfig}`];
  const local = cluster.local;
  if (local) args.push(...localManagerArgs(local), `--webhook-bind-address=127.0.0.1:${await freePort()}`);
  progress.say("starting the manager: metrics on :8080/metrics, health on :8081/healthz and /readyz (Ctrl-C stops it)");
  const manager = spawn(process.execPath, [...args, ...process.argv.slice(2)], { stdio: "inherit", cwd: repoRoot });
  // Ctrl-C reaches the manager too (same process group); forward SIGTERM ourselves.
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => manager.kill("SIGTERM"));
  const code = await new Promise<number>((resolve) => manager.on("exit", (c, signal) => resolve(c ?? (signal ? 0 : 1))));
  if (local) {
    const removed = await kubectl(local.localkube, cluster.kubeconfig, ["delete", "validatingwebhookconfiguration", WEBHOOK_CONFIGURATION, "--ignore-not-found"]);
    if (removed.code !== 0) console.error(`could not remove the webhook configuration ${WEBHOOK_CONFIGURATION}: ${removed.stderr.trim()}`);
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ClusterError ? `error: ${err.message}${err.hint ? `\n${err.hint}` : ""}` : err);
    process.exit(1);
  },
);
