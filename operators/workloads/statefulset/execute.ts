// Running a plan's steps as upstream's runForAll does: OrderedReady one
// step after another, Parallel in slow-start batches (1, 2, 4, ...), and
// in both the first failure ends the sync.
import type { Pod } from "../../api/index.ts";
import { slowStartBatch } from "../replicaset/slow-start.ts";
import type { PodAction, PodStep, StatefulSetPlan } from "./actions.ts";

/** What the steps did, for status and expectations. */
export interface Progress {
  /** Names of the pods created. */
  created: Set<string>;
  /** Uids of the pods deleted (or found already gone). */
  deleted: Set<string>;
  /** The pods deleted to be updated: no longer counted at their revision. */
  updated: Pod[];
}

export type Perform = (action: PodAction) => Promise<void>;

/** Runs the plan; returns what was done and the error that stopped it, if any. */
export async function executePlan(plan: StatefulSetPlan, perform: Perform): Promise<{ progress: Progress; error?: unknown }> {
  const progress: Progress = { created: new Set(), deleted: new Set(), updated: [] };
  const runStep = async (step: PodStep) => {
    for (const action of step.actions) {
      await perform(action);
      if (action.type === "createPod") progress.created.add(action.pod.metadata?.name ?? "");
      if (action.type === "deletePod") {
        progress.deleted.add(action.pod.metadata.uid ?? "");
        if (action.cause === "update") progress.updated.push(action.pod);
      }
    }
  };
  try {
    for (const phase of plan.phases) {
      if (plan.monotonic) {
        for (const step of phase) await runStep(step);
        continue;
      }
      let next = 0;
      const { error } = await slowStartBatch(phase.length, 1, () => runStep(phase[next++] as PodStep));
      if (error !== undefined) throw error;
    }
  } catch (error) {
    return { progress, error };
  }
  return { progress };
}

/** The pods a plan creates and the uids it deletes: what the expectations wait to see. */
export function plannedChanges(plan: StatefulSetPlan): { creates: string[]; deletes: string[] } {
  const actions = plan.phases.flat().flatMap((s) => s.actions);
  return {
    creates: actions.flatMap((a) => (a.type === "createPod" ? [a.pod.metadata?.name ?? ""] : [])),
    deletes: actions.flatMap((a) => (a.type === "deletePod" ? [a.pod.metadata.uid ?? ""] : [])),
  };
}
