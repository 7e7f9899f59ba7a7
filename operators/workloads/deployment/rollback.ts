import type { PodTemplateSpec, ReplicaSet } from "../../api/index.ts";
import type { PlannedEvent } from "./events.ts";
import { rollbackDoneEvent, rollbackNoLastRevisionEvent, rollbackRevisionNotFoundEvent, rollbackTemplateUnchangedEvent } from "./events.ts";
import type { PlanContext } from "./plan-context.ts";
import { getAllReplicaSetsAndSyncRevision } from "./sync.ts";
import { rollbackAnnotations, rollbackToRevision } from "./util/annotations.ts";
import { POD_TEMPLATE_HASH_LABEL, ROLLBACK_TO_ANNOTATION } from "./util/constants.ts";
import { lastRevision, revisionOf } from "./util/history.ts";
import { equalIgnoreHash } from "./util/replica-sets.ts";

// Upstream rollback.go: the legacy rollback request, an annotation naming a
// revision (0: the previous one). The Deployment gets that revision's
// template back, and the rollout that follows reuses its ReplicaSet, which
// then takes the next revision number. Whatever happens, the request is
// cleared so it runs once. (kubectl rollout undo does the same template copy
// on the client side and never comes here.)

export function rollback(ctx: PlanContext): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, true);
  const allRSs = [...oldRSs, ...(newRS ? [newRS] : [])];
  let revision = rollbackToRevision(ctx.d) ?? 0;
  if (revision === 0) {
    revision = lastRevision(allRSs);
    if (revision === 0) {
      ctx.event(rollbackNoLastRevisionEvent());
      clearRollbackTo(ctx, undefined, []);
      return;
    }
  }
  const target = allRSs.find((rs) => revisionOf(rs) === revision);
  if (!target) {
    ctx.event(rollbackRevisionNotFoundEvent());
    clearRollbackTo(ctx, undefined, []);
    return;
  }
  rollbackToTemplate(ctx, target, revision);
}

function rollbackToTemplate(ctx: PlanContext, rs: ReplicaSet, revision: number): void {
  const d = ctx.d;
  if (equalIgnoreHash(d.spec.template, rs.spec.template)) {
    ctx.event(rollbackTemplateUnchangedEvent(d.metadata.name ?? ""));
    clearRollbackTo(ctx, undefined, []);
    return;
  }
  // The template without the hash label the ReplicaSet's copy carries.
  const template = structuredClone(rs.spec.template);
  const labels = { ...template.metadata?.labels };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  template.metadata = { ...template.metadata, labels };
  // The Deployment takes the ReplicaSet's annotations too, so that, e.g.,
  // a change-cause goes back with the template it described.
  ctx.d = {
    ...d,
    metadata: { ...d.metadata, annotations: rollbackAnnotations(d.metadata.annotations, rs.metadata.annotations) },
    spec: { ...d.spec, template },
  };
  clearRollbackTo(ctx, template, [rollbackDoneEvent(d.metadata.name ?? "", revision)]);
}

/** Removes the rollback request and writes the Deployment (upstream updateDeploymentAndClearRollbackTo). */
function clearRollbackTo(ctx: PlanContext, template: PodTemplateSpec | undefined, events: PlannedEvent[]): void {
  const annotations = { ...ctx.d.metadata.annotations };
  delete annotations[ROLLBACK_TO_ANNOTATION];
  ctx.d = { ...ctx.d, metadata: { ...ctx.d.metadata, annotations } };
  ctx.actions.push({
    type: "updateDeployment",
    resourceVersion: ctx.original.metadata.resourceVersion,
    annotations,
    ...(template && { template }),
    events,
  });
}
