// The mirror StatefulSet's part of `rollout`: what kubectl's
// polymorphichelpers do for apps/v1 StatefulSets (StatefulSetStatusViewer,
// StatefulSetHistoryViewer, StatefulSetRollbacker, the restarter), against
// apps.mirrorkube.dev StatefulSets and the apps/v1 ControllerRevisions that
// hold their history.
import { kindRef, kinds, parseObject } from "../../api/index.ts";
import type { PodTemplateSpec, StatefulSetStatus } from "../../api/index.ts";
import { ResourceClient, type KubeObject, type Patch } from "../../runtime/client/index.ts";
import { isControlledBy } from "../../workloads/common/index.ts";
import { controllerRevisions, equalRevision, revisionData, sortRevisions, templateOf, type ControllerRevision } from "../../workloads/statefulset/index.ts";
import { CliError } from "../errors.ts";
import { describePodTemplate } from "../describe-template.ts";
import { tabulate } from "../tabwriter.ts";
import { CHANGE_CAUSE_ANNOTATION, revisionNotFound } from "./deployment-history.ts";
import { RESTARTED_AT_ANNOTATION, rfc3339 } from "./deployment.ts";
import type { RolloutApi, RolloutKind, RolloutStatus } from "./kind.ts";

const kind = kinds.StatefulSet;
const qualified = (name: string) => `${name}.${kind.group}`;

/** A StatefulSet as the CLI reads it from the API server: only what it looks at. */
export interface StatefulSetObject extends KubeObject {
  spec: { replicas?: number; updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } } };
  status?: StatefulSetStatus;
}

/**
 * kubectl's StatefulSetStatusViewer, quirks included: a RollingUpdate set
 * (whose rollingUpdate the API server always fills in) is done once the
 * pods from the partition up are updated ("partitioned roll out complete"),
 * and an OnDelete set has no rollout status.
 */
export function statefulSetRolloutStatus(s: StatefulSetObject): RolloutStatus {
  const strategy = s.spec.updateStrategy;
  if ((strategy?.type ?? "RollingUpdate") !== "RollingUpdate") throw new CliError("rollout status is only available for RollingUpdate strategy type");
  const st = s.status ?? { replicas: 0 };
  if (!st.observedGeneration || (s.metadata?.generation ?? 0) > st.observedGeneration) return { message: "Waiting for statefulset spec update to be observed...\n", done: false };
  const replicas = s.spec.replicas;
  const ready = st.readyReplicas ?? 0;
  const updated = st.updatedReplicas ?? 0;
  if (replicas !== undefined && ready < replicas) return { message: `Waiting for ${replicas - ready} pods to be ready...\n`, done: false };
  if (strategy?.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition;
    if (replicas !== undefined && partition !== undefined && updated < replicas - partition) {
      return { message: `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...\n`, done: false };
    }
    return { message: `partitioned roll out complete: ${updated} new pods have been updated...\n`, done: true };
  }
  if (st.updateRevision !== st.currentRevision) return { message: `waiting for statefulset rolling update to complete ${updated} pods at revision ${st.updateRevision}...\n`, done: false };
  return { message: `statefulset rolling update complete ${st.currentReplicas ?? 0} pods at revision ${st.currentRevision}...\n`, done: true };
}

/** The ControllerRevisions the set controls, by revision number (kubectl's statefulSetHistory). */
async function historyOf(api: RolloutApi, s: KubeObject): Promise<ControllerRevision[]> {
  const client = new ResourceClient<ControllerRevision>(api.rest, controllerRevisions);
  return sortRevisions((await client.list({ namespace: api.namespace })).items.filter((r) => isControlledBy(r, s.metadata?.uid ?? "")));
}

/** `rollout history` without --revision: REVISION and the revision's CHANGE-CAUSE (copied from the set when it was made). */
export function historyTable(history: readonly ControllerRevision[]): string {
  if (history.length === 0) return "No rollout history found.";
  // Of two revisions with one number the later wins, as kubectl's map has it.
  const causes = new Map(history.map((r) => [r.revision ?? 0, r.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] || "<none>"]));
  const rows = [...causes.keys()].sort((a, b) => a - b).map((r) => [String(r), causes.get(r) ?? "<none>"]);
  return tabulate([["REVISION", "CHANGE-CAUSE"], ...rows]);
}

function parsedTemplate(r: ControllerRevision): PodTemplateSpec {
  const template = templateOf(r);
  if (!template) throw new CliError(`unable to parse history ${r.metadata?.name ?? ""}`);
  return template;
}

/** The revision `rollout undo` goes back to: the given number, or for 0 the one before the newest (kubectl's findHistory). */
export function revisionToRestore(history: readonly ControllerRevision[], toRevision: number): ControllerRevision {
  if (toRevision === 0 && history.length <= 1) throw new CliError("no last revision to roll back to");
  const found = toRevision === 0 ? history.at(-2) : history.find((r) => r.revision === toRevision);
  if (!found) throw revisionNotFound(toRevision);
  return found;
}

export const statefulSetRollout: RolloutKind = {
  names: ["statefulset", "statefulsets", "sts", ...kind.shortNames].flatMap((n) => [n, qualified(n)]),
  resource: kindRef(kind),
  kindGroup: qualified(kind.singular),
  resourceGroup: qualified(kind.plural),

  status: (obj) => statefulSetRolloutStatus(obj as StatefulSetObject),

  async viewHistory(api, obj, revision) {
    const history = await historyOf(api, obj);
    if (revision <= 0) return historyTable(history);
    if (history.length === 0) return "No rollout history found.";
    const found = history.findLast((r) => r.revision === revision);
    if (!found) throw new CliError("unable to find the specified revision");
    return describePodTemplate(parsedTemplate(found));
  },

  async rollback(api, obj, toRevision) {
    if (toRevision < 0) throw revisionNotFound(toRevision);
    const target = revisionToRestore(await historyOf(api, obj), toRevision);
    const parsed = parseObject(kind, obj);
    if (!parsed.ok) throw new CliError(parsed.error.message);
    if (equalRevision({ data: revisionData(parsed.value.spec.template) }, target)) return `skipped rollback (current template already matches revision ${toRevision})`;
    const patch: Patch = { type: "json", patch: [{ op: "replace", path: "/spec/template", value: parsedTemplate(target) }] };
    try {
      await api.client.patch({ namespace: api.namespace, name: obj.metadata?.name ?? "" }, patch);
    } catch (err) {
      throw new CliError(`failed restoring revision ${toRevision}: ${(err as Error).message}`);
    }
    return "rolled back";
  },

  restart(_obj, now) {
    return { type: "merge", patch: { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: rfc3339(now) } } } } } };
  },
};
