// The pod-deletion-cost annotation (upstream
// pkg/apis/core/helper GetDeletionCostFromPodAnnotations): a user's hint of
// which pods a ReplicaSet should remove first when it scales down.

export const POD_DELETION_COST_ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export type DeletionCost = { ok: true; cost: number } | { ok: false; cost: 0; error: string };

/**
 * Parses an annotation value as upstream does: a base-10 int32, with no plus
 * sign and no leading zeros ("+10" and "008" are invalid, "-08" is -8, as Go's
 * strconv.ParseInt reads it). An invalid value costs 0, as upstream defaults it.
 */
export function parseDeletionCost(value: string): DeletionCost {
  const invalid = (error: string): DeletionCost => ({ ok: false, cost: 0, error });
  if (!validFirstDigit(value)) return invalid(`invalid value "${value}"`);
  if (!/^-?[0-9]+$/.test(value)) return invalid(`strconv.ParseInt: parsing "${value}": invalid syntax`);
  const n = Number(value);
  if (n < INT32_MIN || n > INT32_MAX) return invalid(`strconv.ParseInt: parsing "${value}": value out of range`);
  // Number("-0") is -0; upstream's int32 has no negative zero.
  return { ok: true, cost: n === 0 ? 0 : n };
}

/** Upstream validFirstDigit: "-", a lone "0", or 1-9. */
function validFirstDigit(s: string): boolean {
  const c = s[0];
  if (c === undefined) return false;
  return c === "-" || s === "0" || (c >= "1" && c <= "9");
}

/** The pod's deletion cost: 0 when the annotation is absent or invalid. */
export function podDeletionCost(annotations: Readonly<Record<string, string>> | undefined): number {
  const value = annotations?.[POD_DELETION_COST_ANNOTATION];
  return value === undefined ? 0 : parseDeletionCost(value).cost;
}
