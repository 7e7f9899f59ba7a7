// Quota for mirror Pods (upstream pkg/quota/v1/evaluator/core/pods.go).
import { kinds } from "../../api/index.ts";
import { Quantity } from "../../common/quantity.ts";
import type { PodLike } from "../../scheduler/framework/objects.ts";
import { isExtendedResourceName, podLimits, podRequests } from "../../scheduler/framework/resource.ts";
import { cachedParser } from "../../workloads/common/index.ts";
import * as R from "../resource-names.ts";
import { ONE, type Evaluator, type QuotaObject, type ScopeRequirement, type Usage } from "./evaluator.ts";

type QuotaPod = PodLike & {
  metadata?: PodLike["metadata"] & { deletionGracePeriodSeconds?: number };
  spec?: PodLike["spec"] & { activeDeadlineSeconds?: number; priorityClassName?: string };
};

const COUNT_NAMES = R.objectCountNames(kinds.Pod);

const POD_RESOURCES = new Set([
  ...COUNT_NAMES,
  R.CPU,
  R.MEMORY,
  R.EPHEMERAL_STORAGE,
  R.REQUESTS_CPU,
  R.REQUESTS_MEMORY,
  R.REQUESTS_EPHEMERAL_STORAGE,
  R.LIMITS_CPU,
  R.LIMITS_MEMORY,
  R.LIMITS_EPHEMERAL_STORAGE,
  R.PODS,
]);

// Upstream's "mistake" kept for compatibility: a quota on cpu or memory
// demands that every container declares them.
const VALIDATION_SET = [R.CPU, R.MEMORY, R.REQUESTS_CPU, R.REQUESTS_MEMORY, R.LIMITS_CPU, R.LIMITS_MEMORY];

/** "requests.<extended>" for a resource that is not native (upstream isExtendedResourceNameForQuota). */
function isExtendedForQuota(name: string): boolean {
  return name.startsWith(R.REQUESTS_PREFIX) && isExtendedResourceName(name.slice(R.REQUESTS_PREFIX.length));
}

function matchingResources(input: readonly string[]): string[] {
  return input.filter((n) => POD_RESOURCES.has(n) || n.startsWith(R.HUGEPAGES_PREFIX) || n.startsWith(R.REQUESTS_HUGEPAGES_PREFIX) || isExtendedForQuota(n));
}

type ResourceMapLike = Readonly<Record<string, string | number>> | undefined;

function quantities(list: ResourceMapLike): Map<string, Quantity> {
  return new Map(Object.entries(list ?? {}).map(([k, v]) => [k, Quantity.parse(v)]));
}

/** Upstream podComputeUsageHelper: the quota names a set of requests and limits charge. */
function computeUsage(requests: Map<string, Quantity>, limits: Map<string, Quantity>): Usage {
  const usage: Usage = new Map([[R.PODS, ONE]]);
  const pair = (resource: string, requestName: string, limitName: string) => {
    const request = requests.get(resource);
    if (request) {
      usage.set(resource, request);
      usage.set(requestName, request);
    }
    const limit = limits.get(resource);
    if (limit) usage.set(limitName, limit);
  };
  pair(R.CPU, R.REQUESTS_CPU, R.LIMITS_CPU);
  pair(R.MEMORY, R.REQUESTS_MEMORY, R.LIMITS_MEMORY);
  pair(R.EPHEMERAL_STORAGE, R.REQUESTS_EPHEMERAL_STORAGE, R.LIMITS_EPHEMERAL_STORAGE);
  for (const [name, q] of requests) {
    if (name.startsWith(R.HUGEPAGES_PREFIX)) {
      usage.set(name, q);
      usage.set(`${R.REQUESTS_PREFIX}${name}`, q);
    }
    if (isExtendedResourceName(name)) usage.set(`${R.REQUESTS_PREFIX}${name}`, q);
  }
  return usage;
}

/** Upstream QuotaV1Pod: terminal pods, and pods stuck past their deletion grace, are not charged. */
export function isChargedForCompute(pod: QuotaPod, now: Date): boolean {
  const phase = pod.status?.phase;
  if (phase === "Failed" || phase === "Succeeded") return false;
  const deletion = pod.metadata?.deletionTimestamp;
  const grace = pod.metadata?.deletionGracePeriodSeconds;
  if (deletion && grace !== undefined && now.getTime() > new Date(deletion).getTime() + grace * 1000) return false;
  return true;
}

/** Upstream GetPodQOS == BestEffort: no positive cpu or memory request or limit anywhere. */
export function isBestEffort(pod: QuotaPod): boolean {
  const lists = [pod.spec?.resources, ...[...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.resources)];
  return !lists.some((r) =>
    [r?.requests, r?.limits].some((list) => [R.CPU, R.MEMORY].some((name) => list?.[name] !== undefined && Quantity.parse(list[name] ?? 0).sign() > 0)),
  );
}

function isTerminating(pod: QuotaPod): boolean {
  return (pod.spec?.activeDeadlineSeconds ?? -1) >= 0;
}

function usesCrossNamespaceAffinity(pod: QuotaPod): boolean {
  const terms = [pod.spec?.affinity?.podAffinity, pod.spec?.affinity?.podAntiAffinity].flatMap((a) => [
    ...(a?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(a?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
  ]);
  return terms.some((t) => (t.namespaces?.length ?? 0) > 0 || t.namespaceSelector !== undefined);
}

/** Upstream podMatchesScopeFunc; the operator only matters for PriorityClass. */
function matchesScope(scope: ScopeRequirement, obj: QuotaObject): boolean {
  const pod = obj as QuotaPod;
  switch (scope.scopeName) {
    case "Terminating":
      return isTerminating(pod);
    case "NotTerminating":
      return !isTerminating(pod);
    case "BestEffort":
      return isBestEffort(pod);
    case "NotBestEffort":
      return !isBestEffort(pod);
    case "CrossNamespacePodAffinity":
      return usesCrossNamespaceAffinity(pod);
    case "PriorityClass": {
      const cls = pod.spec?.priorityClassName ?? "";
      const values = scope.values ?? [];
      switch (scope.operator) {
        case "Exists":
          return cls !== "";
        case "DoesNotExist":
          return cls === "";
        case "In":
          return cls !== "" && values.includes(cls);
        case "NotIn":
          return cls === "" || !values.includes(cls);
      }
    }
  }
  return false;
}

/** Upstream Constraints: "must specify requests.cpu for: a,b; limits.memory for: a". */
function constraints(required: readonly string[], obj: QuotaObject): string | undefined {
  const pod = obj as QuotaPod;
  const wanted = VALIDATION_SET.filter((n) => required.includes(n));
  if (wanted.length === 0) return undefined;
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const has = computeUsage(quantities(c.resources?.requests), quantities(c.resources?.limits));
    for (const name of wanted) if (!has.has(name)) missing.set(name, (missing.get(name) ?? new Set()).add(c.name ?? ""));
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()].sort().map((name) => `${name} for: ${[...(missing.get(name) ?? [])].sort().join(",")}`);
  return `must specify ${parts.join("; ")}`;
}

/** Upstream PodUsageFunc: the object count always; compute only while the pod is charged. */
function usage(obj: QuotaObject, now: Date): Usage {
  const pod = obj as QuotaPod;
  const result: Usage = new Map(COUNT_NAMES.map((n) => [n, ONE]));
  if (!isChargedForCompute(pod, now)) return result;
  for (const [name, q] of computeUsage(podRequests(pod), podLimits(pod))) result.set(name, q);
  return result;
}

const parse = cachedParser(kinds.Pod);

export const podEvaluator: Evaluator = {
  kind: kinds.Pod,
  // Pod resources cannot change after creation (no in-place resize for mirror Pods).
  handles: (operation) => operation === "CREATE",
  matchingResources,
  matchesScope,
  constraints,
  usage,
  // Upstream quota sees a Pod after defaulting: a limit without a request requests the limit.
  normalize: (raw) => {
    const parsed = parse(raw);
    return parsed.ok ? (parsed.value as QuotaObject) : raw;
  },
};
