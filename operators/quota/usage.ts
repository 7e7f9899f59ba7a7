// The usage controller's arithmetic (upstream pkg/controller/resourcequota
// syncResourceQuota and quota/v1 CalculateUsage), pure: what a quota's
// status must be, given the objects of its namespace.
import type { ResourceQuota, ResourceQuotaStatus } from "../api/index.ts";
import { Quantity } from "../common/quantity.ts";
import { addUsage, matches, quotaScopes, type Evaluator, type QuotaObject, type Usage } from "./evaluators/evaluator.ts";

/** spec.hard as quantities: the limits this quota enforces. */
export function hardOf(quota: ResourceQuota): Usage {
  return new Map(Object.entries(quota.spec.hard ?? {}).map(([k, v]) => [k, Quantity.parse(v)]));
}

/** status.used as quantities (absent keys are absent: "status unknown"). */
export function usedOf(quota: ResourceQuota): Usage {
  return new Map(Object.entries(quota.status?.used ?? {}).map(([k, v]) => [k, Quantity.parse(v)]));
}

/** The entries of `usage` whose names are in `names` (upstream quota.Mask). */
export function mask(usage: Usage, names: Iterable<string>): Usage {
  const out: Usage = new Map();
  for (const n of names) {
    const q = usage.get(n);
    if (q) out.set(n, q);
  }
  return out;
}

export interface NamespaceObjects {
  /** The objects of the evaluator's kind in the quota's namespace, normalized. */
  objectsOf(evaluator: Evaluator): Iterable<QuotaObject>;
}

/**
 * Usage of every hard resource, zeros included: Σ usage of the objects each
 * evaluator matches under the quota's scopes, plus `reserved` (admitted by
 * the webhook, not yet seen in the caches).
 */
export function calculateUsage(quota: ResourceQuota, evaluators: readonly Evaluator[], objects: NamespaceObjects, reserved: Iterable<Usage>, now: Date): Usage {
  const hardNames = Object.keys(quota.spec.hard ?? {});
  const scopes = quotaScopes(quota.spec);
  const total: Usage = new Map();
  for (const evaluator of evaluators) {
    const tracked = evaluator.matchingResources(hardNames);
    if (tracked.length === 0) continue;
    for (const obj of objects.objectsOf(evaluator)) {
      if (matches(evaluator, hardNames, scopes, obj, now)) addUsage(total, mask(evaluator.usage(obj, now), tracked));
    }
  }
  for (const r of reserved) addUsage(total, mask(r, hardNames));
  return new Map(hardNames.map((n) => [n, total.get(n) ?? Quantity.zero()]));
}

const isLimit = (name: string) => name.split(".")[0] === "limits" && name.includes(".");

/** kubectl's REQUEST and LIMIT columns: "name: used/hard, ..." sorted by name, limits.* apart. */
function displayColumns(hard: Usage, used: Usage): { request: string; limit: string } {
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of [...hard.keys()].sort()) {
    (isLimit(name) ? limit : request).push(`${name}: ${(used.get(name) ?? Quantity.zero()).toString()}/${hard.get(name)?.toString() ?? "0"}`);
  }
  return { request: request.join(", "), limit: limit.join(", ") };
}

const toStrings = (usage: Usage) => Object.fromEntries([...usage].map(([k, q]) => [k, q.toString()]));

/** The status to write: hard = spec.hard, used with exactly the hard keys, and the display columns. */
export function quotaStatus(quota: ResourceQuota, used: Usage): ResourceQuotaStatus {
  const hard = hardOf(quota);
  const { request, limit } = displayColumns(hard, used);
  return { hard: toStrings(hard), used: toStrings(mask(used, hard.keys())), request, limit };
}
