import { describe, expect, it } from "vitest";
import type { KubeObject } from "../client/types.ts";
import { CONTROLLER_OWNER_INDEX, NAMESPACE_INDEX, objectKey } from "./indexers.ts";
import { Store } from "./store.ts";

interface Pod extends KubeObject {
  spec?: { nodeName?: string };
}

function pod(ns: string | undefined, name: string, extra: Partial<Pod> = {}): Pod {
  return { ...extra, metadata: { namespace: ns, name, ...extra.metadata } };
}

const owner = (uid: string, controller: boolean) => ({ apiVersion: "apps/v1", kind: "ReplicaSet", name: uid, uid, controller });
const names = (objs: KubeObject[]) => objs.map((o) => o.metadata?.name).sort();
const byNode = (p: Pod) => (p.spec?.nodeName ? [p.spec.nodeName] : []);

describe("Store", () => {
  it("keys namespaced objects as namespace/name and cluster-scoped ones as name", () => {
    expect(objectKey(pod("ns", "a"))).toBe("ns/a");
    expect(objectKey(pod(undefined, "node-1"))).toBe("node-1");
    const s = new Store<Pod>();
    s.upsert(pod("ns", "a"));
    s.upsert(pod(undefined, "b"));
    expect(s.keys().sort()).toEqual(["b", "ns/a"]);
    expect(s.get("ns/a")?.metadata?.name).toBe("a");
    expect(s.size).toBe(2);
  });

  it("returns the replaced object on upsert and the removed one on remove", () => {
    const s = new Store<Pod>();
    const v1 = pod("ns", "a", { metadata: { resourceVersion: "1" } });
    const v2 = pod("ns", "a", { metadata: { resourceVersion: "2" } });
    expect(s.upsert(v1)).toBeUndefined();
    expect(s.upsert(v2)).toBe(v1);
    expect(s.remove("ns/a")).toBe(v2);
    expect(s.remove("ns/a")).toBeUndefined();
    expect(s.list()).toEqual([]);
  });

  it("indexes by namespace", () => {
    const s = new Store<Pod>();
    s.upsert(pod("x", "a"));
    s.upsert(pod("x", "b"));
    s.upsert(pod("y", "c"));
    s.upsert(pod(undefined, "cluster"));
    expect(names(s.byIndex(NAMESPACE_INDEX, "x"))).toEqual(["a", "b"]);
    expect(names(s.byIndex(NAMESPACE_INDEX, "y"))).toEqual(["c"]);
    expect(s.byIndex(NAMESPACE_INDEX, "z")).toEqual([]);
  });

  it("indexes by the controller owner's UID only", () => {
    const s = new Store<Pod>();
    s.upsert(pod("x", "owned", { metadata: { ownerReferences: [owner("other", false), owner("rs-1", true)] } }));
    s.upsert(pod("x", "not-controlled", { metadata: { ownerReferences: [owner("rs-1", false)] } }));
    expect(names(s.byIndex(CONTROLLER_OWNER_INDEX, "rs-1"))).toEqual(["owned"]);
    expect(s.byIndex(CONTROLLER_OWNER_INDEX, "other")).toEqual([]);
  });

  it("moves an object between index values when it changes, and drops it on remove", () => {
    const s = new Store<Pod>();
    s.addIndexer("nodeName", byNode);
    s.upsert(pod("x", "a", { spec: { nodeName: "n1" } }));
    s.upsert(pod("x", "b", { spec: { nodeName: "n1" } }));
    s.upsert(pod("x", "a", { spec: { nodeName: "n2" } }));
    expect(names(s.byIndex("nodeName", "n1"))).toEqual(["b"]);
    expect(names(s.byIndex("nodeName", "n2"))).toEqual(["a"]);
    s.remove("x/b");
    expect(s.byIndex("nodeName", "n1")).toEqual([]);
  });

  it("builds a late index over the objects already cached", () => {
    const s = new Store<Pod>();
    s.upsert(pod("x", "a", { spec: { nodeName: "n1" } }));
    s.addIndexer("nodeName", byNode);
    expect(names(s.byIndex("nodeName", "n1"))).toEqual(["a"]);
  });

  it("accepts the same index function twice but not another under a taken name", () => {
    const s = new Store<Pod>();
    s.addIndexer("nodeName", byNode);
    expect(() => s.addIndexer("nodeName", byNode)).not.toThrow();
    expect(() => s.addIndexer("nodeName", () => [])).toThrow(/already exists/);
    expect(() => s.byIndex("nope", "v")).toThrow(/no index named nope/);
  });
});
