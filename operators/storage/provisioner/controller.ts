// The mirrorkube.dev/hostpath provisioner: creates a PV for each claim the
// binder hands to it, and deletes the data and the PV of a Released volume
// of the Delete policy. One queue for both, as the binder's: a request with a
// namespace is a claim to provision, one without is a volume to delete.
import { isAlreadyExists, isNotFound } from "../../runtime/client/index.ts";
import type { Controller } from "../../runtime/controller/controller.ts";
import { requestKey, type Reconciler } from "../../runtime/controller/request.ts";
import type { Manager } from "../../runtime/manager/manager.ts";
import { parseClaim, parseClass, parseVolume, storageInformers } from "../caches.ts";
import { claimKey, selectedNode, type NodeFacts } from "../helpers.ts";
import { ANN_SELECTED_NODE, Events, Messages } from "../names.ts";
import { nodes, persistentVolumeClaims, persistentVolumes, realPods, type NodeObject, type RawObject, type RealPodObject } from "../resources.ts";
import { cleanupPodName, planDelete, type CleanupOptions } from "./delete.ts";
import { ANN_HOSTPATH_NODE, CLEANUP_POD_LABEL, DEFAULT_CLEANUP_IMAGE, DEFAULT_HOSTPATH_ROOT, HOSTPATH_COMPONENT, HOSTPATH_PROVISIONER_CONTROLLER, ProvisionerEvents } from "./names.ts";
import { chooseNode, classToProvision, provisionedVolume, provisionedVolumeName, type NodeState } from "./provision.ts";

export interface HostPathProvisionerOptions {
  /** The directory provisioned volumes go under, on every node. */
  root?: string;
  /** Where cleanup Pods run. */
  namespace?: string;
  cleanupImage?: string;
  workers?: number;
}

// No Ready node for an Immediate claim: look again this much later (nodes coming up also wake it).
const NO_NODE_RETRY_MS = 15_000;

function nodeFacts(node: NodeObject): NodeFacts {
  return { name: node.metadata?.name ?? "", labels: node.metadata?.labels ?? {} };
}

export function registerHostPathProvisioner(mgr: Manager, options: HostPathProvisionerOptions = {}): Controller {
  const root = options.root ?? DEFAULT_HOSTPATH_ROOT;
  const cleanup: CleanupOptions = { namespace: options.namespace ?? process.env.POD_NAMESPACE ?? "kube-system", image: options.cleanupImage ?? DEFAULT_CLEANUP_IMAGE };
  const informers = storageInformers(mgr);
  const nodeStore = mgr.informerFor<NodeObject>(nodes).store;
  const podInformer = mgr.informerFor<RealPodObject>(realPods);
  const volumesClient = mgr.client<RawObject>(persistentVolumes);
  const claimsClient = mgr.client<RawObject>(persistentVolumeClaims);
  const podsClient = mgr.client<RealPodObject>(realPods);
  const recorder = mgr.recorder(HOSTPATH_COMPONENT);

  const nodeStates = (): NodeState[] => {
    const perNode = new Map<string, number>();
    for (const v of informers.volumes.store.list()) {
      const n = v.metadata?.annotations?.[ANN_HOSTPATH_NODE];
      if (n) perNode.set(n, (perNode.get(n) ?? 0) + 1);
    }
    return nodeStore.list().map((n) => ({
      ...nodeFacts(n),
      ready: n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
      unschedulable: n.spec?.unschedulable ?? false,
      tainted: (n.spec?.taints ?? []).some((t) => t.effect === "NoSchedule" || t.effect === "NoExecute"),
      volumes: perNode.get(n.metadata?.name ?? "") ?? 0,
    }));
  };

  const provision = async (key: string): Promise<{ requeueAfterMs: number } | undefined> => {
    const raw = informers.claims.store.get(key);
    const claim = parseClaim(raw);
    if (!raw || !claim) return undefined;
    const cls = classToProvision(claim, (name) => parseClass(informers.classes.store.get(name)));
    if (!cls) return undefined;
    const name = provisionedVolumeName(claim);
    if (informers.volumes.store.get(name)) return undefined;
    const failed = (why: string) => recorder.event(raw, "Warning", Events.provisioningFailed, Messages.provisionFailed(cls.metadata.name ?? "", why));
    // As the external provisioner library: a selector asks for an existing volume, which provisioning cannot honour.
    if (claim.spec.selector) {
      failed("claim Selector is not supported");
      return undefined;
    }
    const selected = selectedNode(claim);
    let node: NodeFacts | undefined;
    if (selected) {
      const found = nodeStore.get(selected);
      if (!found) {
        // Upstream's rescheduleProvisioning: without the annotation the scheduler picks a node again.
        failed(`node "${selected}" not found`);
        await claimsClient.patch({ namespace: claim.metadata.namespace, name: claim.metadata.name ?? "" }, { type: "merge", patch: { metadata: { resourceVersion: claim.metadata.resourceVersion, annotations: { [ANN_SELECTED_NODE]: null } } } });
        return undefined;
      }
      node = nodeFacts(found);
    } else {
      node = chooseNode(nodeStates(), cls);
      if (!node) {
        failed("no Ready, schedulable node satisfies the class's allowedTopologies");
        return { requeueAfterMs: NO_NODE_RETRY_MS };
      }
    }
    recorder.event(raw, "Normal", Events.provisioning, Messages.provisioning(claimKey(claim)));
    try {
      await volumesClient.create(provisionedVolume(claim, cls, node, root) as RawObject);
    } catch (err) {
      // Created by an earlier attempt the cache has not shown yet.
      if (isAlreadyExists(err)) return undefined;
      failed(err instanceof Error ? err.message : String(err));
      throw err;
    }
    recorder.event(raw, "Normal", Events.provisioningSucceeded, Messages.provisioned(name));
    return undefined;
  };

  const remove = async (name: string): Promise<void> => {
    const raw = informers.volumes.store.get(name);
    const volume = parseVolume(raw);
    if (!raw || !volume) return;
    const node = nodeStore.get(volume.metadata.annotations?.[ANN_HOSTPATH_NODE] ?? "");
    const pod = podInformer.store.get(`${cleanup.namespace}/${cleanupPodName(volume)}`);
    const plan = planDelete(volume, node, pod, cleanup);
    const deleteVolume = async () => {
      try {
        await volumesClient.delete({ name }, { preconditions: { uid: volume.metadata.uid } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    };
    switch (plan.kind) {
      case "none":
      case "wait":
        return;
      case "skipData":
        recorder.event(raw, "Normal", ProvisionerEvents.simulatedDelete, plan.message);
        return deleteVolume();
      case "createCleanupPod":
        try {
          await podsClient.create(plan.pod);
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
        }
        return;
      case "deleteVolume":
        return deleteVolume();
      case "cleanupFailed":
        recorder.event(raw, "Warning", Events.volumeFailedDelete, plan.message);
        if (pod) await podsClient.delete({ namespace: cleanup.namespace, name: pod.metadata?.name ?? "" }).catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
        // Retried with backoff.
        throw new Error(plan.message);
    }
  };

  const reconcile: Reconciler = async (req) => {
    if (req.namespace === "") {
      await remove(req.name);
      return undefined;
    }
    return provision(requestKey(req));
  };

  const controller = mgr
    .controller(HOSTPATH_PROVISIONER_CONTROLLER)
    .for(persistentVolumeClaims)
    .watch<RawObject>(persistentVolumes, (v) => [{ namespace: "", name: v.metadata?.name ?? "" }])
    .watch<RealPodObject>(realPods, (p) => {
      const volume = p.metadata?.labels?.[CLEANUP_POD_LABEL];
      return volume ? [{ namespace: "", name: volume }] : [];
    })
    .withWorkers(options.workers ?? 4)
    .complete(reconcile);
  return controller;
}
