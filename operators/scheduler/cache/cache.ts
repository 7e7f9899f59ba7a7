// The node cache (upstream pkg/scheduler/backend/cache), fed incrementally
// by informer events. It counts EVERYTHING that uses a node:
//  - every real v1 Pod bound to a node, whoever manages it;
//  - every mirror Pod bound to a node (spec.nodeName set) that has no
//    realized real Pod yet;
//  - the scheduler's own decisions not yet visible as bound objects
//    ("assumed" mirror Pods), until confirmed, forgotten or expired.
// A mirror Pod and its realized real Pod are one workload: only the real
// Pod (the runtime truth) is counted then. Succeeded/Failed pods count for
// nothing. Every event recomputes the contribution of one namespace/name, so
// the totals always equal a recount from scratch (see cache.property.test.ts).
import type { Clock } from "../../runtime/queue/index.ts";
import { realClock } from "../../runtime/queue/index.ts";
import { NodeInfo } from "../framework/node-info.ts";
import type { NodeLike, PodLike } from "../framework/objects.ts";
import { isTerminal, nodeName, podKey } from "../framework/objects.ts";
import { podInfoOf } from "../framework/pod-info.ts";
import type { Labels } from "../framework/selectors.ts";
import type { Snapshot } from "../framework/snapshot.ts";
import { newSnapshot } from "../framework/snapshot.ts";
import { isRealizationOf } from "./mirror.ts";

export interface SchedulerCacheOptions {
  clock?: Clock;
  /**
   * How long an assumed pod may wait for its bound object after the binding
   * call finished (upstream durationToExpireAssumedPod); then it stops
   * counting, in case the bind was lost. Default 30 s.
   */
  assumedPodTTLMs?: number;
}

type Source = "real" | "mirror";

interface Counted {
  readonly node: string;
  readonly slot: string;
  readonly source: Source;
}

interface Entry {
  real?: PodLike;
  mirror?: PodLike;
  assumed?: { pod: PodLike; deadline: number | undefined };
  counted: Counted[];
}

/** Where one pod is counted, for inspection and tests. */
export interface CountedPod {
  readonly key: string;
  readonly node: string;
  readonly source: Source;
  readonly assumed: boolean;
}

function boundNode(pod: PodLike | undefined): string | undefined {
  return pod?.spec?.nodeName || undefined;
}

function keyOf(podOrKey: PodLike | string): string {
  return typeof podOrKey === "string" ? podOrKey : podKey(podOrKey);
}

export class SchedulerCache {
  private readonly clock: Clock;
  private readonly ttl: number;
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly entries = new Map<string, Entry>();
  private readonly namespaces = new Map<string, Labels>();
  // The clones handed out in snapshots, reused while a node is unchanged.
  private readonly frozen = new Map<string, NodeInfo>();

  constructor(options: SchedulerCacheOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.ttl = options.assumedPodTTLMs ?? 30_000;
  }

  // --- Nodes ---

  upsertNode(node: NodeLike): void {
    this.nodeInfo(nodeName(node)).setNode(node);
  }

  deleteNode(node: NodeLike | string): void {
    const name = typeof node === "string" ? node : nodeName(node);
    const info = this.nodes.get(name);
    if (!info) return;
    // Pods bound to a deleted node still hold what they hold until they go;
    // the NodeInfo stays, out of snapshots, until its last pod leaves.
    info.removeNode();
    this.dropIfEmpty(info);
  }

  // --- Real v1 Pods (all of them, including ones mirrorkube does not manage) ---

  upsertRealPod(pod: PodLike): void {
    this.entry(podKey(pod)).real = pod;
    this.recompute(podKey(pod));
  }

  deleteRealPod(pod: PodLike | string): void {
    const key = keyOf(pod);
    const e = this.entries.get(key);
    if (!e) return;
    delete e.real;
    this.recompute(key);
  }

  // --- Mirror Pods ---

  upsertMirrorPod(pod: PodLike): void {
    const key = podKey(pod);
    const e = this.entry(key);
    e.mirror = pod;
    // The bound object arrived: the assumption is confirmed and the object speaks for itself.
    if (e.assumed && boundNode(pod)) delete e.assumed;
    this.recompute(key);
  }

  deleteMirrorPod(pod: PodLike | string): void {
    const key = keyOf(pod);
    const e = this.entries.get(key);
    if (!e) return;
    delete e.mirror;
    delete e.assumed;
    this.recompute(key);
  }

  // --- Assumed pods (the scheduler's decisions in flight) ---

  /** Counts `pod` on `node` now, before the bind is visible (upstream AssumePod). */
  assume(pod: PodLike, node: string): void {
    const key = podKey(pod);
    this.entry(key).assumed = { pod: { ...pod, spec: { ...pod.spec, nodeName: node } }, deadline: undefined };
    this.recompute(key);
  }

  /** The bind call returned: start the expiry clock (upstream FinishBinding). */
  finishBinding(pod: PodLike | string): void {
    const assumed = this.entries.get(keyOf(pod))?.assumed;
    if (assumed) assumed.deadline = this.clock.now() + this.ttl;
  }

  /** The bind failed: stop counting the assumption (upstream ForgetPod). */
  forget(pod: PodLike | string): void {
    const key = keyOf(pod);
    const e = this.entries.get(key);
    if (!e?.assumed) return;
    delete e.assumed;
    this.recompute(key);
  }

  isAssumed(pod: PodLike | string): boolean {
    return this.entries.get(keyOf(pod))?.assumed !== undefined;
  }

  /** Drops assumptions whose bound object never came; returns their keys. */
  cleanupExpiredAssumedPods(now: number = this.clock.now()): string[] {
    const expired: string[] = [];
    for (const [key, e] of this.entries) {
      if (e.assumed?.deadline !== undefined && e.assumed.deadline <= now) {
        delete e.assumed;
        expired.push(key);
      }
    }
    for (const key of expired) this.recompute(key);
    return expired;
  }

  // --- Namespaces (for namespaceSelector in pod affinity terms) ---

  upsertNamespace(name: string, labels: Labels = {}): void {
    this.namespaces.set(name, labels);
  }

  deleteNamespace(name: string): void {
    this.namespaces.delete(name);
  }

  // --- Reads ---

  /**
   * The view a scheduling cycle reads. Expired assumptions are dropped
   * first. NodeInfos unchanged since the last snapshot are shared with it.
   */
  snapshot(): Snapshot {
    this.cleanupExpiredAssumedPods();
    const infos: NodeInfo[] = [];
    for (const [name, info] of this.nodes) {
      if (!info.node) {
        this.frozen.delete(name);
        continue;
      }
      let copy = this.frozen.get(name);
      if (!copy || copy.generation !== info.generation) {
        copy = info.clone();
        this.frozen.set(name, copy);
      }
      infos.push(copy);
    }
    for (const name of this.frozen.keys()) if (!this.nodes.has(name)) this.frozen.delete(name);
    const namespaces = new Map(this.namespaces);
    return newSnapshot(infos, (ns) => namespaces.get(ns));
  }

  /** Every counted pod, for inspection and tests. */
  countedPods(): CountedPod[] {
    const out: CountedPod[] = [];
    for (const [key, e] of this.entries) {
      for (const c of e.counted) out.push({ key, node: c.node, source: c.source, assumed: c.source === "mirror" && e.assumed !== undefined });
    }
    return out;
  }

  /** The live NodeInfo (do not mutate), including one whose Node is gone but still holds pods. */
  getNodeInfo(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  // --- Internals ---

  private entry(key: string): Entry {
    let e = this.entries.get(key);
    if (!e) this.entries.set(key, (e = { counted: [] }));
    return e;
  }

  private nodeInfo(name: string): NodeInfo {
    let info = this.nodes.get(name);
    if (!info) this.nodes.set(name, (info = new NodeInfo(name)));
    return info;
  }

  private dropIfEmpty(info: NodeInfo): void {
    if (!info.node && info.pods.length === 0) this.nodes.delete(info.name);
  }

  /** Re-derives where the pods of one namespace/name are counted. */
  private recompute(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    for (const c of e.counted) {
      const info = this.nodes.get(c.node);
      info?.removePod(c.slot);
      if (info) this.dropIfEmpty(info);
    }
    e.counted = [];

    const real = e.real;
    const realNode = boundNode(real);
    if (real && realNode && !isTerminal(real)) this.count(e, realNode, real, `real:${key}`, "real");

    const mirror = e.assumed?.pod ?? e.mirror;
    const mirrorNode = boundNode(mirror);
    // A realized mirror Pod is represented by its real Pod (counted above, or
    // finished); an unrelated real Pod of the same name does not stand in for it.
    const realized = real !== undefined && mirror !== undefined && isRealizationOf(real, mirror);
    if (mirror && mirrorNode && !isTerminal(mirror) && !realized) this.count(e, mirrorNode, mirror, `mirror:${key}`, "mirror");

    if (!e.real && !e.mirror && !e.assumed) this.entries.delete(key);
  }

  private count(e: Entry, node: string, pod: PodLike, slot: string, source: Source): void {
    this.nodeInfo(node).addPod(podInfoOf(pod), slot);
    e.counted.push({ node, slot, source });
  }
}
