// The quota admission webhook: upstream's ResourceQuota admission plugin
// behind a ValidatingWebhookConfiguration. Per namespace, one request at a
// time: decide on the newest quotas this process knows, charge the usage by
// writing status.used with the quota's resourceVersion BEFORE answering yes,
// and on a conflict read the quotas live and decide again. A denial is
// confirmed against a live read first, so a stale cache never refuses what
// fits. The denial reads as the API server's own NewForbidden would.
import { kinds, type ResourceQuota } from "../api/index.ts";
import { isConflict, type ApiError, type KubeObject } from "../runtime/client/index.ts";
import { objectKey } from "../runtime/informer/index.ts";
import { log } from "../runtime/logging.ts";
import { allowed, denied, type AdmissionDecision, type AdmissionRequest } from "../runtime/webhook/index.ts";
import { checkRequest, type Charge, type QuotaAttributes } from "./check-request.ts";
import type { Evaluator, QuotaObject } from "./evaluators/evaluator.ts";
import { evaluatorFor } from "./evaluators/registry.ts";
import type { QuotaState } from "./resource-quota-controller.ts";
import { quotaStatus } from "./usage.ts";
import { cachedParser } from "../workloads/common/index.ts";

/** Upstream retries a conflicting quota update three times. */
const MAX_ATTEMPTS = 4;

const parseQuota = cachedParser(kinds.ResourceQuota);

function parsedQuotas(raws: readonly KubeObject[]): ResourceQuota[] {
  return raws.flatMap((raw) => {
    const parsed = parseQuota(raw);
    return parsed.ok ? [parsed.value] : [];
  });
}

const versions = (quotas: readonly ResourceQuota[]) =>
  quotas
    .map((q) => `${q.metadata.name ?? ""}@${q.metadata.resourceVersion ?? ""}`)
    .sort()
    .join(",");

/** `pods.core.mirrorkube.dev "web-1" is forbidden: <message>`: apierrors.NewForbidden for the request's resource. */
export function forbidden(request: AdmissionRequest, message: string): AdmissionDecision {
  const { group, resource } = request.resource;
  const meta = request.object?.metadata;
  const name = meta?.name || request.name || meta?.generateName || "";
  const qualified = group ? `${resource}.${group}` : resource;
  return denied(403, "Forbidden", `${qualified}${name ? ` "${name}"` : ""} is forbidden: ${message}`, { name, group, kind: resource });
}

export class QuotaAdmission {
  constructor(
    private readonly state: QuotaState,
    private readonly now: () => Date = () => new Date(),
  ) {}

  readonly handle = async (request: AdmissionRequest): Promise<AdmissionDecision> => {
    const evaluator = evaluatorFor(request.resource.group, request.resource.resource);
    const namespace = request.namespace ?? "";
    if (!evaluator || request.subResource || !namespace || !request.object || !evaluator.handles(request.operation)) return allowed();
    if (!this.state.inScope(namespace)) return allowed();
    const attrs: QuotaAttributes = {
      operation: request.operation,
      object: evaluator.normalize(request.object as QuotaObject),
      ...(request.oldObject && { oldObject: evaluator.normalize(request.oldObject as QuotaObject) }),
    };
    return this.state.lock.run(namespace, () => this.decide(request, evaluator, attrs, namespace));
  };

  private async decide(request: AdmissionRequest, evaluator: Evaluator, attrs: QuotaAttributes, namespace: string): Promise<AdmissionDecision> {
    let quotas = parsedQuotas(this.state.source.inNamespace(namespace));
    let live = false;
    let charged = false;
    let lastConflict: ApiError | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const result = checkRequest(quotas, evaluator, attrs, this.now());
      if (!result.allowed) {
        if (!live) {
          const fresh = await this.readLive(namespace);
          live = true;
          if (versions(fresh) !== versions(quotas)) {
            quotas = fresh;
            attempt--;
            continue;
          }
        }
        // Usage charged to a quota whose sibling then refused is given back by a recompute.
        if (charged) this.state.recompute(namespace);
        return forbidden(request, result.message);
      }
      if (result.charges.length === 0 || request.dryRun) return allowed();
      const failed = await this.charge(request, evaluator, result.charges);
      charged ||= failed.length < result.charges.length;
      if (failed.length === 0) return allowed();
      lastConflict = failed[0]?.error;
      // Charges that were written stay; decide again for the quotas that changed under us.
      const names = new Set(failed.map((f) => f.quota));
      quotas = (await this.readLive(namespace)).filter((q) => names.has(q.metadata.name ?? ""));
      live = true;
    }
    if (charged) this.state.recompute(namespace);
    return denied(409, "Conflict", lastConflict?.message ?? "the quota changed too often to admit this request");
  }

  /** Writes each charge; returns the quotas whose write lost a race. */
  private async charge(request: AdmissionRequest, evaluator: Evaluator, charges: Charge[]): Promise<{ quota: string; error: ApiError }[]> {
    const failed: { quota: string; error: ApiError }[] = [];
    const object = request.object ?? {};
    for (const { quota, used, delta } of charges) {
      try {
        // The version decided on: if anything wrote since, the precondition fails and we decide again.
        const written = await this.state.quotas.updateStatus({ ...quota, status: quotaStatus(quota, used) } as KubeObject);
        this.state.source.wrote(written);
      } catch (err) {
        if (!isConflict(err)) throw err;
        this.state.source.forget(objectKey(quota));
        failed.push({ quota: quota.metadata.name ?? "", error: err });
        continue;
      }
      const uid = object.metadata?.uid;
      if (uid) {
        this.state.reservations.add({
          namespace: request.namespace ?? "",
          quota: quota.metadata.name ?? "",
          resource: evaluator.kind.plural,
          uid,
          generation: object.metadata?.generation ?? 1,
          delta,
        });
      } else {
        log.warn({ resource: request.resource, name: request.name }, "admitted object has no uid; its charge is not protected from an early recompute");
      }
    }
    return failed;
  }

  private async readLive(namespace: string): Promise<ResourceQuota[]> {
    const list = await this.state.quotas.list({ namespace });
    for (const q of list.items) this.state.source.wrote(q);
    return parsedQuotas(list.items);
  }
}
