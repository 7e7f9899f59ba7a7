// PodInfo: everything the plugins need from a pod, computed once per pod
// object (upstream framework.PodInfo plus the cached resource sums), so a
// scheduling cycle over a thousand nodes re-parses nothing.
import type { PodAffinityTermLike, PodLike, WeightedPodAffinityTermLike } from "./objects.ts";
import { isTerminal, podKey } from "./objects.ts";
import type { Resource } from "./resource.ts";
import { computeNonZeroRequests, computePodRequests } from "./resource.ts";
import type { Labels, Selector } from "./selectors.ts";
import { compileLabelSelector, matchesSelector, withLabelKeys } from "./selectors.ts";

/** Labels of a namespace, for namespaceSelector; undefined when unknown. */
export type NamespaceLabels = (namespace: string) => Labels | undefined;

/** A parsed PodAffinityTerm (upstream fwk.AffinityTerm). */
export interface AffinityTerm {
  readonly namespaces: ReadonlySet<string>;
  readonly namespaceSelector: Selector;
  readonly selector: Selector;
  readonly topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

/** A host port a container binds, with upstream's defaults (0.0.0.0, TCP). */
export interface HostPort {
  readonly ip: string;
  readonly protocol: string;
  readonly port: number;
}

export interface PodInfo {
  readonly pod: PodLike;
  /** "namespace/name". */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly labels: Labels;
  readonly nodeName: string;
  readonly priority: number;
  /** Requests for Filter (no defaults). */
  readonly requests: Resource;
  /** cpu/memory with 100m/200Mi for missing container requests, for scoring. */
  readonly nonZero: { readonly milliCPU: number; readonly memory: number };
  readonly hostPorts: readonly HostPort[];
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
  readonly preferredAffinityTerms: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[];
  /** spec.affinity has podAffinity or podAntiAffinity (upstream PodsWithAffinity membership). */
  readonly hasPodAffinity: boolean;
  readonly terminating: boolean;
  readonly terminal: boolean;
}

/** AffinityTerm.Matches: in one of the term's namespaces (or its namespaceSelector's) and selected. */
export function affinityTermMatches(term: AffinityTerm, pod: PodInfo, nsLabels: NamespaceLabels): boolean {
  const inNamespace =
    term.namespaces.has(pod.namespace) ||
    (term.namespaceSelector.kind !== "nothing" && matchesSelector(term.namespaceSelector, nsLabels(pod.namespace) ?? {}));
  return inNamespace && matchesSelector(term.selector, pod.labels);
}

function affinityTerm(pod: PodLike, labels: Labels, term: PodAffinityTermLike): AffinityTerm {
  const namespace = pod.metadata?.namespace ?? "";
  // No namespaces and no namespaceSelector means "the pod's own namespace".
  const namespaces =
    (term.namespaces?.length ?? 0) === 0 && !term.namespaceSelector ? new Set([namespace]) : new Set(term.namespaces ?? []);
  const base = compileLabelSelector(term.labelSelector);
  return {
    namespaces,
    namespaceSelector: compileLabelSelector(term.namespaceSelector),
    selector: term.labelSelector ? withLabelKeys(base, labels, term.matchLabelKeys, term.mismatchLabelKeys) : base,
    topologyKey: term.topologyKey,
  };
}

function weighted(pod: PodLike, labels: Labels, terms: readonly WeightedPodAffinityTermLike[] | undefined): WeightedAffinityTerm[] {
  return (terms ?? []).map((t) => ({ ...affinityTerm(pod, labels, t.podAffinityTerm), weight: t.weight }));
}

function hostPorts(pod: PodLike): HostPort[] {
  const out: HostPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if ((p.hostPort ?? 0) > 0) out.push({ ip: p.hostIP || "0.0.0.0", protocol: p.protocol || "TCP", port: p.hostPort ?? 0 });
    }
  }
  return out;
}

function computePodInfo(pod: PodLike): PodInfo {
  const labels = pod.metadata?.labels ?? {};
  const affinity = pod.spec?.affinity;
  return {
    pod,
    key: podKey(pod),
    namespace: pod.metadata?.namespace ?? "",
    name: pod.metadata?.name ?? "",
    uid: pod.metadata?.uid ?? "",
    labels,
    nodeName: pod.spec?.nodeName ?? "",
    priority: pod.spec?.priority ?? 0,
    requests: computePodRequests(pod),
    nonZero: computeNonZeroRequests(pod),
    hostPorts: hostPorts(pod),
    requiredAffinityTerms: (affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
      affinityTerm(pod, labels, t),
    ),
    requiredAntiAffinityTerms: (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
      affinityTerm(pod, labels, t),
    ),
    preferredAffinityTerms: weighted(pod, labels, affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinityTerms: weighted(pod, labels, affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    hasPodAffinity: Boolean(affinity?.podAffinity || affinity?.podAntiAffinity),
    terminating: Boolean(pod.metadata?.deletionTimestamp),
    terminal: isTerminal(pod),
  };
}

// Informer objects are replaced, never mutated, so the object identity is a
// safe cache key; the WeakMap lets dropped objects be collected.
const cache = new WeakMap<PodLike, PodInfo>();

/** The PodInfo of a pod object, computed once. */
export function podInfoOf(pod: PodLike): PodInfo {
  let info = cache.get(pod);
  if (!info) {
    info = computePodInfo(pod);
    cache.set(pod, info);
  }
  return info;
}
