// Setting a pod condition as upstream does: one per type, and
// lastTransitionTime moves only when the status does.
import type { PodCondition } from "../../api/index.ts";
import { findCondition } from "../common/index.ts";

/**
 * `conditions` with `next` in place of the condition of its type (appended
 * if absent). The previous lastTransitionTime is kept when the status did
 * not change, so an unchanged condition never causes a write.
 */
export function setCondition(conditions: readonly PodCondition[], next: PodCondition, now: string): PodCondition[] {
  const prev = findCondition(conditions, next.type);
  const lastTransitionTime = prev && prev.status === next.status ? (prev.lastTransitionTime ?? now) : now;
  const merged: PodCondition = { ...next, lastTransitionTime };
  return prev ? conditions.map((c) => (c.type === next.type ? merged : c)) : [...conditions, merged];
}
