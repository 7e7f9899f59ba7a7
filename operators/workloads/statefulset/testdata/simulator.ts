// A small world for the property tests: a StatefulSet's pods as the planner
// sees them, its plans applied as the API server and the pod control would,
// and a clock and a kubelet that make pods ready, fail and go away, each
// step, as random draws decide.
import type { Pod, StatefulSet } from "../../../api/index.ts";
import type { PodAction, StatefulSetPlan } from "../actions.ts";
import { planStatefulSet } from "../stateful-set-control.ts";
import type { RevisionRef } from "../stateful-set-control.ts";
import { getOrdinal, isUnavailable, ordinalInRange, startOrdinal } from "../stateful-set-utils.ts";
import { member } from "../testing.ts";

export { prng } from "../../deployment/testdata/simulator.ts";

export interface Behaviour {
  /** Chance per step that a Pending pod starts Running and Ready. */
  start: number;
  /** Chance per step that a terminating pod is gone. */
  vanish: number;
  /** Chance per step that a ready pod turns unready (0 for an orderly world). */
  unready: number;
  /** Chance per step that an unready pod becomes ready again. */
  recover: number;
}

export class World {
  readonly pods = new Map<string, Pod>();
  /** Seconds since the epoch of the simulation. */
  clock = 1_000_000;
  private uid = 0;
  private pending: Pod | undefined;

  constructor(
    public set: StatefulSet,
    public current: RevisionRef,
    public update: RevisionRef,
  ) {}

  now(): Date {
    return new Date(this.clock * 1000);
  }

  private time(): string {
    return this.now().toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  plan(): StatefulSetPlan {
    return planStatefulSet({ set: this.set, currentRevision: this.current, updateRevision: this.update, pods: [...this.pods.values()], claim: () => undefined, now: this.now() });
  }

  /** Performs every action of the plan (none fails). */
  apply(plan: StatefulSetPlan): void {
    for (const action of plan.phases.flat().flatMap((s) => s.actions)) this.perform(action);
  }

  private perform(action: PodAction): void {
    if (action.type === "createPod") {
      const name = action.pod.metadata?.name ?? "";
      const revision = action.pod.metadata?.labels?.["controller-revision-hash"] ?? "";
      // Parsing is slow, and every pod is the same but for its name: parse one, copy it.
      this.pending ??= member(0, { phase: "Pending", readySince: undefined });
      const ordinal = String(getOrdinal({ metadata: { name } } as Pod));
      const labels = { ...this.pending.metadata.labels, "statefulset.kubernetes.io/pod-name": name, "apps.kubernetes.io/pod-index": ordinal, "controller-revision-hash": revision };
      this.pods.set(name, { ...this.pending, metadata: { ...this.pending.metadata, name, uid: `uid-${++this.uid}`, labels } });
    }
    if (action.type === "deletePod") {
      const pod = this.pods.get(action.pod.metadata.name ?? "");
      if (pod && !pod.metadata.deletionTimestamp) this.pods.set(pod.metadata.name ?? "", { ...pod, metadata: { ...pod.metadata, deletionTimestamp: this.time() } });
    }
  }

  /** One second passes; the kubelet moves pods along: starts them Ready, turns them unready and back, removes the terminating. */
  tick(random: () => number, b: Behaviour): void {
    this.clock++;
    for (const [name, pod] of this.pods) {
      if (pod.metadata.deletionTimestamp) {
        if (random() < b.vanish) this.pods.delete(name);
        continue;
      }
      const ready = pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
      const chance = pod.status.phase === "Pending" ? b.start : ready ? b.unready : b.recover;
      if (random() >= chance) continue;
      this.pods.set(name, { ...pod, status: { ...pod.status, phase: "Running", conditions: [{ type: "Ready", status: ready ? "False" : "True", lastTransitionTime: this.time() }] } });
    }
  }

  /** The replicas in range that are missing, unready, not yet available or terminating. */
  unavailable(): number {
    const minReadySeconds = this.set.spec.minReadySeconds ?? 0;
    let n = 0;
    for (let ordinal = startOrdinal(this.set); ordinalInRange(this.set, ordinal); ordinal++) {
      if (isUnavailable(this.pods.get(`web-${ordinal}`), minReadySeconds, this.now())) n++;
    }
    return n;
  }
}
