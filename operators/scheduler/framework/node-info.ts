// NodeInfo: a node plus the aggregate of the pods counted on it (upstream
// framework.NodeInfo). The cache mutates NodeInfos incrementally; a
// scheduling cycle sees clones (see snapshot.ts), which plugins only read.
import { HostPortInfo } from "./host-ports.ts";
import type { NodeLike, TaintLike } from "./objects.ts";
import type { PodInfo } from "./pod-info.ts";
import type { Resource } from "./resource.ts";
import { cloneResource, emptyResource, resourceFromMap } from "./resource.ts";
import type { Labels } from "./selectors.ts";

let generationCounter = 0;
function nextGeneration(): number {
  return ++generationCounter;
}

/** Upstream normalizedImageName: an image without a tag means ":latest". */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(":") <= name.lastIndexOf("/") ? `${name}:latest` : name;
}

export class NodeInfo {
  readonly name: string;
  node: NodeLike | undefined;
  labels: Labels = {};
  taints: readonly TaintLike[] = [];
  unschedulable = false;
  allocatable: Resource = emptyResource();
  /** Σ requests of the counted pods (Filter). */
  requested: Resource = emptyResource();
  /** Σ requests with 100m/200Mi for missing cpu/memory requests (scoring). */
  nonZeroRequested = { milliCPU: 0, memory: 0 };
  usedPorts = new HostPortInfo();
  /** Image name → size in bytes, from node.status.images. */
  images: ReadonlyMap<string, number> = new Map();
  generation = nextGeneration();

  private podList: PodInfo[] = [];
  // Slot keys parallel to podList. A slot is usually the pod's key; the cache
  // uses distinct slots for a mirror Pod and an unrelated real Pod that share
  // a namespace/name, since both then hold resources.
  private slots: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(name: string) {
    this.name = name;
  }

  /** The pods counted on this node. */
  get pods(): readonly PodInfo[] {
    return this.podList;
  }

  /** Pods with podAffinity or podAntiAffinity (upstream PodsWithAffinity). */
  podsWithAffinity(): PodInfo[] {
    return this.podList.filter((p) => p.hasPodAffinity);
  }

  /** Pods with required anti-affinity terms (upstream PodsWithRequiredAntiAffinity). */
  podsWithRequiredAntiAffinity(): PodInfo[] {
    return this.podList.filter((p) => p.requiredAntiAffinityTerms.length > 0);
  }

  hasPod(slot: string): boolean {
    return this.index.has(slot);
  }

  setNode(node: NodeLike): void {
    this.node = node;
    this.labels = node.metadata?.labels ?? {};
    this.taints = node.spec?.taints ?? [];
    this.unschedulable = node.spec?.unschedulable === true;
    this.allocatable = resourceFromMap(node.status?.allocatable);
    const images = new Map<string, number>();
    for (const image of node.status?.images ?? []) {
      for (const name of image.names ?? []) images.set(name, image.sizeBytes ?? 0);
    }
    this.images = images;
    this.generation = nextGeneration();
  }

  removeNode(): void {
    this.node = undefined;
    this.generation = nextGeneration();
  }

  /** Counts a pod in `slot` (default: its key); a pod already in that slot is replaced. */
  addPod(pod: PodInfo, slot: string = pod.key): void {
    if (this.index.has(slot)) this.removePod(slot);
    this.index.set(slot, this.podList.length);
    this.podList.push(pod);
    this.slots.push(slot);
    this.update(pod, 1);
  }

  /** Stops counting the pod in `slot`; returns whether one was counted there. */
  removePod(slot: string): boolean {
    const i = this.index.get(slot);
    if (i === undefined) return false;
    const pod = this.podList[i];
    const lastPod = this.podList.pop();
    const lastSlot = this.slots.pop();
    if (lastPod && lastSlot !== undefined && i < this.podList.length) {
      this.podList[i] = lastPod;
      this.slots[i] = lastSlot;
      this.index.set(lastSlot, i);
    }
    this.index.delete(slot);
    if (pod) this.update(pod, -1);
    return true;
  }

  private update(pod: PodInfo, sign: 1 | -1): void {
    const r = this.requested;
    r.milliCPU += sign * pod.requests.milliCPU;
    r.memory += sign * pod.requests.memory;
    r.ephemeralStorage += sign * pod.requests.ephemeralStorage;
    for (const [name, value] of pod.requests.scalar) {
      const next = (r.scalar.get(name) ?? 0) + sign * value;
      if (next === 0) r.scalar.delete(name);
      else r.scalar.set(name, next);
    }
    this.nonZeroRequested.milliCPU += sign * pod.nonZero.milliCPU;
    this.nonZeroRequested.memory += sign * pod.nonZero.memory;
    for (const p of pod.hostPorts) {
      if (sign > 0) this.usedPorts.add(p);
      else this.usedPorts.remove(p);
    }
    this.generation = nextGeneration();
  }

  /** A copy that later mutations of this NodeInfo do not affect. */
  clone(): NodeInfo {
    const copy = new NodeInfo(this.name);
    copy.node = this.node;
    copy.labels = this.labels;
    copy.taints = this.taints;
    copy.unschedulable = this.unschedulable;
    copy.allocatable = this.allocatable;
    copy.requested = cloneResource(this.requested);
    copy.nonZeroRequested = { ...this.nonZeroRequested };
    copy.usedPorts = this.usedPorts.clone();
    copy.images = this.images;
    copy.podList = [...this.podList];
    copy.slots = [...this.slots];
    for (const [slot, i] of this.index) copy.index.set(slot, i);
    copy.generation = this.generation;
    return copy;
  }
}
