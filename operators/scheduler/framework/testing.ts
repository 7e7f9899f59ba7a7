// Builders for nodes and pods in tests and benchmarks (not used by the
// scheduler itself), plus a seeded random source for reproducible ties.
import type {
  AffinityLike,
  ContainerLike,
  NodeLike,
  OwnerReferenceLike,
  PodLike,
  ResourceMap,
  TaintLike,
  TolerationLike,
  TopologySpreadConstraintLike,
} from "./objects.ts";
import type { CycleContext, NodeScore, Plugin, Status } from "./interface.ts";
import { CycleState } from "./interface.ts";
import { podInfoOf } from "./pod-info.ts";
import type { Random } from "./schedule-one.ts";
import type { Snapshot } from "./snapshot.ts";

export interface NodeOptions {
  cpu?: string;
  memory?: string;
  pods?: string | number;
  /** Extra allocatable resources (ephemeral-storage, example.com/gpu...). */
  allocatable?: ResourceMap;
  labels?: Record<string, string>;
  taints?: TaintLike[];
  unschedulable?: boolean;
  images?: { names: string[]; sizeBytes: number }[];
}

export function makeNode(name: string, o: NodeOptions = {}): NodeLike {
  return {
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...o.labels } },
    spec: { ...(o.taints && { taints: o.taints }), ...(o.unschedulable && { unschedulable: true }) },
    status: {
      allocatable: { cpu: o.cpu ?? "4", memory: o.memory ?? "8Gi", pods: o.pods ?? 110, ...o.allocatable },
      ...(o.images && { images: o.images }),
    },
  };
}

export interface PodOptions {
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  /** Requests of a single container (shorthand for `containers`). */
  requests?: ResourceMap;
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
  overhead?: ResourceMap;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: AffinityLike;
  tolerations?: TolerationLike[];
  spread?: TopologySpreadConstraintLike[];
  hostPorts?: (number | { port: number; ip?: string; protocol?: string })[];
  priority?: number;
  phase?: string;
  ownerReferences?: OwnerReferenceLike[];
  deleting?: boolean;
  schedulingGates?: string[];
  nominatedNodeName?: string;
}

export function makePod(name: string, o: PodOptions = {}): PodLike {
  const ports = (o.hostPorts ?? []).map((p) =>
    typeof p === "number" ? { containerPort: p, hostPort: p } : { containerPort: p.port, hostPort: p.port, hostIP: p.ip, protocol: p.protocol },
  );
  const containers = o.containers ?? [
    { name: "c", image: "busybox", ...(o.requests && { resources: { requests: o.requests } }), ...(ports.length > 0 && { ports }) },
  ];
  return {
    metadata: {
      name,
      namespace: o.namespace ?? "default",
      uid: o.uid ?? `uid-${name}`,
      labels: o.labels ?? {},
      ...(o.ownerReferences && { ownerReferences: o.ownerReferences }),
      ...(o.deleting && { deletionTimestamp: "2024-01-01T00:00:00Z" }),
    },
    spec: {
      containers,
      ...(o.initContainers && { initContainers: o.initContainers }),
      ...(o.overhead && { overhead: o.overhead }),
      ...(o.nodeName && { nodeName: o.nodeName }),
      ...(o.nodeSelector && { nodeSelector: o.nodeSelector }),
      ...(o.affinity && { affinity: o.affinity }),
      ...(o.tolerations && { tolerations: o.tolerations }),
      ...(o.spread && { topologySpreadConstraints: o.spread }),
      ...(o.priority !== undefined && { priority: o.priority }),
      ...(o.schedulingGates && { schedulingGates: o.schedulingGates.map((n) => ({ name: n })) }),
    },
    status: { phase: o.phase ?? "Pending", ...(o.nominatedNodeName && { nominatedNodeName: o.nominatedNodeName }) },
  };
}

/** mulberry32: a tiny seeded PRNG, so tie-breaking is reproducible. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A plugin's verdict per node: null when the node fits, else "Code: reasons". PreFilter runs first. */
export function filterWith(plugin: Plugin, pod: PodLike, snapshot: Snapshot): Record<string, string | null> {
  const ctx: CycleContext = { pod: podInfoOf(pod), snapshot, state: new CycleState() };
  const pre = plugin.preFilter?.(ctx);
  const out: Record<string, string | null> = {};
  for (const node of snapshot.nodeInfos) {
    let s: Status | null;
    if (pre && "status" in pre) s = pre.status;
    else if (pre && "nodeNames" in pre && !pre.nodeNames.has(node.name)) s = { code: "UnschedulableAndUnresolvable", reasons: ["(not in PreFilter result)"] };
    else if (pre && "skip" in pre) s = null;
    else s = plugin.filter?.(ctx, node) ?? null;
    out[node.name] = s && `${s.code}: ${s.reasons.join(", ")}`;
  }
  return out;
}

/** A plugin's normalized (unweighted) score per node; "skip" when its PreScore skips. */
export function scoreWith(plugin: Plugin, pod: PodLike, snapshot: Snapshot, feasible?: readonly string[]): Record<string, number> | "skip" {
  const ctx: CycleContext = { pod: podInfoOf(pod), snapshot, state: new CycleState() };
  plugin.preFilter?.(ctx);
  const nodes = feasible ? snapshot.nodeInfos.filter((n) => feasible.includes(n.name)) : snapshot.nodeInfos;
  if (plugin.preScore?.(ctx, nodes) === "skip") return "skip";
  const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: plugin.score?.(ctx, n) ?? 0 }));
  plugin.normalizeScore?.(ctx, scores);
  return Object.fromEntries(scores.map((s) => [s.name, s.score]));
}
