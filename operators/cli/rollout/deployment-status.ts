// `rollout status` for a Deployment (kubectl's DeploymentStatusViewer):
// which of the rollout's stages it is in, in kubectl's words.
import type { DeploymentStatus, PodTemplateSpec } from "../../api/index.ts";
import type { KubeObject } from "../../runtime/client/index.ts";
import { getCondition } from "../../workloads/deployment/util/conditions.ts";
import { DEPLOYMENT_PROGRESSING, REVISION_ANNOTATION, TIMED_OUT_REASON } from "../../workloads/deployment/util/constants.ts";
import { parseRevision } from "../../workloads/deployment/util/history.ts";
import { CliError } from "../errors.ts";
import type { RolloutStatus } from "./kind.ts";

/** A Deployment as the CLI reads it from the API server: only what it looks at. */
export interface DeploymentObject extends KubeObject {
  spec: { replicas?: number; paused?: boolean; template: PodTemplateSpec };
  status?: DeploymentStatus;
}

/** The Deployment's revision annotation: 0 without one (kubectl's deploymentutil.Revision). */
export function deploymentRevision(d: DeploymentObject): number {
  const value = d.metadata?.annotations?.[REVISION_ANNOTATION];
  if (value === undefined) return 0;
  const revision = parseRevision(value);
  if (revision === undefined) throw new CliError(`cannot get the revision of deployment ${JSON.stringify(d.metadata?.name)}: strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
  return revision;
}

/**
 * The rollout's state: waiting for the spec to be observed, for new
 * replicas, for old ones to go, for the new ones to become available; done;
 * or an error once the progress deadline passed or (with `revision`) a newer
 * rollout took over.
 */
export function deploymentRolloutStatus(d: DeploymentObject, revision: number): RolloutStatus {
  const name = JSON.stringify(d.metadata?.name ?? "");
  if (revision > 0) {
    const current = deploymentRevision(d);
    if (revision !== current) throw new CliError(`desired revision (${revision}) is different from the running revision (${current})`);
  }
  const status = d.status ?? {};
  if ((d.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) return { message: "Waiting for deployment spec update to be observed...\n", done: false };
  if (getCondition(status, DEPLOYMENT_PROGRESSING)?.reason === TIMED_OUT_REASON) throw new CliError(`deployment ${name} exceeded its progress deadline`);
  const updated = status.updatedReplicas ?? 0;
  const replicas = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const wanted = d.spec.replicas;
  const waiting = (what: string) => ({ message: `Waiting for deployment ${name} rollout to finish: ${what}...\n`, done: false });
  if (wanted !== undefined && updated < wanted) return waiting(`${updated} out of ${wanted} new replicas have been updated`);
  if (replicas > updated) return waiting(`${replicas - updated} old replicas are pending termination`);
  if (available < updated) return waiting(`${available} of ${updated} updated replicas are available`);
  return { message: `deployment ${name} successfully rolled out\n`, done: true };
}
