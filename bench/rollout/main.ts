// The rollout benchmark: a Deployment of --replicas (1000) on --nodes (50)
// kwok nodes (created here), created, then rolled to a new image; how long until every
// replica is available and until the rollout completes, what it cost in API
// requests and CPU. Sides, each in turn in the same cluster: apps/v1
// (kube-controller-manager + kube-scheduler), mirror (mirrorkube's manager,
// no client limit), and mirror with --qps/--burst (70/130: the built-in
// sides' budgets added up). --sides picks some of them.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { applyCrds } from "../../hack/crds.ts";
import { down } from "../../hack/cluster/down.ts";
import { ensureCluster } from "../../hack/cluster/index.ts";
import { Progress } from "../../hack/cluster/progress.ts";
import { readState, type ClusterState } from "../../hack/cluster/state.ts";
import { localManagerArgs } from "../../hack/cluster/manager-args.ts";
import { health } from "../../hack/cluster/status.ts";
import { loadKubeConfig, ResourceClient, RestClient, type KubeObject } from "../../operators/runtime/client/index.ts";
import { startManager, type ManagerProcess } from "../../test/e2e/support/manager-process.ts";
import { machine } from "../informer/report.ts";
import { Counters, diff } from "./counters.ts";
import { ensureKwokNodes } from "./nodes.ts";
import { resultsFile, writeResults, type SideResult } from "./report.ts";
import { Workload, type BenchDeployment, type SideName } from "./workload.ts";
import { runScenario } from "../common/main.ts";

const { values: flags } = parseArgs({
  options: {
    replicas: { type: "string", default: "1000" },
    nodes: { type: "string", default: "50" },
    sides: { type: "string", default: "builtin,mirror,mirror-qps" },
    qps: { type: "string", default: "70" },
    burst: { type: "string", default: "130" },
  },
});
const replicas = Number(flags.replicas);
const nodes = Number(flags.nodes);
const progress = new Progress("bench rollout");
const PHASE_TIMEOUT_MS = 20 * 60_000;

interface SidePlan {
  label: string;
  side: SideName;
  title: string;
  budget: string;
  controllers: string[];
  managerArgs?: string[];
}

const plans: SidePlan[] = [
  { label: "builtin", side: "builtin", title: "apps/v1 (kube-controller-manager + kube-scheduler)", budget: "20 / 30 + 50 / 100", controllers: ["kube-controller-manager", "kube-scheduler"] },
  { label: "mirror", side: "mirror", title: "mirror (mirrorkube manager)", budget: "no limit", controllers: ["mirrorkube"], managerArgs: [] },
  {
    label: "mirror-qps",
    side: "mirror",
    title: `mirror at ${flags.qps} QPS / ${flags.burst} burst`,
    budget: `${flags.qps} / ${flags.burst}`,
    controllers: ["mirrorkube"],
    managerArgs: [`--kube-api-qps=${flags.qps}`, `--kube-api-burst=${flags.burst}`],
  },
];

async function ready(manager: ManagerProcess): Promise<void> {
  // Ready: every informer synced, so the scheduler knows all the nodes before the first pod.
  const deadline = Date.now() + 120_000;
  while (!(await fetch(`http://127.0.0.1:${manager.healthPort}/readyz`).then((r) => r.ok, () => false))) {
    if (Date.now() > deadline) throw new Error(`manager not ready after 120 s (log ${manager.log})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function runSide(plan: SidePlan, rest: RestClient, namespace: string, kubeconfig: string, counters: Counters, local: ClusterState): Promise<SideResult> {
  let manager: ManagerProcess | undefined;
  if (plan.managerArgs) {
    manager = await startManager(kubeconfig, [...localManagerArgs(local), ...plan.managerArgs], `manager-bench-${plan.label}`);
    await ready(manager);
  }
  const mirror = manager && { metricsUrl: `http://127.0.0.1:${manager.metricsPort}/metrics`, pid: manager.child.pid ?? 0 };
  const w = new Workload(rest, plan.side, namespace, replicas);
  try {
    progress.say(`${plan.label}: creating ${replicas} replicas`);
    const start = await counters.snapshot(mirror);
    const created = performance.now();
    // Available replicas at every poll, for the chart (bench/results/rollout.svg).
    const timeline: SideResult["timeline"] = [];
    const record = (d: BenchDeployment) => timeline.push({ ms: Math.round(performance.now() - created), available: d.status?.availableReplicas ?? 0 });
    await w.deployments.create(w.manifest("registry.invalid/app:1"));
    const createMs = await w.until(Workload.complete, created, PHASE_TIMEOUT_MS, record);
    const mid = await counters.snapshot(mirror);
    progress.say(`${plan.label}: all available after ${(createMs / 1000).toFixed(1)} s; rolling to a new image`);

    const changed = performance.now();
    const generation = await w.setImage("registry.invalid/app:2");
    let peakReplicas = 0;
    const rolloutMs = await w.until(
      // Changed and observed first: the old status is complete too.
      (d) => (d.status?.observedGeneration ?? 0) >= generation && Workload.complete(d),
      changed,
      PHASE_TIMEOUT_MS,
      (d) => {
        peakReplicas = Math.max(peakReplicas, d.status?.replicas ?? 0);
        record(d);
      },
    );
    const end = await counters.snapshot(mirror);
    progress.say(`${plan.label}: rollout complete after ${(rolloutMs / 1000).toFixed(1)} s; removing it`);
    await w.remove(PHASE_TIMEOUT_MS);
    return { label: plan.label, title: plan.title, budget: plan.budget, controllers: plan.controllers, createMs, rolloutMs, peakReplicas, create: diff(mid, start), rollout: diff(end, mid), timeline };
  } finally {
    if (manager) {
      manager.child.kill("SIGTERM");
      await manager.exited;
    }
  }
}

async function main(): Promise<void> {
  if (!process.env.MIRRORKUBE_CLUSTER_DIR && !process.env.KUBECONFIG) progress.say("note: MIRRORKUBE_CLUSTER_DIR is not set; using the default local cluster (.cluster)");
  const host = machine();
  const state = readState();
  const wasRunning = state !== undefined && (await health(state)).healthy;
  const cluster = await ensureCluster(progress);
  if (!cluster.local) throw new Error("the rollout benchmark reads the control plane's metrics and processes: it needs the local cluster, not KUBECONFIG");
  await applyCrds(cluster.kubeconfig);
  const rest = new RestClient(loadKubeConfig(cluster.kubeconfig), "bench-rollout");
  progress.say(`making sure of ${nodes} kwok nodes`);
  await ensureKwokNodes(rest, nodes);
  const namespaces = new ResourceClient<KubeObject>(rest, { group: "", version: "v1", plural: "namespaces", namespaced: false });
  const namespace = `bench-rollout-${randomBytes(3).toString("hex")}`;
  await namespaces.create({ metadata: { name: namespace } });
  const counters = new Counters(cluster.local);
  const version = (await rest.request({ method: "GET", path: "/version" })) as { gitVersion: string };
  try {
    const wanted = new Set(flags.sides.split(","));
    const sides: SideResult[] = [];
    for (const plan of plans.filter((p) => wanted.has(p.label))) {
      sides.push(await runSide(plan, rest, namespace, cluster.kubeconfig, counters, cluster.local));
    }
    writeResults({ date: new Date().toISOString(), machine: host, kubernetes: version.gitVersion, nodes, replicas, sides });
    progress.say(`results in ${resultsFile} and bench/README.md`);
  } finally {
    await namespaces.delete({ name: namespace }).catch(() => undefined);
    rest.close();
    if (!wasRunning && !process.env.MIRRORKUBE_KEEP_CLUSTER) await down(progress);
  }
}

runScenario(main);
