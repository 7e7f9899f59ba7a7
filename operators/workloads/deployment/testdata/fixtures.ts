import type { Deployment, DeploymentInput, Pod, PodPhase, ReplicaSet } from "../../../api/index.ts";
import { kinds, mustParse } from "../../../api/index.ts";
import { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, REVISION_ANNOTATION } from "../util/constants.ts";
import { computeHash } from "../util/hash.ts";
import { newReplicaSetFor } from "../util/new-replica-set.ts";

// Builders for unit tests: objects as the informer cache would hold them,
// parsed through the API schema so upstream's defaults are in place.

export const T0 = new Date("2024-05-01T10:00:00Z");

export function at(seconds: number): Date {
  return new Date(T0.getTime() + seconds * 1000);
}

export function iso(seconds: number): string {
  return at(seconds).toISOString().replace(".000Z", "Z");
}

export interface DeploymentOptions {
  name?: string;
  replicas?: number;
  image?: string;
  strategy?: NonNullable<DeploymentInput["spec"]["strategy"]>;
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  generation?: number;
  annotations?: Record<string, string>;
  paused?: boolean;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  minReadySeconds?: number;
  status?: Deployment["status"];
}

export function deployment(o: DeploymentOptions = {}): Deployment {
  const strategy =
    o.strategy ??
    (o.maxSurge !== undefined || o.maxUnavailable !== undefined
      ? { type: "RollingUpdate" as const, rollingUpdate: { maxSurge: o.maxSurge ?? "25%", maxUnavailable: o.maxUnavailable ?? "25%" } }
      : undefined);
  const name = o.name ?? "web";
  return mustParse(kinds.Deployment, {
    metadata: {
      name,
      namespace: "ns",
      uid: `uid-${name}`,
      resourceVersion: "100",
      generation: o.generation ?? 1,
      creationTimestamp: iso(0),
      ...(o.annotations && { annotations: o.annotations }),
    },
    spec: {
      replicas: o.replicas ?? 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image: o.image ?? "app:v1" }] } },
      ...(strategy && { strategy }),
      ...(o.paused !== undefined && { paused: o.paused }),
      ...(o.revisionHistoryLimit !== undefined && { revisionHistoryLimit: o.revisionHistoryLimit }),
      ...(o.progressDeadlineSeconds !== undefined && { progressDeadlineSeconds: o.progressDeadlineSeconds }),
      ...(o.minReadySeconds !== undefined && { minReadySeconds: o.minReadySeconds }),
    },
    ...(o.status && { status: o.status }),
  });
}

export interface ReplicaSetOptions {
  replicas?: number;
  /** status.replicas; defaults to replicas. */
  current?: number;
  available?: number;
  ready?: number;
  revision?: number;
  /** Seconds after T0. */
  created?: number;
  /** desired-replicas / max-replicas annotations; default from the Deployment. */
  desired?: number;
  max?: number;
  annotations?: Record<string, string>;
  generation?: number;
  observedGeneration?: number;
}

/** The ReplicaSet `d` would have stamped for its template, as observed with the given counts. */
export function replicaSetFor(d: Deployment, o: ReplicaSetOptions = {}): ReplicaSet {
  const hash = computeHash(d.spec.template);
  const base = newReplicaSetFor(d, hash);
  const replicas = o.replicas ?? 0;
  const annotations: Record<string, string> = { ...o.annotations };
  if (o.revision !== undefined) annotations[REVISION_ANNOTATION] = String(o.revision);
  annotations[DESIRED_REPLICAS_ANNOTATION] = String(o.desired ?? d.spec.replicas);
  if (o.max !== undefined) annotations[MAX_REPLICAS_ANNOTATION] = String(o.max);
  return {
    ...base,
    metadata: {
      ...base.metadata,
      uid: `uid-${base.metadata.name}`,
      resourceVersion: "10",
      generation: o.generation ?? 1,
      creationTimestamp: iso(o.created ?? 0),
      annotations,
    },
    spec: { ...base.spec, replicas },
    status: {
      replicas: o.current ?? replicas,
      readyReplicas: o.ready ?? o.available ?? 0,
      availableReplicas: o.available ?? 0,
      observedGeneration: o.observedGeneration ?? o.generation ?? 1,
    },
  };
}

/** A pod controlled by `rs`. */
export function podOf(rs: ReplicaSet, name: string, phase: PodPhase): Pod {
  return mustParse(kinds.Pod, {
    metadata: {
      name,
      namespace: "ns",
      labels: rs.spec.template.metadata?.labels,
      ownerReferences: [{ apiVersion: rs.apiVersion, kind: "ReplicaSet", name: rs.metadata.name, uid: rs.metadata.uid, controller: true }],
    },
    spec: rs.spec.template.spec,
    status: { phase },
  });
}
