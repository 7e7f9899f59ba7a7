import type { Lease } from "./lease-record.ts";

/**
 * What one candidate should do with the lease it just read, as client-go's
 * tryAcquireOrRenew decides. Expiry is judged from when *we* last saw the
 * record change (observedAt, our clock), not from renewTime (the holder's
 * clock), so clock skew between candidates cannot steal a live lease.
 */
export type LeaseDecision =
  | { action: "create" }
  | { action: "renew" }
  | { action: "take"; transitions: number }
  | { action: "wait"; holder: string };

export interface Observation {
  /** The lease as read, or undefined when it does not exist. */
  lease: Lease | undefined;
  /** Our clock when the lease's spec last changed (or first seen). */
  observedAt: number;
  now: number;
  identity: string;
}

export function decideLease({ lease, observedAt, now, identity }: Observation): LeaseDecision {
  if (!lease) return { action: "create" };
  const spec = lease.spec ?? {};
  const holder = spec.holderIdentity ?? "";
  if (holder === identity) return { action: "renew" };
  const durationMs = (spec.leaseDurationSeconds ?? 0) * 1000;
  // An empty holder is a released lease: free to take at once.
  if (holder !== "" && observedAt + durationMs > now) return { action: "wait", holder };
  return { action: "take", transitions: (spec.leaseTransitions ?? 0) + 1 };
}

/** The spec we write for a create, renew or take. */
export function nextSpec(lease: Lease | undefined, decision: LeaseDecision, identity: string, leaseDurationSeconds: number, now: string): NonNullable<Lease["spec"]> {
  const spec = lease?.spec ?? {};
  switch (decision.action) {
    case "renew":
      return { ...spec, holderIdentity: identity, leaseDurationSeconds, renewTime: now };
    case "take":
      return { holderIdentity: identity, leaseDurationSeconds, acquireTime: now, renewTime: now, leaseTransitions: decision.transitions };
    default:
      return { holderIdentity: identity, leaseDurationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 };
  }
}

/** The spec that gives the lease up on shutdown, so a successor need not wait for expiry. */
export function releasedSpec(lease: Lease, now: string): NonNullable<Lease["spec"]> {
  return { ...lease.spec, holderIdentity: "", leaseDurationSeconds: 1, renewTime: now, acquireTime: now };
}
