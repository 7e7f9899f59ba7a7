// The shapes of the Kubernetes objects the scheduler reads. Structural and
// loose on purpose: a mirror Pod (operators/api), a real v1 Pod (as JSON or as
// @kubernetes/client-node's V1Pod) and a v1 Node all fit, so one code path
// serves mirrorkube's scheduler and the kube-scheduler extender.

/** A ResourceList: resource name to quantity ("500m", "1Gi", 2). */
export type ResourceMap = Readonly<Record<string, string | number>>;

export interface ObjectMetaLike {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Readonly<Record<string, string>>;
  annotations?: Readonly<Record<string, string>>;
  // Strings in our JSON; Date when a client library converted them.
  creationTimestamp?: string | Date | null;
  deletionTimestamp?: string | Date | null;
  ownerReferences?: readonly OwnerReferenceLike[];
}

export interface OwnerReferenceLike {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

export interface LabelSelectorRequirementLike {
  key: string;
  operator: string;
  values?: readonly string[];
}

export interface LabelSelectorLike {
  matchLabels?: Readonly<Record<string, string>>;
  matchExpressions?: readonly LabelSelectorRequirementLike[];
}

export interface NodeSelectorTermLike {
  matchExpressions?: readonly LabelSelectorRequirementLike[];
  matchFields?: readonly LabelSelectorRequirementLike[];
}

export interface PodAffinityTermLike {
  labelSelector?: LabelSelectorLike;
  namespaceSelector?: LabelSelectorLike;
  namespaces?: readonly string[];
  topologyKey: string;
  matchLabelKeys?: readonly string[];
  mismatchLabelKeys?: readonly string[];
}

export interface WeightedPodAffinityTermLike {
  weight: number;
  podAffinityTerm: PodAffinityTermLike;
}

export interface PodAffinityLike {
  requiredDuringSchedulingIgnoredDuringExecution?: readonly PodAffinityTermLike[];
  preferredDuringSchedulingIgnoredDuringExecution?: readonly WeightedPodAffinityTermLike[];
}

export interface AffinityLike {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: readonly NodeSelectorTermLike[] };
    preferredDuringSchedulingIgnoredDuringExecution?: readonly { weight: number; preference: NodeSelectorTermLike }[];
  };
  podAffinity?: PodAffinityLike;
  podAntiAffinity?: PodAffinityLike;
}

export interface TolerationLike {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface TaintLike {
  key: string;
  value?: string;
  effect: string;
}

export interface TopologySpreadConstraintLike {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: string;
  labelSelector?: LabelSelectorLike;
  minDomains?: number;
  nodeAffinityPolicy?: string;
  nodeTaintsPolicy?: string;
  matchLabelKeys?: readonly string[];
}

export interface ContainerLike {
  name?: string;
  image?: string;
  restartPolicy?: string;
  resources?: { requests?: ResourceMap; limits?: ResourceMap };
  ports?: readonly { containerPort?: number; hostPort?: number; hostIP?: string; protocol?: string }[];
}

export interface PodSpecLike {
  nodeName?: string;
  nodeSelector?: Readonly<Record<string, string>>;
  affinity?: AffinityLike;
  tolerations?: readonly TolerationLike[];
  topologySpreadConstraints?: readonly TopologySpreadConstraintLike[];
  containers?: readonly ContainerLike[];
  initContainers?: readonly ContainerLike[];
  overhead?: ResourceMap;
  resources?: { requests?: ResourceMap; limits?: ResourceMap };
  priority?: number;
  schedulerName?: string;
  schedulingGates?: readonly { name: string }[];
}

/** A Pod as the scheduler reads it: mirror Pod or real v1 Pod. */
export interface PodLike {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMetaLike;
  spec?: PodSpecLike;
  status?: { phase?: string; nominatedNodeName?: string };
}

/** A v1 Node as the scheduler reads it. */
export interface NodeLike {
  metadata?: { name?: string; labels?: Readonly<Record<string, string>>; uid?: string; annotations?: Readonly<Record<string, string>> };
  spec?: { unschedulable?: boolean; taints?: readonly TaintLike[] };
  status?: {
    allocatable?: ResourceMap;
    capacity?: ResourceMap;
    images?: readonly { names?: readonly string[]; sizeBytes?: number }[];
    conditions?: readonly { type: string; status: string }[];
  };
}

/** "namespace/name", the key pods are known by everywhere in the scheduler. */
export function podKey(pod: PodLike): string {
  return `${pod.metadata?.namespace ?? ""}/${pod.metadata?.name ?? ""}`;
}

export function nodeName(node: NodeLike): string {
  return node.metadata?.name ?? "";
}

/** Succeeded and Failed pods hold no resources (upstream IsPodTerminal). */
export function isTerminal(pod: PodLike): boolean {
  const phase = pod.status?.phase;
  return phase === "Succeeded" || phase === "Failed";
}

// Well-known names.
export const LABEL_HOSTNAME = "kubernetes.io/hostname";
export const TAINT_NODE_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
export const OBJECT_NAME_FIELD = "metadata.name";
