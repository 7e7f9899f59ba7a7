import { describe, expect, it } from "vitest";
import type { ReplicaSet } from "../../../api/index.ts";
import { deployment, replicaSetFor } from "../testdata/fixtures.ts";
import { MAX_REPLICAS_ANNOTATION, POD_TEMPLATE_HASH_LABEL } from "./constants.ts";
import {
  byCreationTimestamp,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  equalIgnoreHash,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  isSaturated,
  newRSNewReplicas,
  replicaSetFraction,
  replicaSetProportion,
} from "./replica-sets.ts";

const v1 = deployment({ replicas: 10 });
const v2 = deployment({ replicas: 10, image: "app:v2" });
const names = (rss: ReplicaSet[]) => rss.map((rs) => rs.metadata.name);
const named = (rs: ReplicaSet, name: string): ReplicaSet => ({ ...rs, metadata: { ...rs.metadata, name, uid: `uid-${name}` } });

describe("equalIgnoreHash", () => {
  it("ignores only the pod-template-hash label", () => {
    const rs = replicaSetFor(v1);
    expect(rs.spec.template.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL]).toBeTruthy();
    expect(equalIgnoreHash(rs.spec.template, v1.spec.template)).toBe(true);
    expect(equalIgnoreHash(rs.spec.template, v2.spec.template)).toBe(false);
    const relabeled = { ...v1.spec.template, metadata: { labels: { app: "web", tier: "x" } } };
    expect(equalIgnoreHash(rs.spec.template, relabeled)).toBe(false);
  });

  it("treats empty and absent lists and maps alike, as Go's semantic equality does", () => {
    const t = v1.spec.template;
    expect(equalIgnoreHash(t, { ...t, metadata: { ...t.metadata, annotations: {} }, spec: { ...t.spec, volumes: [] } })).toBe(true);
  });
});

describe("new and old ReplicaSets", () => {
  it("takes the oldest ReplicaSet with the Deployment's template as the new one", () => {
    const a = named(replicaSetFor(v2, { created: 20 }), "b-late");
    const b = named(replicaSetFor(v2, { created: 10 }), "z-early");
    const old = replicaSetFor(v1, { created: 0 });
    expect(findNewReplicaSet(v2, [a, old, b])?.metadata.name).toBe("z-early");
    expect(names(findOldReplicaSets(v2, [a, old, b]))).toEqual(["b-late", old.metadata.name]);
    expect(findNewReplicaSet(deployment({ image: "app:v3" }), [a, old, b])).toBeUndefined();
  });
});

describe("orders", () => {
  const x = named(replicaSetFor(v1, { replicas: 3, created: 5, revision: 2 }), "x");
  const y = named(replicaSetFor(v1, { replicas: 3, created: 1, revision: 9 }), "y");
  const z = named(replicaSetFor(v1, { replicas: 5, created: 5, revision: 1 }), "z");

  it("sorts by age, then name", () => {
    expect(names([x, y, z].sort(byCreationTimestamp))).toEqual(["y", "x", "z"]);
  });

  it("sorts by size, ties older first or newer first", () => {
    expect(names([x, y, z].sort(bySizeOlder))).toEqual(["z", "y", "x"]);
    expect(names([x, y, z].sort(bySizeNewer))).toEqual(["z", "x", "y"]);
  });

  it("sorts by revision", () => {
    expect(names([x, y, z].sort(byRevision))).toEqual(["z", "x", "y"]);
  });
});

describe("findActiveOrLatest", () => {
  it("returns the only active one, the newest when none is active, nothing when several are", () => {
    const newRS = replicaSetFor(v2, { replicas: 0, created: 10 });
    const oldA = named(replicaSetFor(v1, { replicas: 0, created: 1 }), "a");
    const oldB = named(replicaSetFor(v1, { replicas: 0, created: 2 }), "b");
    expect(findActiveOrLatest(undefined, [])).toBeUndefined();
    expect(findActiveOrLatest(newRS, [oldA, oldB])).toBe(newRS);
    expect(findActiveOrLatest(undefined, [oldA, oldB])?.metadata.name).toBe("b");
    const activeA = { ...oldA, spec: { ...oldA.spec, replicas: 2 } };
    expect(findActiveOrLatest(newRS, [activeA, oldB])).toBe(activeA);
    expect(findActiveOrLatest({ ...newRS, spec: { ...newRS.spec, replicas: 1 } }, [activeA, oldB])).toBeUndefined();
  });
});

describe("isSaturated", () => {
  it("needs spec, desired annotation and available all at replicas", () => {
    expect(isSaturated(v2, replicaSetFor(v2, { replicas: 10, available: 10 }))).toBe(true);
    expect(isSaturated(v2, replicaSetFor(v2, { replicas: 10, available: 9 }))).toBe(false);
    expect(isSaturated(v2, replicaSetFor(v2, { replicas: 10, available: 10, desired: 8 }))).toBe(false);
    expect(isSaturated(v2, undefined)).toBe(false);
  });
});

describe("newRSNewReplicas", () => {
  it("grows the new ReplicaSet within replicas + maxSurge and replicas", () => {
    const old = replicaSetFor(v1, { replicas: 10 });
    const fresh = replicaSetFor(v2, { replicas: 0 });
    expect(newRSNewReplicas(v2, [old, fresh], fresh)).toBe(3);
    const grown = replicaSetFor(v2, { replicas: 5 });
    expect(newRSNewReplicas(v2, [{ ...old, spec: { ...old.spec, replicas: 8 } }, grown], grown)).toBe(5);
    expect(newRSNewReplicas(v2, [{ ...old, spec: { ...old.spec, replicas: 2 } }, grown], grown)).toBe(10);
  });

  it("goes straight to replicas for Recreate", () => {
    const d = deployment({ replicas: 4, strategy: { type: "Recreate" } });
    const fresh = replicaSetFor(d);
    expect(newRSNewReplicas(d, [replicaSetFor(v1, { replicas: 10 }), fresh], fresh)).toBe(4);
  });
});

describe("proportions", () => {
  const d30 = deployment({ replicas: 30, maxSurge: 3, maxUnavailable: 2, status: { replicas: 13 } });

  it("scales a ReplicaSet by the new maximum over the one it was last scaled at", () => {
    const old = replicaSetFor(v1, { replicas: 8, max: 13 });
    expect(replicaSetFraction(old, d30)).toBe(12);
    expect(replicaSetProportion(old, d30, 20, 0)).toBe(12);
    expect(replicaSetProportion(old, d30, 20, 15)).toBe(5);
  });

  it("falls back to status.replicas without the annotation, and to nothing when that is 0", () => {
    const bare = replicaSetFor(v1, { replicas: 8 });
    delete bare.metadata.annotations?.[MAX_REPLICAS_ANNOTATION];
    expect(replicaSetFraction(bare, d30)).toBe(Math.round((8 * 33) / 13) - 8);
    expect(replicaSetFraction(bare, deployment({ replicas: 30, maxSurge: 3, maxUnavailable: 2 }))).toBe(0);
  });

  it("takes everything away when scaling to 0, and never grows an empty ReplicaSet", () => {
    const old = replicaSetFor(v1, { replicas: 8, max: 13 });
    expect(replicaSetFraction(old, deployment({ replicas: 0 }))).toBe(-8);
    expect(replicaSetProportion(replicaSetFor(v1, { replicas: 0, max: 13 }), d30, 20, 0)).toBe(0);
  });
});
