// A Pod stamped from a workload's template (upstream GetPodFromTemplate).
import { kinds } from "../../api/index.ts";
import type { PodSpec, PodTemplateSpec } from "../../api/index.ts";
import type { KubeObject, OwnerReference } from "../../runtime/client/index.ts";

/** A mirror Pod as a controller creates it. */
export interface NewPod extends KubeObject {
  apiVersion: string;
  kind: "Pod";
  spec: PodSpec;
}

/**
 * The template's labels, annotations, finalizers and spec, the controller
 * reference, and generateName "<owner>-" (the API server appends five random
 * characters). Nothing else of the template's metadata is copied, as upstream.
 */
export function podFromTemplate(template: PodTemplateSpec, owner: { name: string; namespace: string }, controllerRef: OwnerReference): NewPod {
  const meta = template.metadata;
  return {
    apiVersion: kinds.Pod.apiVersion,
    kind: "Pod",
    metadata: {
      generateName: `${owner.name}-`,
      namespace: owner.namespace,
      labels: { ...meta?.labels },
      ...(meta?.annotations && { annotations: { ...meta.annotations } }),
      ...(meta?.finalizers && { finalizers: [...meta.finalizers] }),
      ownerReferences: [controllerRef],
    },
    spec: structuredClone(template.spec),
  };
}
