// Quota for mirror PersistentVolumeClaims (upstream pkg/quota/v1/evaluator/core/persistent_volume_claims.go).
import { kinds } from "../../api/index.ts";
import { tryParseQuantity, type Quantity } from "../../common/quantity.ts";
import * as R from "../resource-names.ts";
import { ONE, type Evaluator, type QuotaObject, type Usage } from "./evaluator.ts";

interface QuotaClaim {
  metadata?: { annotations?: Record<string, string> };
  spec?: { storageClassName?: string; resources?: { requests?: Record<string, string | number> } };
  status?: { allocatedResources?: Record<string, string | number> };
}

/** The beta annotation wins over spec.storageClassName, as upstream's GetPersistentVolumeClaimClass. */
const BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";
const COUNT_NAMES = R.objectCountNames(kinds.PersistentVolumeClaim);
const RESOURCES = new Set([...COUNT_NAMES, R.PERSISTENT_VOLUME_CLAIMS, R.REQUESTS_STORAGE]);

function className(claim: QuotaClaim): string {
  return claim.metadata?.annotations?.[BETA_STORAGE_CLASS] ?? claim.spec?.storageClassName ?? "";
}

function isPerClassName(name: string): boolean {
  return R.STORAGE_CLASS_SUFFIXES.some((suffix) => name.endsWith(`${suffix}${R.REQUESTS_STORAGE}`) || name.endsWith(`${suffix}${R.PERSISTENT_VOLUME_CLAIMS}`));
}

/** The storage charged: the request, or what an expansion already allocated if more. */
function storage(claim: QuotaClaim): Quantity | undefined {
  const request = tryParseQuantity(claim.spec?.resources?.requests?.storage);
  const allocated = tryParseQuantity(claim.status?.allocatedResources?.storage);
  if (!request) return allocated;
  return allocated && allocated.cmp(request) > 0 ? allocated : request;
}

function usage(obj: QuotaObject): Usage {
  const claim = obj as QuotaClaim;
  const cls = className(claim);
  const result: Usage = new Map([...COUNT_NAMES.map((n) => [n, ONE] as const), [R.PERSISTENT_VOLUME_CLAIMS, ONE]]);
  for (const suffix of cls ? R.STORAGE_CLASS_SUFFIXES : []) result.set(`${cls}${suffix}${R.PERSISTENT_VOLUME_CLAIMS}`, ONE);
  const requested = storage(claim);
  if (requested) {
    result.set(R.REQUESTS_STORAGE, requested);
    for (const suffix of cls ? R.STORAGE_CLASS_SUFFIXES : []) result.set(`${cls}${suffix}${R.REQUESTS_STORAGE}`, requested);
  }
  return result;
}

export const persistentVolumeClaimEvaluator: Evaluator = {
  kind: kinds.PersistentVolumeClaim,
  // An expansion raises requests.storage.
  handles: (operation) => operation === "CREATE" || operation === "UPDATE",
  matchingResources: (input) => input.filter((n) => RESOURCES.has(n) || isPerClassName(n)),
  // VolumeAttributesClass scopes are not supported: a scoped quota does not select claims.
  matchesScope: () => false,
  constraints: () => undefined,
  usage,
  normalize: (raw) => raw,
};
