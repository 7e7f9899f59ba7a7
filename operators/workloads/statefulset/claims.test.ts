import { describe, expect, it } from "vitest";
import { kinds } from "../../api/index.ts";
import { claimOwnerRefsFor, hasUnexpectedController, isClaimOwnerUpToDate, newClaims, podClaimIsStale } from "./claims.ts";
import { claimObject, makeSet, setRef } from "./testing.ts";

const podRef = (uid = "pod-uid", name = "web-1") => ({ apiVersion: kinds.Pod.apiVersion, kind: "Pod", name, uid, controller: true, blockOwnerDeletion: true });
const pod = { name: "web-1", uid: "pod-uid" };

describe("newClaims", () => {
  it("names each claim <template>-<set>-<ordinal> and labels it with the template's labels and the selector's", () => {
    const set = makeSet({ claimTemplates: ["data", "logs"] });
    const claims = newClaims(set, 2);
    expect([...claims.keys()]).toEqual(["data", "logs"]);
    expect(claims.get("data")).toEqual({
      apiVersion: kinds.PersistentVolumeClaim.apiVersion,
      kind: "PersistentVolumeClaim",
      metadata: { name: "data-web-2", namespace: "ns", labels: { tier: "data", app: "web" } },
      spec: set.spec.volumeClaimTemplates?.[0]?.spec,
    });
  });
});

describe("retention policy owner references", () => {
  const policies = [
    ["Retain", "Retain", [], []],
    ["Delete", "Retain", ["set"], ["set"]],
    ["Retain", "Delete", [], ["pod"]],
    ["Delete", "Delete", ["set"], ["pod"]],
  ] as const;

  it.each(policies)("whenDeleted=%s whenScaled=%s: a pod in range wants %j, a scaled-down one %j", (whenDeleted, whenScaled, inRange, scaledDown) => {
    const set = makeSet({ retention: { whenDeleted, whenScaled } });
    const refsFor = (owners: readonly string[]) => owners.map((o) => (o === "set" ? setRef() : podRef()));
    for (const [down, want] of [
      [false, inRange],
      [true, scaledDown],
    ] as const) {
      const bare = claimObject("data-web-1");
      expect(claimOwnerRefsFor(bare, set, pod, down)).toEqual(refsFor(want));
      expect(isClaimOwnerUpToDate(bare, set, pod, down)).toBe(want.length === 0);
      const done = claimObject("data-web-1", refsFor(want));
      expect(isClaimOwnerUpToDate(done, set, pod, down)).toBe(true);
      expect(claimOwnerRefsFor(done, set, pod, down)).toEqual(refsFor(want));
    }
  });

  it("scrubs ours and keeps other owners when the policy changes back to Retain", () => {
    const other = { apiVersion: "v1", kind: "ConfigMap", name: "cm", uid: "cm-1" };
    const set = makeSet();
    const claim = claimObject("data-web-1", [other, setRef()]);
    expect(isClaimOwnerUpToDate(claim, set, pod, false)).toBe(false);
    expect(claimOwnerRefsFor(claim, set, pod, false)).toEqual([other]);
  });

  it("leaves a claim alone that a previous incarnation of the pod owns", () => {
    const set = makeSet({ retention: { whenScaled: "Delete" } });
    const claim = claimObject("data-web-1", [podRef("old-pod-uid")]);
    expect(isClaimOwnerUpToDate(claim, set, pod, false)).toBe(true);
  });

  it("applies no policy under another controller, only removes ours", () => {
    const set = makeSet({ retention: { whenDeleted: "Delete" } });
    const foreign = { apiVersion: "example.com/v1", kind: "Db", name: "db", uid: "db-1", controller: true };
    expect(hasUnexpectedController(claimObject("c", [foreign]), set, pod)).toBe(true);
    expect(isClaimOwnerUpToDate(claimObject("c", [foreign]), set, pod, false)).toBe(true);
    expect(isClaimOwnerUpToDate(claimObject("c", [foreign, setRef()]), set, pod, false)).toBe(false);
    expect(claimOwnerRefsFor(claimObject("c", [foreign, setRef()]), set, pod, false)).toEqual([foreign]);
    // Under Retain/Retain nothing is unexpected.
    expect(hasUnexpectedController(claimObject("c", [foreign]), makeSet(), pod)).toBe(false);
  });

  it("fixes a reference of ours that is not a controller reference", () => {
    const set = makeSet({ retention: { whenDeleted: "Delete" } });
    const claim = claimObject("c", [{ ...setRef(), controller: false }]);
    expect(isClaimOwnerUpToDate(claim, set, pod, false)).toBe(false);
    expect(claimOwnerRefsFor(claim, set, pod, false)).toEqual([setRef()]);
  });
});

describe("podClaimIsStale", () => {
  it("is stale under whenScaled=Delete when a claim still names a pod of that name", () => {
    const set = makeSet({ retention: { whenScaled: "Delete" } });
    expect(podClaimIsStale(set, "web-1", [claimObject("data-web-1", [podRef("old")])])).toBe(true);
    expect(podClaimIsStale(set, "web-1", [claimObject("data-web-1", [setRef()]), undefined])).toBe(false);
    expect(podClaimIsStale(makeSet(), "web-1", [claimObject("data-web-1", [podRef("old")])])).toBe(false);
  });
});
