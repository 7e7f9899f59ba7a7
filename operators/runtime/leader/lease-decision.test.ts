import { describe, expect, it } from "vitest";
import { decideLease, nextSpec, releasedSpec } from "./lease-decision.ts";
import type { Lease } from "./lease-record.ts";

const lease = (holderIdentity: string, leaseDurationSeconds = 15, leaseTransitions = 2): Lease => ({
  metadata: { name: "l", namespace: "ns", resourceVersion: "7" },
  spec: { holderIdentity, leaseDurationSeconds, leaseTransitions, renewTime: "2026-01-01T00:00:00.000000Z" },
});

describe("decideLease", () => {
  it("creates a missing lease", () => {
    expect(decideLease({ lease: undefined, observedAt: 0, now: 0, identity: "a" })).toEqual({ action: "create" });
  });

  it("renews its own lease even when our observation is old", () => {
    expect(decideLease({ lease: lease("a"), observedAt: 0, now: 60_000, identity: "a" })).toEqual({ action: "renew" });
  });

  it("waits while another holder's lease is live by our own clock", () => {
    expect(decideLease({ lease: lease("b"), observedAt: 10_000, now: 24_999, identity: "a" })).toEqual({ action: "wait", holder: "b" });
  });

  it("takes an expired lease and counts the transition", () => {
    expect(decideLease({ lease: lease("b"), observedAt: 10_000, now: 25_001, identity: "a" })).toEqual({ action: "take", transitions: 3 });
  });

  it("takes a released lease at once", () => {
    expect(decideLease({ lease: lease(""), observedAt: 10_000, now: 10_001, identity: "a" })).toEqual({ action: "take", transitions: 3 });
  });
});

describe("lease specs", () => {
  it("keeps acquireTime and transitions on renew", () => {
    const current = { ...lease("a"), spec: { ...lease("a").spec, acquireTime: "then" } };
    expect(nextSpec(current, { action: "renew" }, "a", 15, "now")).toMatchObject({ acquireTime: "then", renewTime: "now", leaseTransitions: 2 });
  });

  it("resets acquireTime on take", () => {
    expect(nextSpec(lease("b"), { action: "take", transitions: 3 }, "a", 15, "now")).toEqual({
      holderIdentity: "a",
      leaseDurationSeconds: 15,
      acquireTime: "now",
      renewTime: "now",
      leaseTransitions: 3,
    });
  });

  it("release empties the holder", () => {
    expect(releasedSpec(lease("a"), "now")).toMatchObject({ holderIdentity: "", leaseDurationSeconds: 1 });
  });
});
