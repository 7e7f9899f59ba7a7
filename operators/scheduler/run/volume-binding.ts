// The VolumeBinding plugin's Reserve, PreBind and Unreserve (upstream
// volumebinding AssumePodVolumes, BindPodVolumes, RevertAssumedPodVolumes),
// and the storage events that bring parked pods back. Reserve runs in the
// scheduling loop and assumes the decision in the scheduler's own caches, so
// the next pod never gets the same PV; PreBind, in the background, writes it
// (a PV's claimRef, a claim's selected-node) and waits until the binder and
// the provisioner have bound every claim, before the pod is bound.
import type { Pod } from "../../api/index.ts";
import type { Manager } from "../../runtime/manager/manager.ts";
import type { ReadonlyStore } from "../../runtime/informer/store.ts";
import {
  AssumeCache,
  claimRefOf,
  isClaimFullyBound,
  parseClaim,
  parseClass,
  parseVolume,
  persistentVolumeClaims,
  persistentVolumes,
  storageInformers,
  storageNames,
  volumeBindPatch,
  volumeFitsNode,
  versionOf,
  type RawObject,
} from "../../storage/index.ts";
import { Action, type ClusterEvent } from "../framework/events.ts";
import type { NodeLike } from "../framework/objects.ts";
import { findPodVolumes, podVolumeClaims, type PodVolumes, type VolumeListers } from "../framework/plugins/volumebinding/binder.ts";
import type { SchedulingQueue } from "../queue/scheduling-queue.ts";
import type { PreBinder, Reservation } from "./scheduler.ts";

/** Upstream's default bindTimeoutSeconds. */
const BIND_TIMEOUT_MS = 600_000;
const POLL_MS = 200;

function storageEvent(resource: ClusterEvent["resource"], actions: number, label: string): ClusterEvent {
  return { resource, actions, label };
}

/** Whether `obj` is an older version than `version`. */
function olderThan(obj: { metadata: { resourceVersion?: string | undefined } }, version: string | undefined): boolean {
  const a = versionOf(obj.metadata.resourceVersion);
  const b = versionOf(version);
  return a !== undefined && b !== undefined && a < b;
}

export class SchedulerVolumeBinder implements PreBinder {
  readonly listers: VolumeListers;
  private readonly volumeCache: AssumeCache<RawObject>;
  private readonly claimCache: AssumeCache<RawObject>;
  private readonly informers: ReturnType<typeof storageInformers>;
  private readonly volumes;
  private readonly claims;

  constructor(
    mgr: Manager,
    private readonly nodes: ReadonlyStore<NodeLike>,
    private readonly pods: ReadonlyStore<Pod>,
    private readonly bindTimeoutMs = BIND_TIMEOUT_MS,
  ) {
    this.informers = storageInformers(mgr);
    this.volumeCache = new AssumeCache(this.informers.volumes.store);
    this.claimCache = new AssumeCache(this.informers.claims.store);
    this.volumes = mgr.client<RawObject>(persistentVolumes);
    this.claims = mgr.client<RawObject>(persistentVolumeClaims);
    this.listers = {
      claim: (namespace, name) => parseClaim(this.claimCache.get(`${namespace}/${name}`)),
      volume: (name) => parseVolume(this.volumeCache.get(name)),
      volumes: () => this.volumeCache.list().flatMap((raw) => parseVolume(raw) ?? []),
      storageClass: (name) => parseClass(this.informers.classes.store.get(name)),
    };
  }

  /** Storage changes may make pods VolumeBinding rejected schedulable (its EventsToRegister). */
  feed(queue: SchedulingQueue): void {
    const on = (resource: ClusterEvent["resource"]) => ({
      add: () => queue.moveAllToActiveOrBackoffQueue(storageEvent(resource, Action.Add, `${resource}Add`)),
      update: () => queue.moveAllToActiveOrBackoffQueue(storageEvent(resource, Action.Update, `${resource}Update`)),
    });
    this.informers.claims.addEventHandler(on("PersistentVolumeClaim"));
    this.informers.volumes.addEventHandler(on("PersistentVolume"));
    this.informers.classes.addEventHandler(on("StorageClass"));
  }

  /** AssumePodVolumes: undefined when every claim is bound already (nothing to write). */
  reserve(pod: Pod, nodeName: string): Reservation | undefined {
    const result = podVolumeClaims(pod, this.listers);
    if (!result.ok) throw new Error(result.message);
    if (result.claims.delayBinding.length === 0) return undefined;
    const node = this.nodes.get(nodeName);
    const found = findPodVolumes(result.claims, { name: nodeName, labels: node?.metadata?.labels ?? {} }, this.listers);
    if (!found.ok) throw new Error(found.error);
    if (found.reasons.length > 0) throw new Error(`volumes of pod ${pod.metadata.namespace ?? ""}/${pod.metadata.name ?? ""} no longer fit node ${nodeName}: ${found.reasons.join(", ")}`);
    const assumed: { volumes: string[]; claims: string[] } = { volumes: [], claims: [] };
    for (const { claim, volume } of found.podVolumes.staticBindings) {
      const name = volume.metadata.name ?? "";
      const annotations = { ...volume.metadata.annotations, [storageNames.ANN_BOUND_BY_CONTROLLER]: "yes" };
      this.volumeCache.assume(name, { ...volume, metadata: { ...volume.metadata, annotations }, spec: { ...volume.spec, claimRef: claimRefOf(claim) } });
      assumed.volumes.push(name);
    }
    for (const claim of found.podVolumes.dynamicProvisions) {
      const key = `${claim.metadata.namespace ?? ""}/${claim.metadata.name ?? ""}`;
      const annotations = { ...claim.metadata.annotations, [storageNames.ANN_SELECTED_NODE]: nodeName };
      this.claimCache.assume(key, { ...claim, metadata: { ...claim.metadata, annotations } });
      assumed.claims.push(key);
    }
    return {
      preBind: (signal) => this.bindPodVolumes(pod, nodeName, found.podVolumes, signal),
      unreserve: () => {
        for (const name of assumed.volumes) this.volumeCache.restore(name);
        for (const key of assumed.claims) this.claimCache.restore(key);
      },
    };
  }

  /** BindPodVolumes: the API writes, then wait for the binder (and provisioner) to finish. */
  private async bindPodVolumes(pod: Pod, nodeName: string, podVolumes: PodVolumes, signal?: AbortSignal): Promise<void> {
    // The versions written: until the informers have them, what they show is older news.
    const written = new Map<RawObject, string | undefined>();
    for (const { claim, volume } of podVolumes.staticBindings) {
      const patch = volumeBindPatch(volume, claim);
      if (patch) written.set(volume as RawObject, (await this.volumes.patch({ name: volume.metadata.name ?? "" }, { type: "merge", patch })).metadata?.resourceVersion);
    }
    for (const claim of podVolumes.dynamicProvisions) {
      const patch = { metadata: { resourceVersion: claim.metadata.resourceVersion, annotations: { [storageNames.ANN_SELECTED_NODE]: nodeName } } };
      const answer = await this.claims.patch({ namespace: claim.metadata.namespace, name: claim.metadata.name ?? "" }, { type: "merge", patch });
      written.set(claim as RawObject, answer.metadata?.resourceVersion);
    }
    const deadline = Date.now() + this.bindTimeoutMs;
    while (!this.bound(pod, nodeName, podVolumes, written)) {
      if (Date.now() > deadline) throw new Error(`binding volumes: timed out waiting for the claims of pod ${pod.metadata.namespace ?? ""}/${pod.metadata.name ?? ""}`);
      if (signal?.aborted) throw new Error("binding volumes: the scheduler is stopping");
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** checkBindings, on the informers (not the assumed state): true once all are bound; throws when binding must be retried. */
  private bound(pod: Pod, nodeName: string, podVolumes: PodVolumes, written: ReadonlyMap<RawObject, string | undefined>): boolean {
    const podKey = `${pod.metadata.namespace ?? ""}/${pod.metadata.name ?? ""}`;
    if (!this.pods.get(podKey)) throw new Error(`pod ${podKey} does not exist any more`);
    const node = { name: nodeName, labels: this.nodes.get(nodeName)?.metadata?.labels ?? {} };
    const claims = [...podVolumes.staticBindings.map((b) => b.claim), ...podVolumes.dynamicProvisions];
    for (const { volume } of podVolumes.staticBindings) {
      const current = parseVolume(this.informers.volumes.store.get(volume.metadata.name ?? ""));
      if (!current || olderThan(current, written.get(volume as RawObject))) return false;
      if (current.spec.claimRef === undefined) throw new Error(`ClaimRef got reset for pv "${volume.metadata.name ?? ""}"`);
    }
    for (const claim of claims) {
      const current = parseClaim(this.informers.claims.store.get(`${claim.metadata.namespace ?? ""}/${claim.metadata.name ?? ""}`));
      if (!current) throw new Error(`persistentvolumeclaim "${claim.metadata.name ?? ""}" not found`);
      if (olderThan(current, written.get(claim as RawObject))) return false;
      const provisioning = podVolumes.dynamicProvisions.includes(claim);
      // The provisioner drops selected-node when it cannot provision there: schedule again.
      if (provisioning && current.metadata.annotations?.[storageNames.ANN_SELECTED_NODE] === undefined && !current.spec.volumeName) {
        throw new Error(`provisioning failed for PVC "${claim.metadata.name ?? ""}"`);
      }
      if (!isClaimFullyBound(current)) return false;
      const volume = parseVolume(this.informers.volumes.store.get(current.spec.volumeName ?? ""));
      if (!volume) return false;
      if (!volumeFitsNode(volume, node)) throw new Error(`pv "${volume.metadata.name ?? ""}" node affinity doesn't match node "${nodeName}"`);
    }
    return true;
  }
}
