// Micro-benchmark of the scheduler's pure core: `npx tsx bench/scheduler-micro.ts [nodes] [podsPerNode]`.
// Builds a cluster in the node cache (default 1000 nodes × 20 bound pods in
// 10 zones), then times one pod's Filter over every node (the extender's
// filter verb), a full scheduling cycle, the extender's prioritize verb, and
// snapshots. Prints median and p99 per operation.
import { extenderFilter, extenderPrioritize } from "../operators/scheduler/framework/extender.ts";
import type { PodLike } from "../operators/scheduler/framework/objects.ts";
import { newProfile } from "../operators/scheduler/framework/profile.ts";
import { schedulePod } from "../operators/scheduler/framework/schedule-one.ts";
import { makeNode, makePod, seededRandom } from "../operators/scheduler/framework/testing.ts";
import { SchedulerCache } from "../operators/scheduler/cache/cache.ts";

const numNodes = Number(process.argv[2] ?? 1000);
const podsPerNode = Number(process.argv[3] ?? 20);
const ZONES = 10;

function time<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
}

function measure(label: string, iterations: number, fn: (i: number) => unknown): { label: string; median: number; p99: number } {
  for (let i = 0; i < Math.min(20, iterations); i++) fn(i); // warm up the JIT and the PodInfo caches
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) samples.push(time(() => fn(i))[1]);
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN;
  return { label, median: at(0.5), p99: at(0.99) };
}

const cache = new SchedulerCache();
const [, buildMs] = time(() => {
  for (let n = 0; n < numNodes; n++) {
    const name = `node-${String(n).padStart(4, "0")}`;
    cache.upsertNode(makeNode(name, { cpu: "32", memory: "128Gi", labels: { "topology.kubernetes.io/zone": `zone-${n % ZONES}` } }));
    for (let p = 0; p < podsPerNode; p++) {
      cache.upsertRealPod(
        makePod(`pod-${n}-${p}`, {
          nodeName: name,
          labels: { app: `app-${p % 5}` },
          requests: { cpu: `${100 + (p % 4) * 100}m`, memory: `${128 << p % 3}Mi` },
        }),
      );
    }
  }
});
const [snapshot, firstSnapshotMs] = time(() => cache.snapshot());
const names = snapshot.nodeInfos.map((n) => n.name);
const profile = newProfile();
const random = seededRandom(1);

const simple = makePod("simple", { requests: { cpu: "500m", memory: "512Mi" } });
const constrained: PodLike = makePod("constrained", {
  labels: { app: "web" },
  requests: { cpu: "500m", memory: "512Mi" },
  spread: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "web" } } }],
  affinity: {
    podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: "web" } }, topologyKey: "kubernetes.io/hostname" }] },
    nodeAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 10, preference: { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["zone-1", "zone-2"] }] } },
      ],
    },
  },
});

const results = [
  measure(`filter ${numNodes} nodes (extenderFilter), plain pod`, 200, () => extenderFilter(simple, names, snapshot, profile)),
  measure(`filter ${numNodes} nodes (extenderFilter), spread+anti-affinity pod`, 100, () => extenderFilter(constrained, names, snapshot, profile)),
  measure("schedulePod, plain pod (adaptive percentageOfNodesToScore)", 200, (i) => schedulePod(simple, snapshot, profile, random, { startIndex: i * 37 })),
  measure("schedulePod, plain pod, all nodes scored", 100, () => schedulePod(simple, snapshot, newProfile({ percentageOfNodesToScore: 100 }), random)),
  measure("schedulePod, spread+anti-affinity pod", 100, () => schedulePod(constrained, snapshot, profile, random)),
  measure(`prioritize ${numNodes} nodes (extenderPrioritize)`, 100, () => extenderPrioritize(simple, names, snapshot, profile)),
  measure("snapshot after one pod changed", 200, (i) => {
    cache.upsertRealPod(makePod(`churn-${i}`, { nodeName: names[i % names.length], requests: { cpu: "100m" } }));
    return cache.snapshot();
  }),
];

console.log(`scheduler micro-benchmark: ${numNodes} nodes × ${podsPerNode} pods, node ${process.version}`);
console.log(`cache build (${numNodes} nodes, ${numNodes * podsPerNode} pods): ${buildMs.toFixed(0)} ms; first snapshot: ${firstSnapshotMs.toFixed(1)} ms`);
console.log("operation".padEnd(66), "median ms".padStart(10), "p99 ms".padStart(10));
for (const r of results) console.log(r.label.padEnd(66), r.median.toFixed(2).padStart(10), r.p99.toFixed(2).padStart(10));
