// Measuring process: events per second through reflector → cache → work
// queue → reconcile, with the runtime's Manager and a controller whose
// reconcile only reads the cache (so what is measured is the runtime).
//   argv: <kubeconfig> <namespace> <count> <adds|updates>
// Phase "adds": from starting the manager until every object was reconciled.
// Phase "updates" (after adds, if asked for): the benchmark patches every
// object while this process watches; from the benchmark's first write until
// the last update event.
import { loadKubeConfig } from "../../operators/runtime/client/index.ts";
import { requestFor } from "../../operators/runtime/controller/builder.ts";
import { Manager } from "../../operators/runtime/manager/manager.ts";
import { benchSelector, configMaps, type ConfigMap } from "./fixture.ts";
import { connectToBenchmark, type Message } from "./ipc.ts";

export interface AddsResult {
  type: "adds";
  /** Start until the informer synced (list done). */
  listMs: number;
  /** Start until every object was reconciled once. */
  processedMs: number;
  eventsPerSecond: number;
  cpuMicrosPerEvent: number;
}

export interface StartUpdates extends Message {
  type: "start-updates";
  /** Wall clock (ms since the epoch) just before the benchmark's first write. */
  writesStartAt: number;
}

export interface UpdatesResult {
  type: "updates";
  events: number;
  /** Wall clock of the last update event; with writesStartAt, the phase's duration. */
  lastEventAt: number;
  eventsPerSecond: number;
  /** Reconciles in the phase, until the queue drained: fewer than events when the queue collapsed duplicates of a key. */
  reconciles: number;
  /** Last update event until the queue was empty. */
  drainMs: number;
  cpuMicrosPerEvent: number;
}

const [kubeconfig, namespace, countArg, phases] = process.argv.slice(2) as [string, string, string, "adds" | "updates"];
const count = Number(countArg);
const channel = connectToBenchmark();
const wallClock = () => performance.timeOrigin + performance.now();
const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

const manager = new Manager({ name: "bench-informer", kubeconfig: loadKubeConfig(kubeconfig), leaderElection: false, metricsBindAddress: "0", healthProbeBindAddress: "0" });
const spec = { ...configMaps, namespace, labelSelector: benchSelector };
const informer = manager.informerFor<ConfigMap>(spec);

const reconciled = new Set<string>();
let reconciles = 0;
let allReconciled: () => void = () => undefined;
const adds = new Promise<void>((resolve) => (allReconciled = resolve));
const controller = manager
  .controller("bench-informer")
  .watch(spec, (obj) => [requestFor(obj)])
  .withWorkers(2)
  .complete(async (req) => {
    reconciles++;
    const key = `${req.namespace}/${req.name}`;
    if (informer.store.get(key)) reconciled.add(key);
    if (reconciled.size === count) allReconciled();
  });

let updateEvents = 0;
let lastEventAt = 0;
let allUpdated: () => void = () => undefined;
const updates = new Promise<void>((resolve) => (allUpdated = resolve));
informer.addEventHandler({
  update: () => {
    lastEventAt = wallClock();
    if (++updateEvents === count) allUpdated();
  },
});

// Phase 1: adds.
const stop = new AbortController();
let cpu = cpuMicros();
const t0 = performance.now();
const running = manager.start(stop.signal);
await informer.waitForSync();
const listMs = performance.now() - t0;
await adds;
const processedMs = performance.now() - t0;
await channel.send({
  type: "adds",
  listMs,
  processedMs,
  eventsPerSecond: count / (processedMs / 1000),
  cpuMicrosPerEvent: (cpuMicros() - cpu) / count,
} satisfies AddsResult);
if (phases === "adds") process.exit(0);

// Phase 2: updates written by the benchmark while we watch.
const { writesStartAt } = await channel.next<StartUpdates>("start-updates");
cpu = cpuMicros();
const reconcilesBefore = reconciles;
await updates;
const cpuPerEvent = (cpuMicros() - cpu) / updateEvents;
while (controller.queue.len() > 0) await new Promise((resolve) => setTimeout(resolve, 5));
const drainMs = wallClock() - lastEventAt;
await channel.send({
  type: "updates",
  events: updateEvents,
  lastEventAt,
  eventsPerSecond: updateEvents / ((lastEventAt - writesStartAt) / 1000),
  reconciles: reconciles - reconcilesBefore,
  drainMs,
  cpuMicrosPerEvent: cpuPerEvent,
} satisfies UpdatesResult);

stop.abort();
await running;
manager.rest.close();
process.exit(0);
