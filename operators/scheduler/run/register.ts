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
import type { PodLike } from "../framework/objects.ts";
import type { KubeObject } from "../../runtime/client/index.ts";
import { MirrorScheduler } from "./scheduler.ts";

export interface SchedulerOptions {
  /** "host:port" for the kube-scheduler extender, or "0" to not serve it. */
  extenderBindAddress: string;
  extenderPathPrefix?: string;
  plugins?: PluginsConfig;
}

/** mirrorkube's scheduler (leader only) and the kube-scheduler extender (every replica), on one node cache. */
export function registerScheduler(mgr: Manager, options: SchedulerOptions): void {
  const cache = new SchedulerCache();
  const queue = new SchedulingQueue();
  const profile = newProfile(options.plugins);
  const released = new CapacityReleaseNotifier(mgr.client(nodesResource), mgr.informerFor<PodLike & KubeObject>(realPodsResource).store, () => mgr.isLeader());
  feedCache(mgr, cache, queue, released);
  const mirrorPods = mgr.informerFor<Pod>(mirrorPodsResource).store;
  mgr.add(new MirrorScheduler({ cache, queue, profile, mirrorPods, pods: mgr.client<Pod>(mirrorPodsResource), recorder: mgr.recorder(SCHEDULER_FIELD_MANAGER) }));
  if (options.extenderBindAddress !== "0") mgr.add(new ExtenderServer(options.extenderBindAddress, options.extenderPathPrefix ?? "/scheduler", cache, profile));
}
