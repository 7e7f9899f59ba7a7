// The mirror Deployment's part of `rollout`: what kubectl's
// polymorphichelpers do for apps/v1 Deployments, against
// apps.mirrorkube.dev Deployments and their ReplicaSets.
import { kindRef, kinds } from "../../api/index.ts";
import { ResourceClient, type KubeObject, type Patch } from "../../runtime/client/index.ts";
import { isControlledBy } from "../../workloads/common/index.ts";
import { equalIgnoreHash } from "../../workloads/deployment/util/replica-sets.ts";
import { CliError } from "../errors.ts";
import { historyTable, replicaSetForRevision, revisionDetail, revisionNotFound, revisionTemplates, rollbackPatch, type ReplicaSetObject } from "./deployment-history.ts";
import { deploymentRolloutStatus, type DeploymentObject } from "./deployment-status.ts";
import type { RolloutApi, RolloutKind } from "./kind.ts";

export const RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt";

const kind = kinds.Deployment;
const qualified = (name: string) => `${name}.${kind.group}`;
const asDeployment = (obj: KubeObject) => obj as DeploymentObject;

/** The ReplicaSets the Deployment controls (kubectl's GetAllReplicaSets, old ones first, the new one last). */
async function replicaSetsOf(api: RolloutApi, d: DeploymentObject): Promise<ReplicaSetObject[]> {
  const client = new ResourceClient<ReplicaSetObject>(api.rest, kindRef(kinds.ReplicaSet));
  const owned = (await client.list({ namespace: api.namespace })).items.filter((rs) => isControlledBy(rs, d.metadata?.uid ?? ""));
  const newRS = owned.find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
  return newRS ? [...owned.filter((rs) => rs !== newRS), newRS] : owned;
}

/** Go's time.RFC3339 in local time, as kubectl stamps restartedAt. */
export function rfc3339(now: Date): string {
  const offset = -now.getTimezoneOffset();
  const local = new Date(now.getTime() + offset * 60_000).toISOString().replace(/\.\d{3}Z$/, "");
  if (offset === 0) return `${local}Z`;
  const abs = Math.abs(offset);
  return `${local}${offset > 0 ? "+" : "-"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

export const deploymentRollout: RolloutKind = {
  names: ["deployment", "deployments", "deploy", ...kind.shortNames].flatMap((n) => [n, qualified(n)]),
  resource: kindRef(kind),
  kindGroup: qualified(kind.singular),
  resourceGroup: qualified(kind.plural),

  status: (obj, revision) => deploymentRolloutStatus(asDeployment(obj), revision),

  async viewHistory(api, obj, revision) {
    const revisions = revisionTemplates(await replicaSetsOf(api, asDeployment(obj)));
    return revision > 0 ? revisionDetail(revisions, revision) : historyTable(revisions);
  },

  async rollback(api, obj, toRevision) {
    if (toRevision < 0) throw revisionNotFound(toRevision);
    const d = asDeployment(obj);
    const rs = replicaSetForRevision(await replicaSetsOf(api, d), toRevision, d.metadata?.name ?? "");
    // kubectl names itself here; the command that resumes a mirror Deployment is ours.
    if (d.spec.paused) throw new CliError("you cannot rollback a paused deployment; resume it first with 'mirrorkube rollout resume' and try again");
    if (equalIgnoreHash(rs.spec.template, d.spec.template)) return `skipped rollback (current template already matches revision ${toRevision})`;
    const patch: Patch = { type: "json", patch: rollbackPatch(d, rs) };
    try {
      await api.client.patch({ namespace: api.namespace, name: d.metadata?.name ?? "" }, patch);
    } catch (err) {
      throw new CliError(`failed restoring revision ${toRevision}: ${(err as Error).message}`);
    }
    return "rolled back";
  },

  pause(obj) {
    if (asDeployment(obj).spec.paused) throw new CliError("is already paused");
    return { type: "merge", patch: { spec: { paused: true } } };
  },

  resume(obj) {
    if (!asDeployment(obj).spec.paused) throw new CliError("is not paused");
    return { type: "merge", patch: { spec: { paused: false } } };
  },

  restart(obj, now) {
    if (asDeployment(obj).spec.paused) throw new CliError("can't restart paused deployment (run rollout resume first)");
    return { type: "merge", patch: { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: rfc3339(now) } } } } } };
  },
};
