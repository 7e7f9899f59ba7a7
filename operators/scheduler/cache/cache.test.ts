import { describe, expect, it } from "vitest";
import { FakeClock } from "../../runtime/queue/fake-clock.ts";
import type { PodLike } from "../framework/objects.ts";
import { makeNode, makePod } from "../framework/testing.ts";
import { SchedulerCache } from "./cache.ts";
import { MIRROR_POD_API_VERSION, MIRROR_POD_LABEL } from "./mirror.ts";

function mirror(name: string, node?: string, extra: Parameters<typeof makePod>[1] = {}): PodLike {
  return { apiVersion: MIRROR_POD_API_VERSION, kind: "Pod", ...makePod(name, { nodeName: node, requests: { cpu: "1" }, ...extra }) };
}

function realized(m: PodLike, node: string, extra: Parameters<typeof makePod>[1] = {}): PodLike {
  const name = m.metadata?.name ?? "";
  return makePod(name, {
    nodeName: node,
    requests: { cpu: "1" },
    uid: `real-${name}`,
    labels: { [MIRROR_POD_LABEL]: name },
    ownerReferences: [{ apiVersion: MIRROR_POD_API_VERSION, kind: "Pod", name, uid: m.metadata?.uid ?? "", controller: true }],
    ...extra,
  });
}

function cpu(cache: SchedulerCache, node: string): number | undefined {
  return cache.snapshot().get(node)?.requested.milliCPU;
}

describe("SchedulerCache", () => {
  it("counts bound real pods, whoever manages them, and not unbound or finished ones", () => {
    const cache = new SchedulerCache();
    cache.upsertNode(makeNode("n"));
    cache.upsertRealPod(makePod("kube-proxy", { namespace: "kube-system", nodeName: "n", requests: { cpu: "100m" } }));
    cache.upsertRealPod(makePod("pending", { requests: { cpu: "1" } }));
    cache.upsertRealPod(makePod("job", { nodeName: "n", requests: { cpu: "1" }, phase: "Succeeded" }));
    expect(cpu(cache, "n")).toBe(100);
    expect(cache.snapshot().get("n")?.pods.map((p) => p.name)).toEqual(["kube-proxy"]);
  });

  it("counts a mirror Pod and its realized real Pod once", () => {
    const cache = new SchedulerCache();
    cache.upsertNode(makeNode("n"));
    const m = mirror("web", "n");
    cache.upsertMirrorPod(m);
    expect(cpu(cache, "n")).toBe(1000);
    cache.upsertRealPod(realized(m, "n"));
    expect(cpu(cache, "n")).toBe(1000);
    expect(cache.countedPods()).toEqual([{ key: "default/web", node: "n", source: "real", assumed: false }]);
    // The real Pod finishing frees the node even before the mirror Pod's status catches up.
    cache.upsertRealPod(realized(m, "n", { phase: "Failed" }));
    expect(cpu(cache, "n")).toBe(0);
    // The real Pod gone (evicted): the bound mirror Pod holds its place again until it is replaced.
    cache.deleteRealPod(realized(m, "n"));
    expect(cpu(cache, "n")).toBe(1000);
    cache.deleteMirrorPod(m);
    expect(cpu(cache, "n")).toBe(0);
    expect(cache.countedPods()).toEqual([]);
  });

  it("counts both when the real Pod of that name is not this mirror Pod's", () => {
    const cache = new SchedulerCache();
    cache.upsertNode(makeNode("n"));
    const m = mirror("web", "n");
    cache.upsertMirrorPod(m);
    cache.upsertRealPod(makePod("web", { nodeName: "n", requests: { cpu: "1" } }));
    expect(cpu(cache, "n")).toBe(2000);
    // A real Pod left over from an earlier mirror Pod of the same name (other uid).
    cache.upsertRealPod(realized(mirror("web", "n", { uid: "old" }), "n"));
    expect(cpu(cache, "n")).toBe(2000);
    cache.upsertRealPod(realized(m, "n"));
    expect(cpu(cache, "n")).toBe(1000);
  });

  it("counts assumed pods until confirmed, forgotten or expired", () => {
    const clock = new FakeClock();
    const cache = new SchedulerCache({ clock, assumedPodTTLMs: 30_000 });
    cache.upsertNode(makeNode("a"));
    cache.upsertNode(makeNode("b"));
    const m = mirror("web");
    cache.upsertMirrorPod(m);
    expect(cpu(cache, "a")).toBe(0);

    cache.assume(m, "a");
    expect(cache.isAssumed(m)).toBe(true);
    expect(cpu(cache, "a")).toBe(1000);
    // A stale unbound copy from the informer does not undo the decision.
    cache.upsertMirrorPod(m);
    expect(cpu(cache, "a")).toBe(1000);
    cache.forget(m);
    expect(cpu(cache, "a")).toBe(0);

    cache.assume(m, "a");
    cache.upsertMirrorPod(mirror("web", "a"));
    expect(cache.isAssumed(m)).toBe(false);
    expect(cpu(cache, "a")).toBe(1000);
    cache.deleteMirrorPod(m);

    const other = mirror("api");
    cache.assume(other, "b");
    clock.advance(60_000);
    expect(cpu(cache, "b")).toBe(1000); // no expiry before the bind finished
    cache.finishBinding(other);
    clock.advance(29_999);
    expect(cpu(cache, "b")).toBe(1000);
    clock.advance(1);
    expect(cpu(cache, "b")).toBe(0);
    expect(cache.isAssumed(other)).toBe(false);
  });

  it("keeps pods of a deleted node counted, out of snapshots, until they leave", () => {
    const cache = new SchedulerCache();
    cache.upsertNode(makeNode("n"));
    cache.upsertRealPod(makePod("p", { nodeName: "n", requests: { cpu: "1" } }));
    cache.deleteNode("n");
    expect(cache.snapshot().get("n")).toBeUndefined();
    expect(cache.getNodeInfo("n")?.requested.milliCPU).toBe(1000);
    cache.upsertNode(makeNode("n"));
    expect(cpu(cache, "n")).toBe(1000);
    cache.deleteNode("n");
    cache.deleteRealPod("default/p");
    expect(cache.getNodeInfo("n")).toBeUndefined();
  });

  it("hands out snapshots that later events do not change, sharing unchanged nodes", () => {
    const cache = new SchedulerCache();
    cache.upsertNode(makeNode("a"));
    cache.upsertNode(makeNode("b"));
    const first = cache.snapshot();
    cache.upsertRealPod(makePod("p", { nodeName: "a", requests: { cpu: "1" } }));
    const second = cache.snapshot();
    expect(first.get("a")?.requested.milliCPU).toBe(0);
    expect(second.get("a")?.requested.milliCPU).toBe(1000);
    expect(second.get("b")).toBe(first.get("b"));
    expect(second.get("a")).not.toBe(first.get("a"));
    expect(second.nodeInfos.map((n) => n.name)).toEqual(["a", "b"]);
  });

  it("passes namespace labels to the snapshot", () => {
    const cache = new SchedulerCache();
    cache.upsertNamespace("data", { team: "storage" });
    expect(cache.snapshot().namespaceLabels("data")).toEqual({ team: "storage" });
    cache.deleteNamespace("data");
    expect(cache.snapshot().namespaceLabels("data")).toBeUndefined();
  });

  it("follows a pod whose node changes (a mirror Pod following its real Pod)", () => {
    const cache = new SchedulerCache();
    cache.upsertNode(makeNode("a"));
    cache.upsertNode(makeNode("b"));
    cache.upsertRealPod(makePod("p", { nodeName: "a", requests: { cpu: "1" } }));
    cache.upsertRealPod(makePod("p", { nodeName: "b", requests: { cpu: "1" } }));
    expect([cpu(cache, "a"), cpu(cache, "b")]).toEqual([0, 1000]);
  });
});
