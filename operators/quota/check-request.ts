// Whether an object fits the quotas of its namespace, and what their usage
// becomes if it is admitted: upstream's admission CheckRequest
// (apiserver/pkg/admission/plugin/resourcequota/controller.go), pure.
import type { ResourceQuota } from "../api/index.ts";
import { Quantity } from "../common/quantity.ts";
import type { Operation } from "../runtime/webhook/admission.ts";
import { addUsage, matches, quotaScopes, type Evaluator, type QuotaObject, type Usage } from "./evaluators/evaluator.ts";
import { hardOf, mask, usedOf } from "./usage.ts";

export interface QuotaAttributes {
  operation: Operation;
  object: QuotaObject;
  /** The stored object an UPDATE replaces. */
  oldObject?: QuotaObject;
}

/** One quota's charge: its new status.used and what was added to it. */
export interface Charge {
  quota: ResourceQuota;
  used: Usage;
  delta: Usage;
}

export type CheckResult = { allowed: true; charges: Charge[] } | { allowed: false; message: string };

/** "k=v,k=v" sorted by name, canonical quantities (upstream prettyPrint). */
export function prettyPrint(usage: Usage): string {
  return [...usage.keys()]
    .sort()
    .map((k) => `${k}=${usage.get(k)?.toString() ?? "0"}`)
    .join(",");
}

function subtractNonNegative(a: Usage, b: Usage): Usage {
  const out: Usage = new Map();
  for (const [k, q] of a) {
    const prev = b.get(k);
    const d = prev ? q.sub(prev) : q;
    out.set(k, d.sign() < 0 ? Quantity.zero() : d);
  }
  return out;
}

const withoutZeros = (u: Usage): Usage => new Map([...u].filter(([, q]) => !q.isZero()));

/**
 * Checks, in order, every quota that matches: missing declarations
 * ("failed quota"), usage the controller has not computed yet ("status
 * unknown"), and usage + request over hard ("exceeded quota", listing only
 * the exceeded names). Quotas are taken in name order so messages are stable.
 */
export function checkRequest(quotas: readonly ResourceQuota[], evaluator: Evaluator, attrs: QuotaAttributes, now: Date): CheckResult {
  if (!evaluator.handles(attrs.operation)) return { allowed: true, charges: [] };
  const { object, oldObject } = attrs;
  const interesting: ResourceQuota[] = [];
  for (const quota of [...quotas].sort((a, b) => ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1))) {
    const hardNames = Object.keys(quota.spec.hard ?? {});
    if (!matches(evaluator, hardNames, quotaScopes(quota.spec), object, now)) continue;
    const restricted = evaluator.matchingResources(hardNames);
    const name = quota.metadata.name ?? "";
    const missing = evaluator.constraints(restricted, object);
    if (missing) return { allowed: false, message: `failed quota: ${name}: ${missing}` };
    const used = quota.status?.used ?? {};
    if (restricted.some((r) => !(r in used))) return { allowed: false, message: `status unknown for quota: ${name}, resources: ${[...restricted].sort().join(",")}` };
    interesting.push(quota);
  }
  if (interesting.length === 0) return { allowed: true, charges: [] };

  const input = evaluator.usage(object, now);
  // An update is charged the growth only, for quotas that already counted the old object.
  const previous = attrs.operation === "UPDATE" && oldObject?.metadata?.resourceVersion ? oldObject : undefined;
  const charges: Charge[] = [];
  for (const quota of interesting) {
    const hardNames = Object.keys(quota.spec.hard ?? {});
    const countedBefore = previous && matches(evaluator, hardNames, quotaScopes(quota.spec), previous, now);
    const delta = withoutZeros(countedBefore ? subtractNonNegative(input, evaluator.usage(previous, now)) : input);
    const requested = mask(delta, hardNames);
    if (requested.size === 0) continue;
    const hard = hardOf(quota);
    const used = usedOf(quota);
    const next = new Map(used);
    addUsage(next, requested);
    const exceeded = [...requested.keys()].filter((k) => {
      const limit = hard.get(k);
      return limit !== undefined && (next.get(k)?.cmp(limit) ?? 0) > 0;
    });
    if (exceeded.length > 0) {
      return {
        allowed: false,
        message:
          `exceeded quota: ${quota.metadata.name ?? ""}, requested: ${prettyPrint(mask(requested, exceeded))}, ` +
          `used: ${prettyPrint(mask(used, exceeded))}, limited: ${prettyPrint(mask(hard, exceeded))}`,
      };
    }
    charges.push({ quota, used: next, delta: requested });
  }
  return { allowed: true, charges };
}
