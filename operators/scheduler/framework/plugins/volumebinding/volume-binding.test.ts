import { describe, expect, it } from "vitest";
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from "../../../../api/index.ts";
import { boundTo, pv, pvc, storageClass } from "../../../../storage/testing.ts";
import type { PodLike } from "../../objects.ts";
import { schedulePod } from "../../schedule-one.ts";
import { snapshotFromObjects } from "../../snapshot.ts";
import { filterWith, makeNode, makePod, seededRandom } from "../../testing.ts";
import { findPodVolumes, podVolumeClaims, type VolumeListers } from "./binder.ts";
import { volumeBinding } from "./volume-binding.ts";

function listers(o: { volumes?: PersistentVolume[]; claims?: PersistentVolumeClaim[]; classes?: StorageClass[] }): VolumeListers {
  return {
    claim: (namespace, name) => o.claims?.find((c) => c.metadata.namespace === namespace && c.metadata.name === name),
    volume: (name) => o.volumes?.find((v) => v.metadata.name === name),
    volumes: () => o.volumes ?? [],
    storageClass: (name) => o.classes?.find((c) => c.metadata.name === name),
  };
}

function podWith(...claimNames: string[]): PodLike {
  const pod = makePod("p", { namespace: "ns" });
  return { ...pod, spec: { ...pod.spec, volumes: claimNames.map((claimName, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName } })) } as PodLike["spec"] };
}

const snapshot = snapshotFromObjects([makeNode("n1"), makeNode("n2")]);
const completed = { "pv.kubernetes.io/bind-completed": "yes" };
const U = "UnschedulableAndUnresolvable: ";

function boundPair(name: string, node?: string): { claim: PersistentVolumeClaim; volume: PersistentVolume } {
  const claim = pvc(name, "1Gi", { volumeName: `pv-${name}`, annotations: completed, phase: "Bound" });
  return { claim, volume: boundTo(pv(`pv-${name}`, "1Gi", { node }), claim) };
}

describe("VolumeBinding", () => {
  it("skips a pod without claims", () => {
    expect(filterWith(volumeBinding(listers({})), makePod("p"), snapshot)).toEqual({ n1: null, n2: null });
  });

  it("refuses a missing, lost or deleted claim, and an unbound immediate one, with upstream's messages", () => {
    const lost = pvc("lost", "1Gi", { phase: "Lost", volumeName: "gone", annotations: completed });
    const deleting = pvc("deleting", "1Gi", { deleting: true });
    const pending = pvc("pending", "1Gi");
    const plugin = volumeBinding(listers({ claims: [lost, deleting, pending] }));
    expect(filterWith(plugin, podWith("nope"), snapshot).n1).toBe(`${U}persistentvolumeclaim "nope" not found`);
    expect(filterWith(plugin, podWith("lost"), snapshot).n1).toBe(`${U}persistentvolumeclaim "lost" bound to non-existent persistentvolume "gone"`);
    expect(filterWith(plugin, podWith("deleting"), snapshot).n1).toBe(`${U}persistentvolumeclaim "deleting" is being deleted`);
    expect(filterWith(plugin, podWith("pending"), snapshot).n1).toBe(`${U}pod has unbound immediate PersistentVolumeClaims`);
  });

  it("keeps the nodes a bound claim's PV admits", () => {
    const a = boundPair("a", "n1");
    const plugin = volumeBinding(listers({ claims: [a.claim], volumes: [a.volume] }));
    expect(filterWith(plugin, podWith("a"), snapshot)).toEqual({ n1: null, n2: `${U}node(s) had volume node affinity conflict` });
    const orphan = boundPair("b");
    expect(filterWith(volumeBinding(listers({ claims: [orphan.claim] })), podWith("b"), snapshot).n1).toBe(`${U}node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)`);
  });

  it("matches WaitForFirstConsumer claims to free PVs on the node, or provisions where the class allows", () => {
    const wffc = storageClass("local", { mode: "WaitForFirstConsumer", provisioner: "kubernetes.io/no-provisioner" });
    const claim = pvc("c", "1Gi", { className: "local" });
    const volumes = [pv("on-n2", "5Gi", { className: "local", node: "n2" })];
    const plugin = volumeBinding(listers({ claims: [claim], volumes, classes: [wffc] }));
    expect(filterWith(plugin, podWith("c"), snapshot)).toEqual({ n1: `${U}node(s) didn't find available persistent volumes to bind`, n2: null });

    const hostpath = storageClass("hp", { mode: "WaitForFirstConsumer", allowedTopologies: [{ matchLabelExpressions: [{ key: "kubernetes.io/hostname", values: ["n1"] }] }] });
    const dynamic = pvc("d", "1Gi", { className: "hp" });
    expect(filterWith(volumeBinding(listers({ claims: [dynamic], classes: [hostpath] })), podWith("d"), snapshot)).toEqual({
      n1: null,
      n2: `${U}node(s) didn't find available persistent volumes to bind`,
    });
  });

  it("holds a claim being provisioned for one node to that node", () => {
    const cls = storageClass("hp", { mode: "WaitForFirstConsumer" });
    const claim = pvc("c", "1Gi", { className: "hp", annotations: { "volume.kubernetes.io/selected-node": "n2" } });
    expect(filterWith(volumeBinding(listers({ claims: [claim], classes: [cls] })), podWith("c"), snapshot)).toEqual({
      n1: `${U}node(s) didn't find available persistent volumes to bind`,
      n2: null,
    });
  });

  it("stops at a bound claim's conflict, and gives the FailedScheduling message", () => {
    const a = boundPair("a", "n1");
    const cls = storageClass("local", { mode: "WaitForFirstConsumer", provisioner: "kubernetes.io/no-provisioner" });
    const b = pvc("b", "1Gi", { className: "local" });
    const volumes = [a.volume, pv("free-n1", "1Gi", { className: "local", node: "n1" })];
    const plugin = volumeBinding(listers({ claims: [a.claim, b], volumes, classes: [cls] }));
    expect(filterWith(plugin, podWith("a", "b"), snapshot)).toEqual({ n1: null, n2: `${U}node(s) had volume node affinity conflict` });
    const three = snapshotFromObjects([makeNode("n1"), makeNode("n2"), makeNode("n3")]);
    const result = schedulePod(podWith("a", "b"), three, { plugins: [plugin] }, seededRandom(1));
    expect(result.ok && result.node).toBe("n1");
    const nowhere = schedulePod(podWith("a"), snapshotFromObjects([makeNode("n2"), makeNode("n3")]), { plugins: [volumeBinding(listers({ claims: [a.claim], volumes }))] }, seededRandom(1));
    expect(!nowhere.ok && nowhere.failure.message).toBe("0/2 nodes are available: 2 node(s) had volume node affinity conflict.");
  });

  it("finds one PV per claim, smallest claims first, and never the same PV twice", () => {
    const cls = storageClass("local", { mode: "WaitForFirstConsumer", provisioner: "kubernetes.io/no-provisioner" });
    const small = pvc("small", "1Gi", { className: "local" });
    const big = pvc("big", "4Gi", { className: "local" });
    const volumes = [pv("five", "5Gi", { className: "local" }), pv("two", "2Gi", { className: "local" })];
    const l = listers({ claims: [big, small], volumes, classes: [cls] });
    const claims = podVolumeClaims(podWith("big", "small"), l);
    if (!claims.ok) throw new Error(claims.message);
    const found = findPodVolumes(claims.claims, { name: "n1", labels: {} }, l);
    expect(found.ok && found.podVolumes.staticBindings.map((b) => [b.claim.metadata.name, b.volume.metadata.name])).toEqual([
      ["small", "two"],
      ["big", "five"],
    ]);
    // Only one PV for two claims that both want it: the second one has none, and no-provisioner cannot help.
    const one = listers({ claims: [big, small], volumes: [pv("five", "5Gi", { className: "local" })], classes: [cls] });
    const again = findPodVolumes(claims.claims, { name: "n1", labels: {} }, one);
    expect(again.ok && again.reasons).toEqual(["node(s) didn't find available persistent volumes to bind"]);
  });

  it("reports a class that cannot be found as an error, not a verdict", () => {
    const claim = pvc("c", "1Gi", { className: "hp", annotations: { "volume.kubernetes.io/selected-node": "n1" } });
    const cls = storageClass("hp", { mode: "WaitForFirstConsumer" });
    const l = listers({ claims: [claim], classes: [cls] });
    const claims = podVolumeClaims(podWith("c"), l);
    if (!claims.ok) throw new Error(claims.message);
    expect(findPodVolumes(claims.claims, { name: "n1", labels: {} }, listers({ claims: [claim] }))).toEqual({ ok: false, error: 'failed to find storage class "hp"' });
  });
});
