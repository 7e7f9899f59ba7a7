// Resource vectors as the scheduler counts them (upstream framework.Resource):
// cpu in millicores, everything else in units, all as plain numbers so that
// filtering a thousand nodes is integer arithmetic (exact below 2^53, which
// no node reaches). Quantities are parsed exactly first (common/quantity.ts)
// and rounded up the way upstream's MilliValue()/Value() do.
import { parseQuantity, Quantity } from "../../common/quantity.ts";
import type { ContainerLike, PodLike, ResourceMap } from "./objects.ts";

export const CPU = "cpu";
export const MEMORY = "memory";
export const PODS = "pods";
export const EPHEMERAL_STORAGE = "ephemeral-storage";

/** Upstream schedutil.DefaultMilliCPURequest / DefaultMemoryRequest: what a container without a request counts as when scoring. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  allowedPodNumber: number;
  /** Extended resources, hugepages, attachable volumes, prefixed native resources. */
  scalar: Map<string, number>;
}

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: new Map() };
}

export function cloneResource(r: Resource): Resource {
  return { ...r, scalar: new Map(r.scalar) };
}

// --- Resource names (upstream pkg/apis/core/v1/helper) ---

const QUALIFIED_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function isQualifiedName(value: string): boolean {
  const parts = value.split("/");
  if (parts.length > 2) return false;
  const name = parts.at(-1) ?? "";
  const prefix = parts.length === 2 ? parts[0] : undefined;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length > 0 && name.length <= 63 && QUALIFIED_NAME.test(name);
}

function isPrefixedNativeResource(name: string): boolean {
  return name.includes("kubernetes.io/");
}

function isNativeResource(name: string): boolean {
  return !name.includes("/") || isPrefixedNativeResource(name);
}

/** A resource advertised by a device plugin or node admin: "example.com/gpu". */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith("requests.")) return false;
  return isQualifiedName(`requests.${name}`);
}

export function isHugePageResourceName(name: string): boolean {
  return name.startsWith("hugepages-");
}

/** Everything counted in Resource.scalar (upstream schedutil.IsScalarResourceName). */
export function isScalarResourceName(name: string): boolean {
  return (
    isExtendedResourceName(name) ||
    isHugePageResourceName(name) ||
    isPrefixedNativeResource(name) ||
    name.startsWith("attachable-volumes-")
  );
}

// --- Conversions ---

function quantityOf(value: string | number): Quantity {
  return parseQuantity(value);
}

/** Adds a ResourceList to a Resource (upstream Resource.Add). */
export function addResourceList(target: Resource, list: ReadonlyMap<string, Quantity>): void {
  for (const [name, q] of list) {
    switch (name) {
      case CPU:
        target.milliCPU += q.milliValue();
        break;
      case MEMORY:
        target.memory += q.value();
        break;
      case PODS:
        target.allowedPodNumber += q.value();
        break;
      case EPHEMERAL_STORAGE:
        target.ephemeralStorage += q.value();
        break;
      default:
        if (isScalarResourceName(name)) target.scalar.set(name, (target.scalar.get(name) ?? 0) + q.value());
    }
  }
}

/** A node's allocatable as a Resource (upstream NewResource(node.Status.Allocatable)). */
export function resourceFromMap(map: ResourceMap | undefined): Resource {
  const r = emptyResource();
  if (map) addResourceList(r, toQuantities(map));
  return r;
}

function toQuantities(map: ResourceMap | undefined): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [name, value] of Object.entries(map ?? {})) out.set(name, quantityOf(value));
  return out;
}

// --- Pod requests (k8s.io/component-helpers/resource PodRequests) ---

type QuantityList = Map<string, Quantity>;

function addInto(target: QuantityList, list: QuantityList): void {
  for (const [name, q] of list) {
    const had = target.get(name);
    target.set(name, had ? had.add(q) : q);
  }
}

function maxInto(target: QuantityList, list: QuantityList): void {
  for (const [name, q] of list) {
    const had = target.get(name);
    if (!had || q.cmp(had) > 0) target.set(name, q);
  }
}

const SUPPORTED_POD_LEVEL = (name: string): boolean => name === CPU || name === MEMORY || isHugePageResourceName(name);

type Side = "requests" | "limits";

/** Pod-level requests or limits (PodLevelResources) that replace the container aggregate. */
function podLevel(pod: PodLike, side: Side): QuantityList | undefined {
  const list = pod.spec?.resources?.[side];
  if (!list) return undefined;
  const supported = Object.keys(list).filter(SUPPORTED_POD_LEVEL);
  if (supported.length === 0) return undefined;
  return new Map(supported.map((name) => [name, quantityOf(list[name] ?? 0)]));
}

function containerResources(c: ContainerLike, side: Side, nonMissing: QuantityList | undefined): QuantityList {
  const list = toQuantities(c.resources?.[side]);
  // A missing request (not a zero one) takes the default, as upstream's applyNonMissing.
  for (const [name, q] of nonMissing ?? []) if (!list.has(name)) list.set(name, q);
  return list;
}

/**
 * Σ containers; each init container must fit next to the restartable
 * (sidecar) init containers started before it, so the result is the max of
 * that and the sum (upstream aggregateContainerResourcesByFn).
 */
function aggregateContainers(pod: PodLike, side: Side, nonMissing?: QuantityList): QuantityList {
  const result: QuantityList = new Map();
  for (const c of pod.spec?.containers ?? []) addInto(result, containerResources(c, side, nonMissing));
  const sidecars: QuantityList = new Map();
  const initMax: QuantityList = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    const own = containerResources(c, side, nonMissing);
    if (c.restartPolicy === "Always") {
      addInto(result, own);
      addInto(sidecars, own);
      maxInto(initMax, sidecars);
    } else {
      const combined = new Map(own);
      addInto(combined, sidecars);
      maxInto(initMax, combined);
    }
  }
  maxInto(result, initMax);
  return result;
}

/**
 * The pod's effective requests: the container aggregate, with pod-level
 * requests replacing it for cpu/memory/hugepages, and overhead on top.
 */
export function podRequests(pod: PodLike, nonMissing?: QuantityList): QuantityList {
  const result = aggregateContainers(pod, "requests", nonMissing);
  for (const [name, q] of podLevel(pod, "requests") ?? []) result.set(name, q);
  addInto(result, toQuantities(pod.spec?.overhead));
  return result;
}

/** The pod's effective limits (upstream PodLimits): as requests, but overhead only on the non-zero limits. */
export function podLimits(pod: PodLike): QuantityList {
  const result = aggregateContainers(pod, "limits");
  for (const [name, q] of podLevel(pod, "limits") ?? []) result.set(name, q);
  for (const [name, q] of toQuantities(pod.spec?.overhead)) {
    const limit = result.get(name);
    if (limit && !limit.isZero()) result.set(name, limit.add(q));
  }
  return result;
}

/** Requests as the Filter sees them: no defaults for missing requests. */
export function computePodRequests(pod: PodLike): Resource {
  const r = emptyResource();
  addResourceList(r, podRequests(pod));
  return r;
}

/**
 * cpu/memory with a missing container request counted as 100m/200Mi, what
 * NodeInfo.NonZeroRequested and the LeastAllocated/MostAllocated scores use,
 * so that best-effort pods still spread. With pod-level requests, only the
 * resources missing at pod level get defaults (upstream getNonMissingContainerRequests).
 */
export function computeNonZeroRequests(pod: PodLike): { milliCPU: number; memory: number } {
  const atPodLevel = podLevel(pod, "requests");
  const defaults: QuantityList = new Map();
  if (!atPodLevel?.has(CPU)) defaults.set(CPU, Quantity.fromMilli(DEFAULT_MILLI_CPU_REQUEST));
  if (!atPodLevel?.has(MEMORY)) defaults.set(MEMORY, Quantity.fromValue(DEFAULT_MEMORY_REQUEST));
  const list = podRequests(pod, defaults);
  return { milliCPU: list.get(CPU)?.milliValue() ?? 0, memory: list.get(MEMORY)?.value() ?? 0 };
}
