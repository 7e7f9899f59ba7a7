// Condition lists keyed by type, as every workload status has them.
import type { Condition } from "../../api/index.ts";

/** The condition of this type, if present (upstream GetCondition of each kind). */
export function findCondition<C extends Pick<Condition, "type">>(conditions: readonly C[] | undefined, type: string): C | undefined {
  return conditions?.find((c) => c.type === type);
}

/** The list without conditions of this type (upstream filterOutCondition); undefined when nothing remains, so an empty list is not written. */
export function withoutCondition<C extends Pick<Condition, "type">>(conditions: readonly C[] | undefined, type: string): C[] | undefined {
  const rest = (conditions ?? []).filter((c) => c.type !== type);
  return rest.length > 0 ? rest : undefined;
}

/** metav1.Time as the API server writes it: RFC 3339 in UTC, to the second. */
export function formatTime(t: Date): string {
  return t.toISOString().replace(/\.\d{3}Z$/, "Z");
}
