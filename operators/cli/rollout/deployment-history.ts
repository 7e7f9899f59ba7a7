// A Deployment's history is its ReplicaSets: each carries the template of
// one revision (kubectl's DeploymentHistoryViewer and DeploymentRollbacker).
// Pure: the ReplicaSets are read by the caller.
import type { PodTemplateSpec } from "../../api/index.ts";
import type { JsonPatchOperation, KubeObject } from "../../runtime/client/index.ts";
import {
  DESIRED_REPLICAS_ANNOTATION,
  LAST_APPLIED_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  ROLLBACK_TO_ANNOTATION,
} from "../../workloads/deployment/util/constants.ts";
import { revisionOf } from "../../workloads/deployment/util/history.ts";
import { describePodTemplate } from "../describe-template.ts";
import { CliError } from "../errors.ts";
import { tabulate } from "../tabwriter.ts";
import type { DeploymentObject } from "./deployment-status.ts";

export const CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause";

export interface ReplicaSetObject extends KubeObject {
  spec: { template: PodTemplateSpec };
}

/**
 * Each revision's template, with the ReplicaSet's change-cause annotation
 * copied into the template's annotations, as kubectl shows it. A ReplicaSet
 * whose revision does not parse is no revision; of two with the same
 * revision the later one in the list wins.
 */
export function revisionTemplates(replicaSets: readonly ReplicaSetObject[]): Map<number, PodTemplateSpec> {
  const out = new Map<number, PodTemplateSpec>();
  for (const rs of replicaSets) {
    const revision = revisionOf({ metadata: { annotations: rs.metadata?.annotations ?? {} } });
    if (revision === undefined) continue;
    const template = structuredClone(rs.spec.template);
    const cause = rs.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION];
    if (cause) template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, [CHANGE_CAUSE_ANNOTATION]: cause } };
    out.set(revision, template);
  }
  return out;
}

/** `rollout history` without --revision: REVISION and CHANGE-CAUSE, oldest first. */
export function historyTable(revisions: ReadonlyMap<number, PodTemplateSpec>): string {
  if (revisions.size === 0) return "No rollout history found.";
  const rows = [...revisions.keys()]
    .sort((a, b) => a - b)
    .map((r) => [String(r), revisions.get(r)?.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] || "<none>"]);
  return tabulate([["REVISION", "CHANGE-CAUSE"], ...rows]);
}

/** `rollout history --revision=N`: that revision's template, described. */
export function revisionDetail(revisions: ReadonlyMap<number, PodTemplateSpec>, revision: number): string {
  if (revisions.size === 0) return "No rollout history found.";
  const template = revisions.get(revision);
  if (!template) throw new CliError("unable to find the specified revision");
  return describePodTemplate(template);
}

/**
 * The ReplicaSet `rollout undo` goes back to: revision `toRevision`, or for
 * 0 the one before the newest (kubectl's deploymentRevision).
 */
export function replicaSetForRevision<R extends ReplicaSetObject>(replicaSets: readonly R[], toRevision: number, deployment: string): R {
  let latest: { revision: number; rs?: R } = { revision: -1 };
  let previous: { revision: number; rs?: R } = { revision: -1 };
  for (const rs of replicaSets) {
    const v = revisionOf({ metadata: { annotations: rs.metadata?.annotations ?? {} } });
    if (v === undefined) continue;
    if (toRevision === 0) {
      if (latest.revision < v) {
        previous = latest;
        latest = { revision: v, rs };
      } else if (previous.revision < v) {
        previous = { revision: v, rs };
      }
    } else if (v === toRevision) {
      return rs;
    }
  }
  if (toRevision > 0) throw revisionNotFound(toRevision);
  if (!previous.rs) throw new CliError(`no rollout history found for deployment ${JSON.stringify(deployment)}`);
  return previous.rs;
}

export function revisionNotFound(revision: number): CliError {
  return new CliError(`unable to find specified revision ${revision} in history`);
}

/** Deployment annotations a rollback keeps, and never takes from the ReplicaSet (kubectl's annotationsToSkip). */
const KEPT_ANNOTATIONS = new Set([LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, ROLLBACK_TO_ANNOTATION]);

/**
 * The JSON patch `rollout undo` sends: the ReplicaSet's template without its
 * pod-template-hash label, and the Deployment's annotations as the
 * ReplicaSet has them (change-cause and the like), but for the ones the
 * Deployment keeps.
 */
export function rollbackPatch(d: DeploymentObject, rs: ReplicaSetObject): JsonPatchOperation[] {
  const template = structuredClone(rs.spec.template);
  if (template.metadata?.labels) {
    const { [POD_TEMPLATE_HASH_LABEL]: _, ...labels } = template.metadata.labels;
    template.metadata = { ...template.metadata, labels };
  }
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) if (KEPT_ANNOTATIONS.has(k)) annotations[k] = v;
  for (const [k, v] of Object.entries(rs.metadata?.annotations ?? {})) if (!KEPT_ANNOTATIONS.has(k)) annotations[k] = v;
  return [
    { op: "replace", path: "/spec/template", value: template },
    // "add" also replaces: it works whether or not the Deployment has annotations.
    { op: "add", path: "/metadata/annotations", value: annotations },
  ];
}
