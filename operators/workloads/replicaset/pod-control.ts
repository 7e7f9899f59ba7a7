// Creating and deleting a ReplicaSet's pods, with the events upstream's
// RealPodControl records on the owner (pkg/controller/controller_utils.go).
import type { PodTemplateSpec } from "../../api/index.ts";
import { isNotFound } from "../../runtime/client/index.ts";
import type { KubeObject, ObjectKey, OwnerReference } from "../../runtime/client/index.ts";
import type { EventType } from "../../runtime/events/event.ts";
import { podFromTemplate } from "../common/index.ts";
import type { NewPod } from "../common/index.ts";

// Upstream's event reasons (controller.SuccessfulCreatePodReason and friends).
export const SUCCESSFUL_CREATE_POD = "SuccessfulCreate";
export const FAILED_CREATE_POD = "FailedCreate";
export const SUCCESSFUL_DELETE_POD = "SuccessfulDelete";
export const FAILED_DELETE_POD = "FailedDelete";

/** Where events go (the manager's EventRecorder). */
export interface EventSink {
  event(obj: KubeObject, type: EventType, reason: string, message: string): void;
}

/** The writes on mirror Pods the controller makes (a ResourceClient has them). */
export interface PodWriter {
  create(pod: NewPod): Promise<KubeObject>;
  delete(key: ObjectKey): Promise<unknown>;
}

export class PodControl {
  constructor(
    private readonly pods: PodWriter,
    private readonly events: EventSink,
  ) {}

  /**
   * Creates one pod from the template, owned by `owner` (upstream
   * CreatePods). A failure is recorded as a FailedCreate event, except when
   * the namespace is terminating (every create would fail; nothing to report),
   * and rethrown unchanged: its message becomes the ReplicaFailure condition's.
   */
  async createPod(template: PodTemplateSpec, owner: KubeObject, controllerRef: OwnerReference): Promise<void> {
    const name = owner.metadata?.name ?? "";
    const namespace = owner.metadata?.namespace ?? "";
    const pod = podFromTemplate(template, { name, namespace }, controllerRef);
    if (Object.keys(pod.metadata?.labels ?? {}).length === 0) throw new Error("unable to create pods, no labels");
    let created: KubeObject;
    try {
      created = await this.pods.create(pod);
    } catch (err) {
      if (!isNamespaceTerminating(err)) this.events.event(owner, "Warning", FAILED_CREATE_POD, `Error creating: ${messageOf(err)}`);
      throw err;
    }
    this.events.event(owner, "Normal", SUCCESSFUL_CREATE_POD, `Created pod: ${created.metadata?.name ?? ""}`);
  }

  /**
   * Deletes one pod (upstream DeletePod). NotFound is rethrown as it is,
   * without an event: someone else deleted it, which is what we wanted.
   */
  async deletePod(namespace: string, name: string, owner: KubeObject): Promise<void> {
    try {
      await this.pods.delete({ namespace, name });
    } catch (err) {
      if (isNotFound(err)) throw err;
      this.events.event(owner, "Warning", FAILED_DELETE_POD, `Error deleting: ${messageOf(err)}`);
      throw new Error(`unable to delete pods: ${messageOf(err)}`, { cause: err });
    }
    this.events.event(owner, "Normal", SUCCESSFUL_DELETE_POD, `Deleted pod: ${name}`);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The API server refused because the namespace is being deleted (upstream HasStatusCause NamespaceTerminatingCause). */
export function isNamespaceTerminating(err: unknown): boolean {
  const causes = (err as { details?: { causes?: { reason?: string }[] } } | null)?.details?.causes;
  return causes?.some((c) => c.reason === "NamespaceTerminating") ?? false;
}
