// What `rollout` needs of a kind, in the shape of kubectl's
// polymorphichelpers (StatusViewer, HistoryViewer, Rollbacker, ObjectPauser,
// ObjectResumer, ObjectRestarter): the commands are written once against
// this, and a kind plugs in by implementing it (Deployment; StatefulSet,
// with ControllerRevisions for history).
import type { KubeObject, Patch, ResourceClient, ResourceRef, RestClient } from "../../runtime/client/index.ts";

export interface RolloutStatus {
  /** One line, as kubectl prints it (with its newline). */
  message: string;
  done: boolean;
}

/** What a kind's helpers reach the cluster with. */
export interface RolloutApi {
  rest: RestClient;
  /** The kind's own resource. */
  client: ResourceClient<KubeObject>;
  namespace: string;
}

export interface RolloutKind {
  /** The resource names a user may give (lower case): singular, plural, short names, each also with the group. */
  readonly names: readonly string[];
  readonly resource: ResourceRef;
  /** kind.group, as kubectl's name printer starts its lines ("deployment.apps.mirrorkube.dev/web rolled back"). */
  readonly kindGroup: string;
  /** resource.group, as kubectl names the object in errors (`deployments.apps.mirrorkube.dev "web" is already paused`). */
  readonly resourceGroup: string;

  /** Where the rollout is (kubectl's StatusViewer); throws a CliError when it cannot succeed. */
  status(obj: KubeObject, revision: number): RolloutStatus;
  /** The history table, or one revision's template (kubectl's HistoryViewer.ViewHistory). */
  viewHistory(api: RolloutApi, obj: KubeObject, revision: number): Promise<string>;
  /** Restores a revision's template (kubectl's Rollbacker): the result word(s) printed after the name. */
  rollback(api: RolloutApi, obj: KubeObject, toRevision: number): Promise<string>;
  /** The patch that pauses it; throws the reason it cannot (kubectl's ObjectPauser). Absent: "pausing is not supported". */
  pause?(obj: KubeObject): Patch;
  resume?(obj: KubeObject): Patch;
  /** The patch that restarts every pod (kubectl's ObjectRestarter), stamped with `now`. */
  restart(obj: KubeObject, now: Date): Patch;
}
