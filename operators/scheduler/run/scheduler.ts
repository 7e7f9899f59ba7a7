import type { Pod } from "../../api/index.ts";
import { isNotFound, type ResourceClient } from "../../runtime/client/index.ts";
import type { EventRecorder } from "../../runtime/events/recorder.ts";
import { log } from "../../runtime/logging.ts";
import type { Runnable } from "../../runtime/manager/manager.ts";
import type { ReadonlyStore } from "../../runtime/informer/store.ts";
import type { SchedulerCache } from "../cache/cache.ts";
import type { Profile } from "../framework/profile.ts";
import { schedulePod, SchedulingError } from "../framework/schedule-one.ts";
import type { QueuedPodInfo, SchedulingQueue } from "../queue/scheduling-queue.ts";
import { bind, reportUnschedulable } from "./binder.ts";
import { needsScheduling } from "./cache-feed.ts";
import { pendingPods, scheduleAttempts, schedulingAttemptDuration } from "./metrics.ts";

/** What must be written before a pod is bound (upstream Reserve/PreBind/Unreserve; VolumeBinding's). */
export interface PreBinder {
  /** In the scheduling loop, right after the decision: assume what PreBind will write. Throwing fails the attempt. */
  reserve(pod: Pod, node: string): Reservation | undefined;
}

export interface Reservation {
  /** In the background, before the bind; a rejection unreserves and schedules the pod again. */
  preBind(signal?: AbortSignal): Promise<void>;
  unreserve(): void;
}

export interface SchedulerDeps {
  cache: SchedulerCache;
  queue: SchedulingQueue;
  profile: Profile;
  pods: ResourceClient<Pod>;
  mirrorPods: ReadonlyStore<Pod>;
  recorder: EventRecorder;
  profileName?: string;
  preBinder?: PreBinder;
  /** Binds (and failure reports) written at once; the loop waits for a free slot before it pops. */
  maxBindsInFlight?: number;
}

/**
 * A mirror bind is two writes (spec.nodeName, then PodScheduled through the
 * status subresource). Unbounded, a backlog's first writes would all queue
 * for the client's rate limit ahead of every second write: at 50 QPS, 5000
 * pods got their nodeName over 100 s before the first got PodScheduled.
 * Bounded, each pod's second write follows its first within a few requests,
 * and a shutdown waits for at most this many.
 */
const MAX_BINDS_IN_FLIGHT = 16;

/**
 * kube-scheduler's scheduleOne loop for mirror Pods: pop, run one cycle on
 * a snapshot, assume the decision in the cache at once (so the next cycle
 * sees it), and bind in the background; failures go back to the queue.
 */
export class MirrorScheduler implements Runnable {
  readonly name = "scheduler";
  readonly needLeaderElection = true;
  private startIndex = 0;
  private readonly binds = new Set<Promise<void>>();
  private readonly profileName: string;
  private readonly maxBindsInFlight: number;
  private signal: AbortSignal | undefined;

  constructor(private readonly deps: SchedulerDeps) {
    this.profileName = deps.profileName ?? "mirrorkube-scheduler";
    this.maxBindsInFlight = Math.max(1, deps.maxBindsInFlight ?? MAX_BINDS_IN_FLIGHT);
  }

  async start(signal: AbortSignal): Promise<void> {
    const { queue } = this.deps;
    this.signal = signal;
    signal.addEventListener("abort", () => queue.close(), { once: true });
    const gauges = setInterval(() => this.reportQueue(), 1000);
    try {
      for (;;) {
        while (this.binds.size >= this.maxBindsInFlight) await Promise.race(this.binds);
        const info = await queue.pop();
        if (!info) break;
        await this.scheduleOne(info);
      }
      await Promise.all(this.binds);
    } finally {
      clearInterval(gauges);
    }
  }

  private async scheduleOne(info: QueuedPodInfo): Promise<void> {
    const { cache, queue, profile, mirrorPods } = this.deps;
    const pod = mirrorPods.get(info.key);
    // The cache moved on (deleted, bound by someone else, our bind in flight): nothing to do.
    if (!pod || !needsScheduling(pod) || cache.isAssumed(pod)) {
      queue.done(info.key);
      return;
    }
    const started = performance.now();
    let result;
    try {
      result = schedulePod(pod, cache.snapshot(), profile, Math.random, { startIndex: this.startIndex });
    } catch (err) {
      this.observe("error", started);
      log.error({ err, pod: info.key }, "scheduling cycle failed");
      queue.requeueUnschedulable(info);
      return;
    }
    this.startIndex += result.processedNodes;
    if (!result.ok) {
      this.observe("unschedulable", started);
      queue.requeueUnschedulable(info, result.failure.diagnosis.unschedulablePlugins);
      this.background(reportUnschedulable(this.deps.pods, this.deps.recorder, pod, result.failure.message), info.key);
      return;
    }
    cache.assume(pod, result.node);
    let reservation: Reservation | undefined;
    try {
      reservation = this.deps.preBinder?.reserve(pod, result.node);
    } catch (err) {
      cache.forget(pod);
      this.observe("error", started);
      log.warn({ err, pod: info.key, node: result.node }, "reserve failed; retrying");
      queue.requeueUnschedulable(info);
      return;
    }
    queue.done(info.key);
    const signal = this.signal;
    this.background(
      (reservation ? reservation.preBind(signal) : Promise.resolve()).then(() => bind(this.deps.pods, this.deps.recorder, pod, result.node)).then(
        () => {
          cache.finishBinding(pod);
          this.observe("scheduled", started);
        },
        (err: unknown) => {
          reservation?.unreserve();
          cache.forget(pod);
          this.observe("error", started);
          // A vanished pod needs nothing; anything else goes round again with backoff.
          if (!isNotFound(err)) {
            log.warn({ err, pod: info.key, node: result.node }, "binding failed; retrying");
            queue.add(mirrorPods.get(info.key) ?? pod);
          }
        },
      ),
      info.key,
    );
  }

  private background(work: Promise<void>, key: string): void {
    const tracked = work.catch((err: unknown) => {
      if (!(err instanceof SchedulingError) && !isNotFound(err)) log.warn({ err, pod: key }, "could not record the scheduling result");
    });
    this.binds.add(tracked);
    void tracked.finally(() => this.binds.delete(tracked));
  }

  private observe(result: "scheduled" | "unschedulable" | "error", started: number): void {
    const labels = { result, profile: this.profileName };
    scheduleAttempts.inc(labels);
    schedulingAttemptDuration.observe(labels, (performance.now() - started) / 1000);
  }

  private reportQueue(): void {
    const c = this.deps.queue.contents();
    pendingPods.set({ queue: "active" }, c.active.length);
    pendingPods.set({ queue: "backoff" }, c.backoff.length);
    pendingPods.set({ queue: "unschedulable" }, c.unschedulable.length);
    pendingPods.set({ queue: "gated" }, c.gated.length);
  }
}
