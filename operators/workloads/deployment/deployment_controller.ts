// The Deployment controller (upstream pkg/controller/deployment/
// deployment_controller.go): reads a Deployment, its ReplicaSets and (for
// Recreate) their pods from the caches, claims the ReplicaSets, plans one
// step with planDeployment and performs it.
import { kinds, labelSelectorMatches } from "../../api/index.ts";
import type { Deployment, Pod, ReplicaSet } from "../../api/index.ts";
import type { KubeObject, ObjectKey } from "../../runtime/client/index.ts";
import type { Mapper } from "../../runtime/controller/builder.ts";
import type { ReconcileContext, Request, Result } from "../../runtime/controller/request.ts";
import { requestKey } from "../../runtime/controller/request.ts";
import { CONTROLLER_OWNER_INDEX, NAMESPACE_INDEX } from "../../runtime/informer/indexers.ts";
import type { ReadonlyStore } from "../../runtime/informer/store.ts";
import { apiGroupOf, cachedParser, ControllerRefManager, getControllerOf, InvalidObjectReporter, recheckDeletionTimestamp } from "../common/index.ts";
import type { OwnerKind } from "../common/index.ts";
import { executePlan, type EventSink, type PlanWriters } from "./execute.ts";
import { planDeployment } from "./plan.ts";

export const DEPLOYMENT_KIND: OwnerKind = { apiVersion: kinds.Deployment.apiVersion, kind: kinds.Deployment.kind };

/** Everything the controller reads and writes, so tests can hand it fakes. */
export interface DeploymentControllerDeps {
  /** The shared caches: reconciles read only these, never list the API server. */
  deployments: ReadonlyStore<KubeObject>;
  replicaSets: ReadonlyStore<KubeObject>;
  pods: ReadonlyStore<KubeObject>;
  deploymentClient: PlanWriters["deployments"] & {
    /** The live read before adopting (upstream's uncached quorum read). */
    get(key: ObjectKey): Promise<KubeObject>;
  };
  replicaSetClient: PlanWriters["replicaSets"] & { get(key: ObjectKey): Promise<KubeObject> };
  events: EventSink;
  now?: () => Date;
}

export class DeploymentController {
  private readonly parseDeployment = cachedParser(kinds.Deployment);
  private readonly parseReplicaSet = cachedParser(kinds.ReplicaSet);
  private readonly parsePod = cachedParser(kinds.Pod);
  private readonly invalid: InvalidObjectReporter;
  private readonly now: () => Date;

  constructor(private readonly deps: DeploymentControllerDeps) {
    this.invalid = new InvalidObjectReporter(deps.events);
    this.now = deps.now ?? (() => new Date());
  }

  /** Upstream syncDeployment, with the decisions in planDeployment. */
  async sync(req: Request, ctx: Pick<ReconcileContext, "log">): Promise<Result | void> {
    const key = requestKey(req);
    const cached = this.deps.deployments.get(key);
    if (!cached) {
      // Deleted: the garbage collector removes its ReplicaSets.
      this.invalid.forget(key);
      return;
    }
    // Events name the Deployment by its kind even if a cached list item omits apiVersion and kind.
    const raw = { ...cached, apiVersion: kinds.Deployment.apiVersion, kind: kinds.Deployment.kind };
    const parsed = this.parseDeployment(cached);
    if (!parsed.ok) {
      this.invalid.report(key, raw, parsed.error, ctx.log);
      return;
    }
    this.invalid.forget(key);
    const d = parsed.value;

    // An empty selector would claim every ReplicaSet of the namespace: the
    // planner only warns about it, so nothing is claimed for it either.
    const selectsAll = Object.keys(d.spec.selector.matchLabels ?? {}).length === 0 && (d.spec.selector.matchExpressions ?? []).length === 0;
    const replicaSets = selectsAll ? [] : await this.claimReplicaSets(d);
    // Only Recreate looks at pods (no old pod may still run); sparing a
    // RollingUpdate of a thousand replicas the walk over its pods.
    const pods = d.spec.strategy.type === "Recreate" ? this.podsOf(replicaSets) : [];
    const now = this.now();
    const plan = planDeployment(d, replicaSets, pods, now);
    ctx.log.debug({ actions: plan.actions.map((a) => a.type), statusChanged: plan.statusChanged, requeueAfterMs: plan.requeueAfterMs }, "planned");

    const done = await executePlan(plan, { raw, deployment: d, now }, this.writers());
    if (done && plan.requeueAfterMs !== undefined) return { requeueAfterMs: plan.requeueAfterMs };
  }

  private writers(): PlanWriters {
    return {
      deployments: this.deps.deploymentClient,
      replicaSets: this.deps.replicaSetClient,
      events: this.deps.events,
      getReplicaSet: async (namespace, name) => {
        const raw = this.deps.replicaSets.get(`${namespace}/${name}`) ?? (await this.deps.replicaSetClient.get({ namespace, name }).catch(() => undefined));
        const parsed = raw && this.parseReplicaSet(raw);
        return parsed && parsed.ok ? parsed.value : undefined;
      },
    };
  }

  /**
   * The ReplicaSets the Deployment controls after adopting matching orphans
   * and releasing its own that no longer match (upstream
   * getReplicaSetsForDeployment). All of the namespace's are looked at, so
   * that one that stopped matching is found and released.
   */
  private claimReplicaSets(d: Deployment): Promise<ReplicaSet[]> {
    const namespace = d.metadata.namespace ?? "";
    const name = d.metadata.name ?? "";
    const manager = new ControllerRefManager<ReplicaSet>({
      owner: d,
      ownerKind: DEPLOYMENT_KIND,
      objectKind: "ReplicaSet",
      matches: (rs) => labelSelectorMatches(d.spec.selector, rs.metadata.labels ?? {}),
      canAdopt: recheckDeletionTimestamp(d, kinds.Deployment.kind, () => this.deps.deploymentClient.get({ namespace, name })),
      patch: (rs, patch) => this.deps.replicaSetClient.patch({ namespace, name: rs.metadata.name ?? "" }, patch),
    });
    return manager.claim(this.parsedIn(this.deps.replicaSets, namespace, this.parseReplicaSet));
  }

  /** The pods the ReplicaSets control, inactive ones included (upstream getPodMapForDeployment). */
  private podsOf(replicaSets: readonly ReplicaSet[]): Pod[] {
    const pods: Pod[] = [];
    for (const rs of replicaSets) {
      for (const raw of this.deps.pods.byIndex(CONTROLLER_OWNER_INDEX, rs.metadata.uid ?? "")) {
        const parsed = this.parsePod(raw);
        if (parsed.ok) pods.push(parsed.value);
      }
    }
    return pods;
  }

  private parsedIn<T>(store: ReadonlyStore<KubeObject>, namespace: string, parse: (raw: object) => { ok: true; value: T } | { ok: false }): T[] {
    const out: T[] = [];
    for (const raw of store.byIndex(NAMESPACE_INDEX, namespace)) {
      const parsed = parse(raw);
      if (parsed.ok) out.push(parsed.value);
    }
    return out;
  }

  /** The Deployment a controller reference names, if it is a cached mirror Deployment with that UID. */
  private deploymentOf(namespace: string, obj: KubeObject): Deployment | undefined {
    const ref = getControllerOf(obj);
    if (!ref || ref.kind !== kinds.Deployment.kind || apiGroupOf(ref.apiVersion) !== kinds.Deployment.group) return undefined;
    const raw = this.deps.deployments.get(`${namespace}/${ref.name}`);
    if (!raw || raw.metadata?.uid !== ref.uid) return undefined;
    const parsed = this.parseDeployment(raw);
    return parsed.ok ? parsed.value : undefined;
  }

  /**
   * Which Deployments a ReplicaSet event concerns (upstream addReplicaSet,
   * updateReplicaSet, deleteReplicaSet): its controller; for an orphan,
   * every Deployment whose selector matches it, so one adopts it.
   */
  readonly replicaSetMapper: Mapper<KubeObject> = (rs) => {
    const namespace = rs.metadata?.namespace ?? "";
    if (getControllerOf(rs)) {
      const d = this.deploymentOf(namespace, rs);
      return d ? [{ namespace, name: d.metadata.name ?? "" }] : [];
    }
    return this.parsedIn(this.deps.deployments, namespace, this.parseDeployment)
      .filter((d) => labelSelectorMatches(d.spec.selector, rs.metadata?.labels ?? {}))
      .map((d) => ({ namespace, name: d.metadata.name ?? "" }));
  };

  /**
   * Which Deployment a pod event concerns: only a Recreate one, which must
   * see its last old pod go before it creates new ones (upstream deletePod).
   * Availability reaches the others through their ReplicaSets' status.
   */
  readonly podMapper: Mapper<KubeObject> = (pod) => {
    const namespace = pod.metadata?.namespace ?? "";
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== kinds.ReplicaSet.kind || apiGroupOf(ref.apiVersion) !== kinds.ReplicaSet.group) return [];
    const rs = this.deps.replicaSets.get(`${namespace}/${ref.name}`);
    if (!rs || rs.metadata?.uid !== ref.uid) return [];
    const d = this.deploymentOf(namespace, rs);
    return d?.spec.strategy.type === "Recreate" ? [{ namespace, name: d.metadata.name ?? "" }] : [];
  };
}
