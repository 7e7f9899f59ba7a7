// The real v1 Pod that realizes a mirror Pod: the same workload, owned by the
// mirror Pod, labelled with its name, and pinned to the node mirrorkube's
// scheduler chose (or left to kube-scheduler).
import type { Pod, PodSpec } from "../../api/index.ts";
import { apiVersionOf } from "../../runtime/controller/builder.ts";
import { newControllerRef } from "../common/index.ts";
import { REAL_POD_LABEL } from "./names.ts";
import type { RealPod } from "./resources.ts";
import { mirrorPods } from "./resources.ts";
import { translateVolumes, type VolumeTranslator } from "./volumes.ts";

// kubectl's record of what the user applied describes the mirror Pod; on the
// real Pod it would make `kubectl apply` diff against the wrong object.
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

export type RealPodResult = { ok: true; pod: RealPod } | { ok: false; message: string };

export function buildRealPod(mirror: Pod, translateVolume: VolumeTranslator): RealPodResult {
  const volumes = translateVolumes(mirror, translateVolume);
  if (!volumes.ok) return volumes;
  const { namespace, name } = mirror.metadata;
  return {
    ok: true,
    pod: {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name,
        namespace,
        labels: realLabels(mirror),
        annotations: realAnnotations(mirror),
        // The controller reference makes garbage collection remove the real Pod with its mirror Pod.
        ownerReferences: [newControllerRef(mirror, { apiVersion: apiVersionOf(mirrorPods), kind: mirrorPods.kind })],
      },
      spec: realSpec(mirror.spec, volumes.volumes),
    },
  };
}


export function realLabels(mirror: Pod): Record<string, string> {
  return { ...mirror.metadata.labels, [REAL_POD_LABEL]: mirror.metadata.name ?? "" };
}

export function realAnnotations(mirror: Pod): Record<string, string> | undefined {
  const { [LAST_APPLIED]: _lastApplied, ...rest } = mirror.metadata.annotations ?? {};
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/**
 * The mirror's spec, less what the real API server computes itself and would
 * reject if given: priority and preemptionPolicy come from the
 * PriorityClass, overhead from the RuntimeClass (admission), and ephemeral
 * containers cannot be set at creation. nodeName pins the pod when the
 * mirror Pod is bound; without it kube-scheduler places the real Pod, using
 * the same nodeSelector, affinity, tolerations and spread constraints.
 */
function realSpec(spec: PodSpec, volumes: PodSpec["volumes"]): Partial<PodSpec> {
  const {
    priority: _priority,
    preemptionPolicy: _preemptionPolicy,
    overhead: _overhead,
    ephemeralContainers: _ephemeral,
    volumes: _volumes,
    nodeName,
    schedulingGates,
    ...rest
  } = spec;
  // A bound pod has passed its gates (the API server refuses a nodeName while gates remain).
  const gates = nodeName ? undefined : schedulingGates;
  return { ...rest, ...(volumes && { volumes }), ...(nodeName && { nodeName }), ...(gates && { schedulingGates: gates }) };
}

/**
 * The metadata patch that brings the real Pod's labels and annotations to
 * the mirror Pod's (for example, removing a label a test uses to make kwok
 * misbehave). Labels follow exactly: they are what selects the real Pod.
 * Annotations are only added and updated, never removed: admission plugins
 * and tools annotate Pods too, and the realizer must not strip theirs.
 * Undefined when nothing differs.
 */
export function metadataPatch(mirror: Pod, real: RealPod): { labels?: Record<string, string | null>; annotations?: Record<string, string> } | undefined {
  const want = realLabels(mirror);
  const have = real.metadata?.labels ?? {};
  const labels: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(want)) if (have[k] !== v) labels[k] = v;
  for (const k of Object.keys(have)) if (!(k in want)) labels[k] = null;

  const haveAnnotations = real.metadata?.annotations ?? {};
  const annotations = Object.fromEntries(Object.entries(realAnnotations(mirror) ?? {}).filter(([k, v]) => haveAnnotations[k] !== v));

  const patch = {
    ...(Object.keys(labels).length > 0 && { labels }),
    ...(Object.keys(annotations).length > 0 && { annotations }),
  };
  return Object.keys(patch).length > 0 ? patch : undefined;
}
