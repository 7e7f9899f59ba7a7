import type { Deployment, IntOrString } from "../../../api/index.ts";

/**
 * An int-or-percent scaled against `total` (intstr.GetScaledValueFromIntOrPercent):
 * a percentage rounds up or down as asked, an integer is taken as is. A
 * string that is not a percentage resolves to 0: validation rejects it, and
 * upstream's callers ignore the error the same way.
 */
export function scaledValue(value: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === "number") return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return 0;
  // Integer arithmetic gives the same result as Go's float64 ceil/floor for
  // every int32 input, without float rounding to worry about.
  const product = Number(m[1]) * total;
  return roundUp ? Math.ceil(product / 100) : Math.floor(product / 100);
}

export interface Fenceposts {
  maxSurge: number;
  maxUnavailable: number;
}

/**
 * Upstream ResolveFenceposts: maxSurge rounds up, maxUnavailable rounds down,
 * and when both come out 0 (validation forbids an explicit 0/0, rounding down
 * can still produce it) maxUnavailable becomes 1, on the theory that surging
 * may be impossible (a quota) while one unavailable pod always makes progress.
 */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): Fenceposts {
  const surge = scaledValue(maxSurge, desired, true);
  const unavailable = scaledValue(maxUnavailable, desired, false);
  return { maxSurge: surge, maxUnavailable: surge === 0 && unavailable === 0 ? 1 : unavailable };
}

export function isRollingUpdate(d: Deployment): boolean {
  return d.spec.strategy.type === "RollingUpdate";
}

/**
 * The fenceposts a Deployment rolls out with (upstream MaxSurge and
 * MaxUnavailable): Recreate has none; maxUnavailable is 0 at 0 replicas and
 * never more than replicas, so minAvailable never goes negative.
 */
export function deploymentFenceposts(d: Deployment): Fenceposts {
  const ru = d.spec.strategy.rollingUpdate;
  if (!isRollingUpdate(d) || !ru) return { maxSurge: 0, maxUnavailable: 0 };
  const replicas = d.spec.replicas;
  const f = resolveFenceposts(ru.maxSurge, ru.maxUnavailable, replicas);
  return { maxSurge: f.maxSurge, maxUnavailable: replicas === 0 ? 0 : Math.min(f.maxUnavailable, replicas) };
}

export function maxSurge(d: Deployment): number {
  return deploymentFenceposts(d).maxSurge;
}

export function maxUnavailable(d: Deployment): number {
  return deploymentFenceposts(d).maxUnavailable;
}

/** replicas − maxUnavailable: the availability a rollout never goes below. */
export function minAvailable(d: Deployment): number {
  return d.spec.replicas - maxUnavailable(d);
}
