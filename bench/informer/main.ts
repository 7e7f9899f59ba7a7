// The informer benchmark: N ConfigMaps in a namespace of their own, then
// (i) heap per cached object and initial list time, for the runtime's
// informer and for client-node's makeInformer as the reference, and (ii)
// events/s through reflector → cache → queue for adds and for updates
// written while watching. Flags: --count (10000), --concurrency (32 writers),
// --repeat (3: list, heap and adds are measured that often, interleaved,
// and the median reported, since the API server shares the machine).
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { down } from "../../hack/cluster/down.ts";
import { ensureCluster } from "../../hack/cluster/index.ts";
import { Progress } from "../../hack/cluster/progress.ts";
import { readState } from "../../hack/cluster/state.ts";
import { health } from "../../hack/cluster/status.ts";
import { loadKubeConfig, ResourceClient, RestClient, type KubeObject } from "../../operators/runtime/client/index.ts";
import { benchConfigMap, configMaps, deleteNamespace, forEachBounded, namespaces, type ConfigMap } from "./fixture.ts";
import { MeasuringProcess } from "./ipc.ts";
import type { Implementation, MemoryResult } from "./memory.ts";
import { machine, median, resultsFile, writeResults, type MemorySummary } from "./report.ts";
import type { AddsResult, StartUpdates, UpdatesResult } from "./throughput.ts";
import { runScenario } from "../common/main.ts";

const here = dirname(fileURLToPath(import.meta.url));
const { values: flags } = parseArgs({
  options: { count: { type: "string", default: "10000" }, concurrency: { type: "string", default: "32" }, repeat: { type: "string", default: "3" } },
});
const count = Number(flags.count);
const concurrency = Number(flags.concurrency);
const repeat = Math.max(1, Number(flags.repeat));
const progress = new Progress("bench informer");
const wallClock = () => performance.timeOrigin + performance.now();
const perSecond = (n: number, ms: number) => n / (ms / 1000);

/** Runs `body` with a measuring process, which is gone afterwards whatever happened. */
async function withProcess<R>(file: string, args: string[], body: (p: MeasuringProcess) => Promise<R>): Promise<R> {
  const child = new MeasuringProcess(join(here, file), args);
  try {
    return await body(child);
  } finally {
    child.kill();
  }
}

function summarize(samples: MemoryResult[]): MemorySummary {
  return { bytesPerObject: median(samples.map((s) => s.bytesPerObject)), listMs: median(samples.map((s) => s.listMs)), samples };
}

async function main(): Promise<void> {
  const host = machine();
  const state = readState();
  const wasRunning = !!process.env.KUBECONFIG || (state !== undefined && (await health(state)).healthy);
  const cluster = await ensureCluster(progress);
  const rest = new RestClient(loadKubeConfig(cluster.kubeconfig), "bench-writer");
  const nsClient = new ResourceClient<KubeObject>(rest, namespaces);
  const cms = new ResourceClient<ConfigMap>(rest, configMaps);
  const ns = `bench-informer-${randomBytes(3).toString("hex")}`;
  const version = (await rest.request({ method: "GET", path: "/version" })) as { gitVersion: string };
  await nsClient.create({ metadata: { name: ns, labels: { "mirrorkube.dev/bench": "informer" } } });
  try {
    progress.say(`creating ${count} ConfigMaps in ${ns} (${concurrency} concurrent writers)`);
    const createMs = await forEachBounded(count, concurrency, (i) => cms.create(benchConfigMap(ns, i)));
    progress.say(`created in ${Math.round(createMs)} ms (${Math.round(perSecond(count, createMs))}/s)`);

    const memory: Record<Implementation, MemoryResult[]> = { mirrorkube: [], "client-node": [] };
    const adds: AddsResult[] = [];
    const args = [cluster.kubeconfig, ns, String(count)];
    for (let round = 1; round <= repeat; round++) {
      progress.say(`round ${round}/${repeat}: heap and list time (mirrorkube, client-node), adds through reflector → cache → queue`);
      for (const impl of ["mirrorkube", "client-node"] as const) {
        memory[impl].push(await withProcess("memory.ts", [impl, ...args], (p) => p.next<MemoryResult>("memory")));
      }
      if (round < repeat) adds.push(await withProcess("throughput.ts", [...args, "adds"], (p) => p.next<AddsResult>("adds")));
    }

    progress.say(`adds, then ${count} updates written while watching`);
    const { updates, updateMs, writesDoneAt } = await withProcess("throughput.ts", [...args, "updates"], async (p) => {
      adds.push(await p.next<AddsResult>("adds"));
      const writesStartAt = wallClock();
      p.send({ type: "start-updates", writesStartAt } satisfies StartUpdates);
      const updateMs = await forEachBounded(count, concurrency, (i) => cms.patch({ namespace: ns, name: `cm-${i}` }, { type: "merge", patch: { data: { updated: "yes" } } }));
      const writesDoneAt = wallClock();
      return { updates: await p.next<UpdatesResult>("updates"), updateMs, writesDoneAt };
    });

    const mirrorkube = summarize(memory.mirrorkube);
    const clientNode = summarize(memory["client-node"]);
    const addsPerSecond = median(adds.map((a) => a.eventsPerSecond));
    writeResults({
      date: new Date().toISOString(),
      machine: host,
      kubernetes: version.gitVersion,
      objects: count,
      repeat,
      writer: { concurrency, createsPerSecond: perSecond(count, createMs), updatesPerSecond: perSecond(count, updateMs) },
      memory: { mirrorkube, clientNode },
      adds: { eventsPerSecond: addsPerSecond, processedMs: median(adds.map((a) => a.processedMs)), listMs: median(adds.map((a) => a.listMs)), cpuMicrosPerEvent: median(adds.map((a) => a.cpuMicrosPerEvent)), samples: adds },
      updates: { ...updates, writesDoneAt, lagMs: updates.lastEventAt - writesDoneAt },
    });
    const kib = (b: number) => (b / 1024).toFixed(2);
    progress.say(
      `heap/object ${kib(mirrorkube.bytesPerObject)} KiB vs client-node ${kib(clientNode.bytesPerObject)} KiB; ` +
        `list ${Math.round(mirrorkube.listMs)} ms vs ${Math.round(clientNode.listMs)} ms; ` +
        `adds ${Math.round(addsPerSecond)}/s; updates ${Math.round(updates.eventsPerSecond)}/s`,
    );
    progress.say(`results in ${resultsFile} and bench/README.md`);
  } finally {
    progress.say(`deleting namespace ${ns}`);
    if (!(await deleteNamespace(nsClient, ns, 180_000))) progress.say(`namespace ${ns} is still terminating; the namespace controller will finish it`);
    rest.close();
    if (!wasRunning && !process.env.MIRRORKUBE_KEEP_CLUSTER) await down(progress);
  }
}

runScenario(main);
