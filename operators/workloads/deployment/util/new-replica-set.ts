import type { Deployment, LabelSelector, ReplicaSet } from "../../../api/index.ts";
import { kinds } from "../../../api/index.ts";
import { newControllerRef } from "../../common/index.ts";
import { POD_TEMPLATE_HASH_LABEL } from "./constants.ts";

function selectorWithHash(selector: LabelSelector, hash: string): LabelSelector {
  return { ...structuredClone(selector), matchLabels: { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash } };
}

/**
 * The ReplicaSet a Deployment stamps for its current template, at 0
 * replicas and without annotations (the caller sizes and annotates it).
 * The name is deterministic, so a retry after a lost response finds the one
 * it created instead of making another; the hash label in its labels,
 * selector and template keeps its pods apart from every other revision's.
 */
export function newReplicaSetFor(d: Deployment, hash: string): ReplicaSet {
  const template = structuredClone(d.spec.template);
  const labels = { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
  template.metadata = { ...template.metadata, labels };
  return {
    apiVersion: kinds.ReplicaSet.apiVersion as ReplicaSet["apiVersion"],
    kind: "ReplicaSet",
    metadata: {
      name: `${d.metadata.name ?? ""}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...labels },
      ownerReferences: [newControllerRef(d, { apiVersion: kinds.Deployment.apiVersion, kind: kinds.Deployment.kind })],
    },
    spec: {
      replicas: 0,
      ...(d.spec.minReadySeconds !== undefined && { minReadySeconds: d.spec.minReadySeconds }),
      selector: selectorWithHash(d.spec.selector, hash),
      template,
    },
  };
}
