// The scheduler benchmark: --pods (5000) pending Pods on --nodes (1000) kwok
// nodes, scheduled by mirrorkube's scheduler (mirror Pods) and by
// kube-scheduler (v1 Pods, with and without mirrorkube's extender), each a
// fresh process in front of the whole backlog, same cluster, same run, same
// client budget (kube-scheduler's default 50 QPS / 100 burst). Then the
// extender's latency per call at that node count.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { applyCrds } from "../../hack/crds.ts";
import { down } from "../../hack/cluster/down.ts";
import { ensureCluster } from "../../hack/cluster/index.ts";
import { Progress } from "../../hack/cluster/progress.ts";
import { readState } from "../../hack/cluster/state.ts";
import { health } from "../../hack/cluster/status.ts";
import { localManagerArgs } from "../../hack/cluster/manager-args.ts";
import { extenderPathPrefix } from "../../hack/cluster/components.ts";
import { loadKubeConfig, ResourceClient, RestClient, type KubeObject } from "../../operators/runtime/client/index.ts";
import { startManager, type ManagerProcess } from "../../test/e2e/support/manager-process.ts";
import { machine } from "../informer/report.ts";
import { Counters, sumMetric } from "../rollout/counters.ts";
import { ensureKwokNodes } from "../rollout/nodes.ts";
import { measureExtender } from "./extender-latency.ts";
import { startKubeScheduler, stopKubeScheduler } from "./kube-scheduler.ts";
import { createPods, type Flavour } from "./pods.ts";
import { waitScheduled } from "./progress.ts";
import { writeResults, type SideResult } from "./report.ts";
import { runScenario } from "../common/main.ts";

const { values: flags } = parseArgs({
  options: {
    pods: { type: "string", default: "5000" },
    nodes: { type: "string", default: "1000" },
    calls: { type: "string", default: "200" },
  },
});
const pods = Number(flags.pods);
const nodes = Number(flags.nodes);
const progress = new Progress("bench scheduler");
const TIMEOUT_MS = 30 * 60_000;
const QPS = ["--kube-api-qps=50", "--kube-api-burst=100"];
const BUDGET = "50 / 100";

const requestsIn = (metrics: string) => Object.values(sumMetric(metrics, "rest_client_requests_total")).reduce((a, b) => a + b, 0);

async function ready(manager: ManagerProcess): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (!(await fetch(`http://127.0.0.1:${manager.healthPort}/readyz`).then((r) => r.ok, () => false))) {
    if (Date.now() > deadline) throw new Error(`manager not ready (log ${manager.log})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<void> {
  const host = machine();
  const before = readState();
  const wasRunning = before !== undefined && (await health(before)).healthy;
  const cluster = await ensureCluster(progress);
  const state = cluster.local;
  if (!state) throw new Error("the scheduler benchmark restarts kube-scheduler: it needs the local control plane, not KUBECONFIG");
  await applyCrds(cluster.kubeconfig);
  const rest = new RestClient(loadKubeConfig(cluster.kubeconfig), "bench-scheduler");
  const namespaces = new ResourceClient<KubeObject>(rest, { group: "", version: "v1", plural: "namespaces", namespaced: false });
  const counters = new Counters(state);
  const schedulerMetrics = () => counters.metrics(`https://127.0.0.1:${state.ports.scheduler}/metrics`, true);
  progress.say(`making sure of ${nodes} kwok nodes`);
  await ensureKwokNodes(rest, nodes, 30 * 60_000);
  const version = (await rest.request({ method: "GET", path: "/version" })) as { gitVersion: string };
  const created: string[] = [];
  const namespace = async (flavour: Flavour) => {
    const name = `bench-sched-${flavour}-${randomBytes(3).toString("hex")}`;
    await namespaces.create({ metadata: { name } });
    created.push(name);
    return name;
  };
  const backlog = async (flavour: Flavour) => {
    const ns = await namespace(flavour);
    progress.say(`creating ${pods} pending ${flavour} pods in ${ns}`);
    await createPods(rest, flavour, ns, pods);
  };
  const sides: SideResult[] = [];
  let manager: ManagerProcess | undefined;
  const startOurs = () => startManager(cluster.kubeconfig, ["--controllers=scheduler", ...localManagerArgs(state), ...QPS], "manager-bench-scheduler");
  try {
    // mirrorkube's scheduler in front of a backlog of mirror Pods.
    await backlog("mirror");
    progress.say("starting mirrorkube's scheduler");
    const started = performance.now();
    manager = await startOurs();
    const metricsUrl = `http://127.0.0.1:${manager.metricsPort}/metrics`;
    const mirrorTimeline = await waitScheduled(async () => (await fetch(metricsUrl)).text(), started, pods, TIMEOUT_MS);
    sides.push({ label: "mirror", title: "mirrorkube scheduler", budget: BUDGET, timeline: mirrorTimeline, requests: requestsIn(await (await fetch(metricsUrl)).text()) });
    progress.say(`mirror: all ${pods} bound ${(mirrorTimeline.lastBindMs / 1000).toFixed(1)} s after start`);
    await ready(manager); // the extender answers from its caches

    // kube-scheduler, with mirrorkube's extender and then alone.
    for (const withExtender of [true, false]) {
      await stopKubeScheduler(state);
      await backlog("builtin");
      progress.say(`starting kube-scheduler ${withExtender ? "with" : "without"} the extender`);
      const t0 = performance.now();
      const startedAt = await startKubeScheduler(state, withExtender);
      const timeline = await waitScheduled(schedulerMetrics, Math.min(t0, startedAt), pods, TIMEOUT_MS);
      sides.push({
        label: withExtender ? "kube-scheduler+extender" : "kube-scheduler",
        title: withExtender ? "kube-scheduler + mirrorkube extender" : "kube-scheduler alone",
        budget: BUDGET,
        timeline,
        requests: requestsIn(await schedulerMetrics()),
      });
      progress.say(`kube-scheduler: all ${pods} bound ${(timeline.lastBindMs / 1000).toFixed(1)} s after start`);
    }
    progress.say("measuring the extender directly");
    const nodeNames = Array.from({ length: nodes }, (_, i) => `kwok-node-${i}`);
    const extender = await measureExtender(`http://127.0.0.1:${state.ports.extender}${extenderPathPrefix}`, nodeNames, Number(flags.calls));
    writeResults({ date: new Date().toISOString(), machine: host, kubernetes: version.gitVersion, nodes, pods, sides, extender });
    progress.say("results in bench/results/scheduler.json and bench/README.md");
  } finally {
    // Back to the cluster's own configuration.
    await stopKubeScheduler(state);
    await startKubeScheduler(state, true);
    if (manager) {
      manager.child.kill("SIGTERM");
      await manager.exited;
    }
    for (const name of created) await namespaces.delete({ name }).catch(() => undefined);
    rest.close();
    if (!wasRunning && !process.env.MIRRORKUBE_KEEP_CLUSTER) await down(progress);
  }
}

runScenario(main);
