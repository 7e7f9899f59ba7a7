// The scheduling queue (upstream pkg/scheduler/backend/queue
// scheduling_queue.go PriorityQueue), for unbound mirror Pods:
//  - activeQ: ready to schedule, highest spec.priority first, then the
//    earliest enqueued;
//  - backoffQ: failed recently; waits 1 s doubling per attempt up to 10 s;
//  - unschedulable: parked until a cluster event that one of the plugins
//    that rejected it cares about (a node added, a bound pod deleted...),
//    or until it has waited 5 minutes (flushed every 30 s);
//  - gated: pods with schedulingGates, until the gates are removed.
// A pod is in at most one of these or in flight (popped, being scheduled).
// Time comes from an injected Clock; nothing here sleeps.
import type { Clock } from "../../runtime/queue/index.ts";
import { realClock } from "../../runtime/queue/index.ts";
import type { ClusterEvent, ClusterEventRegistration } from "../framework/events.ts";
import {
  AssignedPodAdd,
  AssignedPodDelete,
  assignedPodUpdateEvent,
  eventMatches,
  NodeAdd,
  NodeDelete,
  nodeUpdateEvent,
  UnschedulableTimeout,
} from "../framework/events.ts";
import type { NodeLike, PodLike } from "../framework/objects.ts";
import { podKey } from "../framework/objects.ts";
import { newProfile } from "../framework/profile.ts";
import { KeyedHeap } from "./heap.ts";

export interface QueuedPodInfo {
  readonly key: string;
  /** The latest version of the pod. */
  pod: PodLike;
  /** When it last entered a queue (clock ms): orders equal priorities and starts the backoff. */
  timestamp: number;
  readonly initialAttemptTimestamp: number;
  /** Scheduling attempts, counted at pop. */
  attempts: number;
  /** The scheduling cycle it was popped in. */
  cycle: number;
  /** The plugins that rejected it last time. */
  unschedulablePlugins: ReadonlySet<string>;
  /** Insertion order, the last tie-breaker, so the order is total and tests are deterministic. */
  readonly seq: number;
}

export interface SchedulingQueueOptions {
  clock?: Clock;
  /** Upstream podInitialBackoffDuration: 1 s. */
  initialBackoffMs?: number;
  /** Upstream podMaxBackoffDuration: 10 s. */
  maxBackoffMs?: number;
  /** Upstream podMaxInUnschedulablePodsDuration: 5 min. */
  maxInUnschedulableMs?: number;
  /** How often parked pods are checked against maxInUnschedulableMs: 30 s. */
  unschedulableFlushIntervalMs?: number;
  /** The cluster events each plugin registered; defaults to those of the default profile's plugins. */
  pluginEvents?: ReadonlyMap<string, readonly ClusterEventRegistration[]>;
}

/** Lists of pod keys per sub-queue, for tests and debugging. */
export interface QueueContents {
  readonly active: string[];
  readonly backoff: string[];
  readonly unschedulable: string[];
  readonly gated: string[];
  readonly inFlight: string[];
}

interface InFlight {
  info: QueuedPodInfo;
  deleted: boolean;
  updated: boolean;
}

function priority(pod: PodLike): number {
  return pod.spec?.priority ?? 0;
}

function isGated(pod: PodLike): boolean {
  return (pod.spec?.schedulingGates?.length ?? 0) > 0;
}

/** Whether an update can change a scheduling decision (upstream isPodUpdated: not just status or bookkeeping). */
export function isPodUpdated(oldPod: PodLike, newPod: PodLike): boolean {
  const strip = (p: PodLike) => {
    const { resourceVersion: _rv, generation: _g, managedFields: _mf, ...metadata } = (p.metadata ?? {}) as Record<string, unknown>;
    return JSON.stringify({ metadata, spec: p.spec ?? null });
  };
  return strip(oldPod) !== strip(newPod);
}

export function defaultPluginEvents(): Map<string, readonly ClusterEventRegistration[]> {
  return new Map(newProfile({ imageLocality: true }).plugins.map((p) => [p.name, p.events ?? []]));
}

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly maxInUnschedulable: number;
  private readonly flushInterval: number;
  private readonly pluginEvents: ReadonlyMap<string, readonly ClusterEventRegistration[]>;

  private readonly active = new KeyedHeap<QueuedPodInfo>(
    (p) => p.key,
    (a, b) => {
      const pa = priority(a.pod);
      const pb = priority(b.pod);
      if (pa !== pb) return pa > pb;
      return a.timestamp !== b.timestamp ? a.timestamp < b.timestamp : a.seq < b.seq;
    },
  );
  private readonly backoff = new KeyedHeap<QueuedPodInfo>(
    (p) => p.key,
    (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b) || (this.backoffExpiry(a) === this.backoffExpiry(b) && a.seq < b.seq),
  );
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly gated = new Map<string, QueuedPodInfo>();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly waiters: ((info: QueuedPodInfo | undefined) => void)[] = [];

  private seq = 0;
  private cycle = 0;
  // The last cycle in which a cluster event arrived: a pod that failed in an
  // earlier-or-equal cycle may have missed it, so it must not be parked.
  private moveRequestCycle = -1;
  private closed = false;
  private cancelBackoffTimer: (() => void) | undefined;
  private backoffTimerAt = Infinity;
  private cancelFlushTimer: (() => void) | undefined;

  constructor(options: SchedulingQueueOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.initialBackoff = options.initialBackoffMs ?? 1_000;
    this.maxBackoff = options.maxBackoffMs ?? 10_000;
    this.maxInUnschedulable = options.maxInUnschedulableMs ?? 5 * 60_000;
    this.flushInterval = options.unschedulableFlushIntervalMs ?? 30_000;
    this.pluginEvents = options.pluginEvents ?? defaultPluginEvents();
  }

  // --- Pods to schedule ---

  /** A new unbound pod. A pod already known is treated as an update. */
  add(pod: PodLike): void {
    if (this.closed) return;
    const key = podKey(pod);
    if (this.knows(key)) return this.update(pod);
    const now = this.clock.now();
    const info: QueuedPodInfo = {
      key,
      pod,
      timestamp: now,
      initialAttemptTimestamp: now,
      attempts: 0,
      cycle: 0,
      unschedulablePlugins: new Set(),
      seq: this.seq++,
    };
    if (isGated(pod)) this.gated.set(key, info);
    else this.pushActive(info);
  }

  /** A new version of a pod the queue may hold (upstream Update). */
  update(pod: PodLike): void {
    if (this.closed) return;
    const key = podKey(pod);
    const flying = this.inFlight.get(key);
    if (flying) {
      // Decided after the cycle: an update during it means the verdict may be stale.
      // A pod deleted and created again meanwhile is wanted again.
      flying.updated ||= flying.deleted || isPodUpdated(flying.info.pod, pod);
      flying.deleted = false;
      flying.info.pod = pod;
      return;
    }
    const gated = this.gated.get(key);
    if (gated) {
      gated.pod = pod;
      if (!isGated(pod)) {
        this.gated.delete(key);
        this.pushActive(gated);
      }
      return;
    }
    const queued = this.active.get(key) ?? this.backoff.get(key);
    if (queued) {
      queued.pod = pod;
      if (this.active.has(key)) this.active.push(queued);
      return;
    }
    const parked = this.unschedulable.get(key);
    if (parked) {
      const changed = isPodUpdated(parked.pod, pod);
      parked.pod = pod;
      if (changed) {
        this.unschedulable.delete(key);
        this.requeue(parked);
      }
      return;
    }
    this.add(pod);
  }

  /** The pod is gone, or bound by someone else: it leaves the queue. */
  delete(pod: PodLike | string): void {
    const key = typeof pod === "string" ? pod : podKey(pod);
    this.active.delete(key);
    if (this.backoff.delete(key)) this.armBackoffTimer();
    this.unschedulable.delete(key);
    this.gated.delete(key);
    const flying = this.inFlight.get(key);
    if (flying) flying.deleted = true;
    this.armFlushTimer();
  }

  /**
   * The next pod to schedule; waits while activeQ is empty. Resolves
   * undefined once closed. The pod is in flight until done() or requeueUnschedulable().
   */
  pop(): Promise<QueuedPodInfo | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const next = this.active.pop();
    if (next) return Promise.resolve(this.handOut(next));
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The cycle of this pod ended with a binding (or the pod needs no more scheduling). */
  done(pod: PodLike | string): void {
    this.inFlight.delete(typeof pod === "string" ? pod : podKey(pod));
  }

  /**
   * The cycle found no node (upstream AddUnschedulableIfNotPresent). The
   * pod is parked until an event one of `unschedulablePlugins` registered,
   * unless such an event already came during its cycle, the pod changed
   * meanwhile, or nothing identified the cause (an error): then it only
   * backs off.
   */
  requeueUnschedulable(info: QueuedPodInfo, unschedulablePlugins: ReadonlySet<string> = new Set()): void {
    const flying = this.inFlight.get(info.key);
    this.inFlight.delete(info.key);
    if (this.closed || !flying || flying.deleted || this.knows(info.key)) return;
    info.pod = flying.info.pod;
    info.timestamp = this.clock.now();
    info.unschedulablePlugins = unschedulablePlugins;
    if (isGated(info.pod)) {
      this.gated.set(info.key, info);
    } else if (flying.updated || this.moveRequestCycle >= info.cycle || unschedulablePlugins.size === 0) {
      this.pushBackoff(info);
    } else {
      this.unschedulable.set(info.key, info);
      this.armFlushTimer();
    }
  }

  // --- Cluster events ---

  /**
   * Moves parked pods that `event` may help to backoffQ (still backing off)
   * or activeQ (upstream MoveAllToActiveOrBackoffQueue). `preCheck` can
   * veto a pod (e.g. the new node is far too small for it).
   */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, preCheck?: (pod: PodLike) => boolean): void {
    this.moveRequestCycle = this.cycle;
    for (const [key, info] of this.unschedulable) {
      if (!this.interested(info.unschedulablePlugins, event) || (preCheck && !preCheck(info.pod))) continue;
      this.unschedulable.delete(key);
      this.requeue(info);
    }
    this.armFlushTimer();
  }

  nodeAdded(_node: NodeLike): void {
    this.moveAllToActiveOrBackoffQueue(NodeAdd);
  }

  nodeUpdated(oldNode: NodeLike, newNode: NodeLike): void {
    const event = nodeUpdateEvent(oldNode, newNode);
    if (event) this.moveAllToActiveOrBackoffQueue(event);
  }

  nodeDeleted(_node: NodeLike): void {
    this.moveAllToActiveOrBackoffQueue(NodeDelete);
  }

  /** A pod was bound to a node (by us or anyone), or a bound pod appeared. */
  assignedPodAdded(_pod: PodLike): void {
    this.moveAllToActiveOrBackoffQueue(AssignedPodAdd);
  }

  assignedPodUpdated(oldPod: PodLike, newPod: PodLike): void {
    const event = assignedPodUpdateEvent(oldPod, newPod);
    if (event) this.moveAllToActiveOrBackoffQueue(event);
  }

  assignedPodDeleted(_pod: PodLike): void {
    this.moveAllToActiveOrBackoffQueue(AssignedPodDelete);
  }

  // --- Time ---

  /** Backoff-expired pods to activeQ (upstream flushBackoffQCompleted); timers call it too. */
  flushBackoffCompleted(): void {
    const now = this.clock.now();
    for (let head = this.backoff.peek(); head && this.backoffExpiry(head) <= now; head = this.backoff.peek()) {
      this.backoff.pop();
      this.pushActive(head);
    }
    this.armBackoffTimer();
  }

  /** Pods parked longer than maxInUnschedulableMs get another try (upstream flushUnschedulablePodsLeftover). */
  flushUnschedulableLeftover(): void {
    const now = this.clock.now();
    for (const [key, info] of this.unschedulable) {
      if (now - info.timestamp <= this.maxInUnschedulable) continue;
      if (!this.interested(info.unschedulablePlugins, UnschedulableTimeout)) continue;
      this.unschedulable.delete(key);
      this.requeue(info);
    }
  }

  /** How long a pod waits after its n-th failed attempt: 1 s, 2 s, 4 s, 8 s, then 10 s. */
  backoffDuration(attempts: number): number {
    if (attempts <= 0) return 0;
    let d = this.initialBackoff;
    for (let i = 1; i < attempts; i++) {
      if (d > this.maxBackoff - d) return this.maxBackoff;
      d += d;
    }
    return Math.min(d, this.maxBackoff);
  }

  // --- Lifecycle and inspection ---

  /** Stops timers; pending and future pop() calls resolve undefined. */
  close(): void {
    this.closed = true;
    this.cancelBackoffTimer?.();
    this.cancelFlushTimer?.();
    this.cancelBackoffTimer = this.cancelFlushTimer = undefined;
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  schedulingCycle(): number {
    return this.cycle;
  }

  contents(): QueueContents {
    const keys = (items: Iterable<QueuedPodInfo>) => [...items].map((i) => i.key).sort();
    return {
      active: keys(this.active.values()),
      backoff: keys(this.backoff.values()),
      unschedulable: keys(this.unschedulable.values()),
      gated: keys(this.gated.values()),
      inFlight: [...this.inFlight.keys()].sort(),
    };
  }

  /** Pods waiting in any sub-queue (not in flight). */
  get length(): number {
    return this.active.size + this.backoff.size + this.unschedulable.size + this.gated.size;
  }

  // --- Internals ---

  private knows(key: string): boolean {
    return this.active.has(key) || this.backoff.has(key) || this.unschedulable.has(key) || this.gated.has(key) || this.inFlight.has(key);
  }

  private interested(plugins: ReadonlySet<string>, event: ClusterEvent): boolean {
    if (event === UnschedulableTimeout || plugins.size === 0) return true;
    for (const plugin of plugins) {
      const registrations = this.pluginEvents.get(plugin);
      // A plugin that registered nothing we know of may care about anything.
      if (!registrations || registrations.some((r) => eventMatches(r, event))) return true;
    }
    return false;
  }

  private backoffExpiry(info: QueuedPodInfo): number {
    return info.timestamp + this.backoffDuration(info.attempts);
  }

  private requeue(info: QueuedPodInfo): void {
    if (this.backoffExpiry(info) > this.clock.now()) this.pushBackoff(info);
    else this.pushActive(info);
  }

  private pushActive(info: QueuedPodInfo): void {
    this.active.push(info);
    const waiter = this.waiters.shift();
    if (!waiter) return;
    const next = this.active.pop();
    if (next) waiter(this.handOut(next));
  }

  private pushBackoff(info: QueuedPodInfo): void {
    this.backoff.push(info);
    this.armBackoffTimer();
  }

  private handOut(info: QueuedPodInfo): QueuedPodInfo {
    info.attempts++;
    info.cycle = ++this.cycle;
    this.inFlight.set(info.key, { info, deleted: false, updated: false });
    return info;
  }

  /** One timer, set for the earliest backoff expiry. */
  private armBackoffTimer(): void {
    const head = this.backoff.peek();
    const at = head ? this.backoffExpiry(head) : Infinity;
    if (this.closed || at === this.backoffTimerAt) return;
    this.cancelBackoffTimer?.();
    this.cancelBackoffTimer = undefined;
    this.backoffTimerAt = at;
    if (at === Infinity) return;
    this.cancelBackoffTimer = this.clock.setTimer(at - this.clock.now(), () => {
      this.cancelBackoffTimer = undefined;
      this.backoffTimerAt = Infinity;
      this.flushBackoffCompleted();
    });
  }

  /** A periodic flush while pods are parked, none while none are. */
  private armFlushTimer(): void {
    if (this.closed) return;
    if (this.unschedulable.size === 0) {
      this.cancelFlushTimer?.();
      this.cancelFlushTimer = undefined;
      return;
    }
    if (this.cancelFlushTimer) return;
    this.cancelFlushTimer = this.clock.setTimer(this.flushInterval, () => {
      this.cancelFlushTimer = undefined;
      this.flushUnschedulableLeftover();
      this.armFlushTimer();
    });
  }
}
