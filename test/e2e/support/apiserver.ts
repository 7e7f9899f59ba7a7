// A second kube-apiserver over the local cluster's etcd and pki, for tests
// that kill and restart an API server: the main one stays up, so test files
// running beside them are unaffected.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { inject } from "vitest";
import { apiserverArgs, layout } from "../../../hack/cluster/components.ts";
import { clusterDir, kubeconfigFile, logsDir } from "../../../hack/cluster/paths.ts";
import { freePort } from "../../../hack/cluster/ports.ts";
import { adminTls, httpGet, waitReady } from "../../../hack/cluster/probe.ts";
import { isRunning, startProcess, stopProcess, type RunningProcess } from "../../../hack/cluster/processes.ts";
import { readState, type ClusterState } from "../../../hack/cluster/state.ts";
import { eventually } from "./eventually.ts";

/** The local control plane's state, or undefined when the run uses an external cluster (KUBECONFIG). */
export function localCluster(): ClusterState | undefined {
  if (inject("kubeconfig") !== kubeconfigFile) return undefined;
  const state = readState();
  return state?.readyAt ? state : undefined;
}

export interface ExtraApiServer {
  port: number;
  /** A kubeconfig file (admin credentials) pointing at this API server. */
  kubeconfig: string;
  /** SIGKILL: no graceful shutdown, connections drop as in a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port and waits until it is ready. */
  restart(): Promise<void>;
  /** Stops it for good and removes its kubeconfig (its log stays in .cluster/logs). */
  stop(): Promise<void>;
}

export async function startExtraApiServer(cluster: ClusterState, name: string): Promise<ExtraApiServer> {
  const l = layout(clusterDir);
  const port = await freePort();
  const dir = join(clusterDir, name);
  mkdirSync(dir, { recursive: true });
  const kubeconfig = join(dir, "kubeconfig");
  writeFileSync(kubeconfig, kubeconfigFor(port));

  // The main API server's flags (so the service account issuer is the same),
  // on its own port. It leaves the `kubernetes` Service's endpoints to the
  // main one: two servers on two ports would keep rewriting them.
  const args = apiserverArgs(l, cluster.ports).map((a) => (a.startsWith("--secure-port=") ? `--secure-port=${port}` : a));
  args.push("--endpoint-reconciler-type=none");
  const tls = adminTls(l.pki);
  const log = join(logsDir, `${name}.log`);
  let proc: RunningProcess | undefined;
  // A detached process outlives the test worker: make sure a crash of the worker does not leak it.
  const killOnExit = () => proc && isRunning(proc) && process.kill(proc.pid, "SIGKILL");
  process.on("exit", killOnExit);

  const start = async () => {
    proc = startProcess(name, cluster.localkube, args, log);
    await waitReady(proc, async () => (await httpGet(`https://127.0.0.1:${port}/readyz`, tls))?.status === 200);
  };
  const kill = async () => {
    const p = proc;
    if (!p || !isRunning(p)) return;
    process.kill(p.pid, "SIGKILL");
    await eventually(() => !isRunning(p), { timeoutMs: 10_000, intervalMs: 20, what: `${name} (pid ${p.pid}) to exit` });
  };

  await start();
  return {
    port,
    kubeconfig,
    kill,
    restart: async () => {
      await kill();
      await start();
    },
    stop: async () => {
      if (proc) await stopProcess(proc, 5_000);
      process.off("exit", killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The run's kubeconfig with the server's port changed; the serving certificate names 127.0.0.1, any port. */
function kubeconfigFor(port: number): string {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigFile);
  const clusters = kc.clusters.map((c) => ({ ...c, server: `https://127.0.0.1:${port}` }));
  const out = new KubeConfig();
  out.loadFromOptions({ clusters, users: kc.users, contexts: kc.contexts, currentContext: kc.currentContext });
  return out.exportConfig();
}
