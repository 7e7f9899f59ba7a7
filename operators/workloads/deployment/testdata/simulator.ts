import type { Deployment, Pod, ReplicaSet } from "../../../api/index.ts";
import type { DeploymentAction, DeploymentPlan } from "../actions.ts";
import type { PlannedEvent } from "../events.ts";
import { planDeployment } from "../plan.ts";
import { T0 } from "./fixtures.ts";

// A small world for driving the planner through whole rollouts: the
// Deployment controller is the planner with its actions applied, and the
// ReplicaSet controller is modelled as creating and deleting pods to match
// spec.replicas at once (unavailable pods deleted first, as upstream's rank
// order does), reporting them in status when it runs. Which pods become
// available when, and whether a ReplicaSet controller runs in a step (a
// skipped one leaves its status stale), is up to the caller.

export interface SimPod {
  name: string;
  available: boolean;
}

interface SimReplicaSet {
  rs: ReplicaSet;
  pods: SimPod[];
}

/** A deterministic PRNG (mulberry32): fast-check picks the seed, so failures replay. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Cluster {
  d: Deployment;
  private readonly replicaSets = new Map<string, SimReplicaSet>();
  private seconds = 0;
  private serial = 0;
  readonly events: PlannedEvent[] = [];
  lastPlan: DeploymentPlan | undefined;

  constructor(d: Deployment) {
    this.d = structuredClone(d);
  }

  get now(): Date {
    return new Date(T0.getTime() + this.seconds * 1000);
  }

  get rsList(): ReplicaSet[] {
    return [...this.replicaSets.values()].map((s) => s.rs);
  }

  replicaSet(name: string): ReplicaSet | undefined {
    return this.replicaSets.get(name)?.rs;
  }

  /** The pods, as the planner sees them: running, controlled by their ReplicaSet. */
  get pods(): Pod[] {
    return [...this.replicaSets.values()].flatMap(({ rs, pods }) =>
      pods.map((p) => ({ metadata: { name: p.name, ownerReferences: [{ apiVersion: rs.apiVersion, kind: "ReplicaSet", name: rs.metadata.name ?? "", uid: rs.metadata.uid ?? "", controller: true }] }, status: { phase: "Running" } }) as unknown as Pod),
    );
  }

  podsOf(name: string): SimPod[] {
    return this.replicaSets.get(name)?.pods ?? [];
  }

  get availablePods(): number {
    return [...this.replicaSets.values()].reduce((n, s) => n + s.pods.filter((p) => p.available).length, 0);
  }

  /** Changes the Deployment's spec as a user would (the API server bumps generation). */
  updateSpec(change: (spec: Deployment["spec"]) => Deployment["spec"]): void {
    this.d = { ...this.d, spec: change(structuredClone(this.d.spec)), metadata: { ...this.d.metadata, generation: (this.d.metadata.generation ?? 0) + 1 } };
  }

  /** A new template: the containers' image changed. */
  setImage(image: string): void {
    this.updateSpec((spec) => ({ ...spec, template: { ...spec.template, spec: { ...spec.template.spec, containers: spec.template.spec.containers.map((c) => ({ ...c, image })) } } }));
  }

  setAnnotation(key: string, value: string): void {
    this.d = { ...this.d, metadata: { ...this.d.metadata, annotations: { ...this.d.metadata.annotations, [key]: value } } };
  }

  /** One Deployment reconcile, a second after the last one. */
  reconcileDeployment(): DeploymentPlan {
    this.seconds++;
    const plan = planDeployment(this.d, this.rsList, this.pods, this.now);
    for (const action of plan.actions) this.apply(action);
    if (plan.statusChanged) this.d = { ...this.d, status: plan.status };
    this.events.push(...plan.events);
    this.lastPlan = plan;
    return plan;
  }

  private apply(a: DeploymentAction): void {
    switch (a.type) {
      case "createReplicaSet": {
        const name = a.replicaSet.metadata.name ?? "";
        if (this.replicaSets.has(name)) throw new Error(`replica set ${name} exists`);
        const rs: ReplicaSet = {
          ...structuredClone(a.replicaSet),
          metadata: { ...structuredClone(a.replicaSet.metadata), uid: `uid-${name}`, resourceVersion: this.rv(), generation: 1, creationTimestamp: this.now.toISOString().replace(".000Z", "Z") },
          status: { replicas: 0 },
        };
        this.replicaSets.set(name, { rs, pods: [] });
        break;
      }
      case "scaleReplicaSet":
        this.updateRS(a.target.name, (rs) => ({ ...rs, metadata: { ...rs.metadata, annotations: { ...rs.metadata.annotations, ...a.annotations } }, spec: { ...rs.spec, replicas: a.to } }));
        break;
      case "updateReplicaSetAnnotations":
        this.updateRS(a.target.name, (rs) => ({
          ...rs,
          metadata: { ...rs.metadata, annotations: { ...rs.metadata.annotations, ...a.annotations } },
          spec: a.minReadySeconds === undefined ? rs.spec : { ...rs.spec, minReadySeconds: a.minReadySeconds },
        }));
        break;
      case "deleteReplicaSet":
        this.replicaSets.delete(a.target.name);
        break;
      case "setDeploymentRevision":
        this.setAnnotation("deployment.kubernetes.io/revision", a.revision);
        break;
      case "updateDeployment":
        this.d = { ...this.d, metadata: { ...this.d.metadata, annotations: a.annotations } };
        if (a.template) {
          const template = a.template;
          this.updateSpec((spec) => ({ ...spec, template }));
        }
        this.events.push(...a.events);
        return;
    }
    if ("events" in a) this.events.push(...a.events);
  }

  private rv(): string {
    return String(++this.serial);
  }

  private updateRS(name: string, change: (rs: ReplicaSet) => ReplicaSet): void {
    const s = this.replicaSets.get(name);
    if (!s) throw new Error(`no replica set ${name}`);
    const next = change(s.rs);
    const generation = (s.rs.metadata.generation ?? 1) + (next.spec === s.rs.spec ? 0 : 1);
    s.rs = { ...next, metadata: { ...next.metadata, resourceVersion: this.rv(), generation } };
  }

  /** The ReplicaSet controller for one ReplicaSet: pods to spec.replicas (unavailable ones deleted first), then status. */
  runReplicaSet(name: string): void {
    const s = this.replicaSets.get(name);
    if (!s) return;
    const want = s.rs.spec.replicas;
    while (s.pods.length < want) s.pods.push({ name: `${name}-${this.serial++}`, available: false });
    if (s.pods.length > want) {
      const ranked = [...s.pods.filter((p) => !p.available), ...s.pods.filter((p) => p.available).reverse()];
      const doomed = new Set(ranked.slice(0, s.pods.length - want));
      s.pods = s.pods.filter((p) => !doomed.has(p));
    }
    const available = s.pods.filter((p) => p.available).length;
    s.rs = { ...s.rs, status: { replicas: s.pods.length, readyReplicas: available, availableReplicas: available, observedGeneration: s.rs.metadata.generation ?? 1 } };
  }

  runReplicaSets(runs: (name: string) => boolean = () => true): void {
    for (const name of [...this.replicaSets.keys()]) if (runs(name)) this.runReplicaSet(name);
  }

  /** Makes pods available: each unavailable one with probability p. */
  makeAvailable(random: () => number, p: number): void {
    for (const s of this.replicaSets.values()) for (const pod of s.pods) if (!pod.available && random() < p) pod.available = true;
  }

  /** The rollout is done: the new ReplicaSet runs every replica, available, and no old one runs anything. */
  rolloutComplete(): boolean {
    const status = this.d.status;
    const replicas = this.d.spec.replicas;
    return (
      status?.observedGeneration === this.d.metadata.generation &&
      status?.updatedReplicas === replicas &&
      status.replicas === replicas &&
      status.availableReplicas === replicas &&
      this.rsList.filter((rs) => rs.spec.replicas > 0).length <= 1 &&
      this.availablePods === replicas
    );
  }
}
