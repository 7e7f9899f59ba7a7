// Which real Pod belongs to which mirror Pod: the controller owner reference
// by UID, so a Pod that merely has the same name is never taken for ours.
import type { KubeObject } from "../../runtime/client/index.ts";
import { apiGroupOf, getControllerOf, isControlledBy } from "../common/index.ts";
import { mirrorPods } from "./resources.ts";

/** The real Pod, if the mirror Pod with this UID controls it. */
export function ownedReal<T extends KubeObject>(real: T | undefined, mirrorUid: string | undefined): T | undefined {
  return real && mirrorUid && isControlledBy(real, mirrorUid) ? real : undefined;
}

/** Whether a real Pod is controlled by some mirror Pod (of this group, any version). */
export function isControlledByMirrorPod(real: KubeObject): boolean {
  const ref = getControllerOf(real);
  return ref?.kind === mirrorPods.kind && apiGroupOf(ref.apiVersion) === mirrorPods.group;
}

/** "Kind name" of a Pod's controller, for messages. */
export function describeController(real: KubeObject): string | undefined {
  const ref = getControllerOf(real);
  return ref ? `${ref.kind} ${ref.name}` : undefined;
}
