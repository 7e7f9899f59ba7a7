// The pod realizer's wiring: which caches it reads, what enqueues a mirror
// Pod, and the reconcile that reads the caches, plans and carries out.
import { kinds } from "../../api/index.ts";
import { requestFor } from "../../runtime/controller/builder.ts";
import type { Controller } from "../../runtime/controller/controller.ts";
import { requestKey, type Reconciler } from "../../runtime/controller/request.ts";
import { Expectations } from "../../runtime/expectations.ts";
import { objectKey } from "../../runtime/informer/index.ts";
import type { Manager } from "../../runtime/manager/manager.ts";
import { cachedParser, InvalidObjectReporter } from "../common/index.ts";
import { carryOut, type Effects } from "./effects.ts";
import { DEFAULT_NODE_LOST_GRACE_MS, readiness } from "./node-health.ts";
import { POD_REALIZER } from "./names.ts";
import { isControlledByMirrorPod } from "./ownership.ts";
import { boundNodeName, planInvalid, planPod } from "./plan.ts";
import { mirrorPods, nodes, realPods, type MirrorPodObject, type Node, type RealPod } from "./resources.ts";
import { passThroughVolumes, type VolumeTranslator } from "./volumes.ts";

export interface PodRealizerOptions {
  /** How long a Node may be NotReady before its mirror Pods fail with NodeLost. */
  nodeLostGraceMs?: number;
  workers?: number;
  /** Turns mirror volumes into real ones; the storage controllers provide claims. */
  translateVolume?: VolumeTranslator;
  /** Milliseconds since the epoch. */
  now?: () => number;
}

// Mirror Pods by spec.nodeName, to find the pods of a Node that changed.
const BY_NODE_INDEX = "pod-realizer:spec.nodeName";
const byNode = (obj: MirrorPodObject): string[] => {
  const nodeName = (obj.spec as { nodeName?: unknown } | undefined)?.nodeName;
  return typeof nodeName === "string" && nodeName !== "" ? [nodeName] : [];
};

// A safety net only: a creation the cache never shows (a relist that missed
// it) is otherwise waited for until the expectation expires.
const EXPECTATION_RECHECK_MS = 30_000;

export function registerPodRealizer(mgr: Manager, options: PodRealizerOptions = {}): Controller {
  const { nodeLostGraceMs = DEFAULT_NODE_LOST_GRACE_MS, workers = 4, translateVolume = passThroughVolumes, now = Date.now } = options;
  const mirrorCache = mgr.informerFor<MirrorPodObject>(mirrorPods);
  mirrorCache.addIndexer(BY_NODE_INDEX, byNode);
  const realCache = mgr.informerFor<RealPod>(realPods);
  const nodeCache = mgr.informerFor<Node>(nodes);
  const expectations = new Expectations();
  const recorder = mgr.recorder(POD_REALIZER);
  const effects: Effects = { mirrors: mgr.client<MirrorPodObject>(mirrorPods), reals: mgr.client<RealPod>(realPods), recorder, expectations };
  const parse = cachedParser(kinds.Pod);
  const invalid = new InvalidObjectReporter(recorder);

  const reconcile: Reconciler = async (req, { log }) => {
    const key = requestKey(req);
    const stored = mirrorCache.store.get(key);
    if (!stored) {
      // Gone; its real Pod, if any, is garbage-collected through the owner reference.
      expectations.delete(key);
      invalid.forget(key);
      return;
    }
    if (!expectations.satisfied(key)) {
      log.debug("waiting for the real Pod just created to reach the cache");
      return { requeueAfterMs: EXPECTATION_RECHECK_MS };
    }
    const real = realCache.store.get(key);
    const at = now();
    const parsed = parse(stored);
    if (!parsed.ok) {
      invalid.report(key, stored, parsed.error, log);
      await carryOut(planInvalid(stored, real), { stored, parsed: undefined, now: at }, effects);
      return;
    }
    invalid.forget(key);
    const mirror = parsed.value;
    const nodeName = boundNodeName(mirror, real);
    const node = nodeName ? nodeCache.store.get(nodeName) : undefined;
    const plan = planPod({ mirror, real, node, now: at, nodeLostGraceMs, translateVolume });
    if (plan.actions.length > 0) log.debug({ actions: plan.actions.map((a) => a.kind) }, "carrying out");
    await carryOut(plan, { stored, parsed: mirror, now: at }, effects);
    return plan.requeueAfterMs === undefined ? undefined : { requeueAfterMs: plan.requeueAfterMs };
  };

  const controller = mgr
    .controller(POD_REALIZER)
    .for(mirrorPods)
    // Any real Pod of a mirror Pod's name: ours, or one in the way.
    .watch<RealPod>(realPods, (pod) => (mirrorCache.store.get(objectKey(pod)) ? [requestFor(pod)] : []))
    .withWorkers(workers)
    .complete(reconcile);

  realCache.addEventHandler({
    add: (pod) => {
      if (isControlledByMirrorPod(pod)) expectations.creationObserved(objectKey(pod));
    },
  });
  // Node heartbeats update Nodes all the time; only a change of readiness, or
  // the Node going away, concerns the pods on it.
  const enqueuePodsOn = (node: Node) => {
    for (const pod of mirrorCache.store.byIndex(BY_NODE_INDEX, node.metadata?.name ?? "")) controller.enqueue(requestFor(pod));
  };
  nodeCache.addEventHandler({
    update: (old, cur) => {
      if (readiness(old) !== readiness(cur)) enqueuePodsOn(cur);
    },
    delete: enqueuePodsOn,
  });
  return controller;
}
