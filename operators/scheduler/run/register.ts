import type { Pod } from "../../api/index.ts";
import type { Manager } from "../../runtime/manager/manager.ts";
import { SchedulerCache } from "../cache/cache.ts";
import { newProfile, type PluginsConfig } from "../framework/profile.ts";
import { SchedulingQueue } from "../queue/scheduling-queue.ts";
import { SCHEDULER_FIELD_MANAGER } from "./binder.ts";
import { feedCache } from "./cache-feed.ts";
import { ExtenderServer } from "./extender-server.ts";
import { mirrorPodsResource, nodesResource, realPodsResource } from "./resources.ts";
import { CapacityReleaseNotifier } from "./capacity-release.ts";
import type { NodeLike, PodLike } from "../framework/objects.ts";
import { volumeBinding } from "../framework/plugins/volumebinding/volume-binding.ts";
import type { KubeObject } from "../../runtime/client/index.ts";
import { MirrorScheduler } from "./scheduler.ts";
import { SchedulerVolumeBinder } from "./volume-binding.ts";

export interface SchedulerOptions {
  /** "host:port" for the kube-scheduler extender, or "0" to not serve it. */
  extenderBindAddress: string;
  extenderPathPrefix?: string;
  plugins?: PluginsConfig;
}

/** mirrorkube's scheduler (leader only) and the kube-scheduler extender (every replica), on one node cache. */
export function registerScheduler(mgr: Manager, options: SchedulerOptions): void {
  const cache = new SchedulerCache();
  const mirrorPods = mgr.informerFor<Pod>(mirrorPodsResource).store;
  // VolumeBinding reads mirror claims: it serves mirror Pods only, never the extender's real Pods.
  const volumes = new SchedulerVolumeBinder(mgr, mgr.informerFor<NodeLike & KubeObject>(nodesResource).store, mirrorPods);
  const profile = newProfile({ ...options.plugins, plugins: [...(options.plugins?.plugins ?? []), volumeBinding(volumes.listers)] });
  const queue = new SchedulingQueue({ pluginEvents: new Map(profile.plugins.map((p) => [p.name, p.events ?? []])) });
  const released = new CapacityReleaseNotifier(mgr.client(nodesResource), mgr.informerFor<PodLike & KubeObject>(realPodsResource).store, () => mgr.isLeader());
  feedCache(mgr, cache, queue, released);
  volumes.feed(queue);
  mgr.add(new MirrorScheduler({ cache, queue, profile, mirrorPods, pods: mgr.client<Pod>(mirrorPodsResource), recorder: mgr.recorder(SCHEDULER_FIELD_MANAGER), preBinder: volumes }));
  if (options.extenderBindAddress !== "0") mgr.add(new ExtenderServer(options.extenderBindAddress, options.extenderPathPrefix ?? "/scheduler", cache, newProfile(options.plugins)));
}
