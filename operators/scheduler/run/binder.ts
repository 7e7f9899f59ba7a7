import { kinds, type Pod } from "../../api/index.ts";
import type { ResourceClient } from "../../runtime/client/index.ts";
import type { EventRecorder } from "../../runtime/events/recorder.ts";

export const SCHEDULER_FIELD_MANAGER = "mirrorkube-scheduler";

/** The PodScheduled condition, applied alone so the realizer's conditions are left as they are. */
async function applyPodScheduled(pods: ResourceClient<Pod>, pod: Pod, condition: { status: "True" | "False"; reason?: string; message?: string }): Promise<void> {
  const current = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
  const unchanged = current?.status === condition.status && current.reason === condition.reason && current.message === condition.message;
  if (unchanged) return;
  const lastTransitionTime = current?.status === condition.status && current.lastTransitionTime ? current.lastTransitionTime : new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  await pods.applyStatus(
    {
      apiVersion: kinds.Pod.apiVersion,
      kind: "Pod",
      metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace },
      status: { conditions: [{ type: "PodScheduled", ...condition, lastTransitionTime }] },
    } as unknown as Pod,
    { fieldManager: SCHEDULER_FIELD_MANAGER, force: true },
  );
}

/**
 * Binds as the binding subresource does for real Pods: spec.nodeName, then
 * PodScheduled=True and the Scheduled event. The API server refuses to move
 * a Pod that is already bound (a CEL transition rule), so two schedulers
 * racing cannot both bind it.
 */
export async function bind(pods: ResourceClient<Pod>, recorder: EventRecorder, pod: Pod, node: string): Promise<void> {
  const key = { namespace: pod.metadata.namespace, name: pod.metadata.name ?? "" };
  const bound = await pods.patch(key, { type: "json", patch: [{ op: "test", path: "/metadata/uid", value: pod.metadata.uid }, { op: "add", path: "/spec/nodeName", value: node }] });
  await applyPodScheduled(pods, bound, { status: "True" });
  recorder.event(bound, "Normal", "Scheduled", `Successfully assigned ${key.namespace}/${key.name} to ${node}`);
}

/** PodScheduled=False reason Unschedulable and a FailedScheduling event, as kube-scheduler reports a failure. */
export async function reportUnschedulable(pods: ResourceClient<Pod>, recorder: EventRecorder, pod: Pod, message: string): Promise<void> {
  recorder.event(pod, "Warning", "FailedScheduling", message);
  await applyPodScheduled(pods, pod, { status: "False", reason: "Unschedulable", message });
}
