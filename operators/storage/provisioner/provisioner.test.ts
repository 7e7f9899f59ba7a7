import { describe, expect, it } from "vitest";
import { kinds, mustParse } from "../../api/index.ts";
import { pvc, storageClass } from "../testing.ts";
import { cleanupPod, isSimulatedNode, planDelete, shouldDelete } from "./delete.ts";
import { chooseNode, classToProvision, provisionedVolume, provisionedVolumeName, type NodeState } from "./provision.ts";

const asked = { "volume.kubernetes.io/storage-provisioner": "mirrorkube.dev/hostpath" };
const classes = [storageClass("now"), storageClass("later", { mode: "WaitForFirstConsumer" }), storageClass("other", { provisioner: "example.com/csi" })];
const classOf = (name: string) => classes.find((c) => c.metadata.name === name);

describe("classToProvision", () => {
  it("takes unbound claims handed to it, of its classes; WaitForFirstConsumer ones once a node is selected", () => {
    expect(classToProvision(pvc("c", "1Gi", { className: "now", annotations: asked }), classOf)?.metadata.name).toBe("now");
    expect(classToProvision(pvc("c", "1Gi", { className: "now" }), classOf)).toBeUndefined();
    expect(classToProvision(pvc("c", "1Gi", { className: "other", annotations: asked }), classOf)).toBeUndefined();
    expect(classToProvision(pvc("c", "1Gi", { className: "now", annotations: asked, volumeName: "v" }), classOf)).toBeUndefined();
    expect(classToProvision(pvc("c", "1Gi", { className: "later", annotations: asked }), classOf)).toBeUndefined();
    expect(classToProvision(pvc("c", "1Gi", { className: "later", annotations: { ...asked, "volume.kubernetes.io/selected-node": "n1" } }), classOf)?.metadata.name).toBe("later");
  });
});

describe("chooseNode", () => {
  const node = (name: string, o: Partial<NodeState> = {}): NodeState => ({ name, labels: { "kubernetes.io/hostname": name }, ready: true, unschedulable: false, tainted: false, volumes: 0, ...o });

  it("prefers Ready, schedulable, untainted nodes with the fewest volumes, then by name", () => {
    const cls = storageClass("now");
    expect(chooseNode([node("b"), node("a")], cls)?.name).toBe("a");
    expect(chooseNode([node("a", { volumes: 2 }), node("b", { volumes: 1 })], cls)?.name).toBe("b");
    expect(chooseNode([node("a", { ready: false }), node("b", { unschedulable: true }), node("c", { tainted: true, volumes: 9 })], cls)?.name).toBe("c");
    expect(chooseNode([node("a", { tainted: true }), node("b", { volumes: 5 })], cls)?.name).toBe("b");
    expect(chooseNode([node("a", { ready: false })], cls)).toBeUndefined();
  });

  it("keeps to the class's allowedTopologies", () => {
    const cls = storageClass("now", { allowedTopologies: [{ matchLabelExpressions: [{ key: "pool", values: ["p"] }] }] });
    expect(chooseNode([node("a"), node("z", { labels: { pool: "p" }, volumes: 3 })], cls)?.name).toBe("z");
    expect(chooseNode([node("a")], cls)).toBeUndefined();
  });
});

describe("provisionedVolume", () => {
  it("is pvc-<uid>, a hostPath under the root, pinned to the node, bound to the claim, as the class says", () => {
    const claim = pvc("data", "3Gi", { className: "now", modes: ["ReadWriteOnce", "ReadOnlyMany"], uid: "u-1" });
    const cls = storageClass("now", { reclaim: "Retain" });
    const volume = mustParse(kinds.PersistentVolume, provisionedVolume(claim, cls, { name: "n1", labels: { "kubernetes.io/hostname": "host-1" } }, "/var/lib/x/"));
    expect(volume.metadata).toMatchObject({
      name: "pvc-u-1",
      annotations: { "pv.kubernetes.io/provisioned-by": "mirrorkube.dev/hostpath", "mirrorkube.dev/hostpath-node": "n1" },
      finalizers: ["kubernetes.io/pv-protection"],
    });
    expect(volume.spec).toMatchObject({
      capacity: { storage: "3Gi" },
      accessModes: ["ReadWriteOnce", "ReadOnlyMany"],
      claimRef: { kind: "PersistentVolumeClaim", namespace: "ns", name: "data", uid: "u-1" },
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "now",
      hostPath: { path: "/var/lib/x/pvc-u-1", type: "DirectoryOrCreate" },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: ["host-1"] }] }] } },
    });
    expect(provisionedVolumeName(claim)).toBe("pvc-u-1");
  });
});

describe("deleting a volume", () => {
  const options = { namespace: "mk", image: "busybox:1.36" };
  const released = mustParse(kinds.PersistentVolume, {
    metadata: { name: "pvc-u-1", uid: "pv-uid", annotations: { "pv.kubernetes.io/provisioned-by": "mirrorkube.dev/hostpath", "mirrorkube.dev/hostpath-node": "n1" } },
    spec: { persistentVolumeReclaimPolicy: "Delete", hostPath: { path: "/var/lib/x/pvc-u-1", type: "DirectoryOrCreate" } },
    status: { phase: "Released" },
  });
  const realNode = { metadata: { name: "n1", labels: {} } };
  const kwokNode = { metadata: { name: "n1", annotations: { "kwok.x-k8s.io/node": "fake" } } };

  it("is only for Released volumes of its own with the Delete policy", () => {
    expect(shouldDelete(released)).toBe(true);
    expect(shouldDelete({ ...released, status: { phase: "Bound" } })).toBe(false);
    expect(shouldDelete({ ...released, spec: { ...released.spec, persistentVolumeReclaimPolicy: "Retain" } })).toBe(false);
    expect(planDelete({ ...released, metadata: { ...released.metadata, annotations: {} } }, realNode, undefined, options)).toEqual({ kind: "none" });
  });

  it("on kwok, or without the node, removes the PV and says what it would have removed", () => {
    expect(isSimulatedNode(kwokNode)).toBe(true);
    expect(isSimulatedNode({ metadata: { labels: { type: "kwok" } } })).toBe(true);
    expect(isSimulatedNode(realNode)).toBe(false);
    expect(planDelete(released, kwokNode, undefined, options)).toEqual({ kind: "skipData", message: "Would remove /var/lib/x/pvc-u-1 on node n1: a kwok node has no filesystem" });
    expect(planDelete(released, undefined, undefined, options)).toEqual({ kind: "skipData", message: "Node n1 no longer exists: /var/lib/x/pvc-u-1 cannot be removed there" });
  });

  it("on a real node runs a Pod there that removes the directory, then removes the PV", () => {
    const pod = cleanupPod(released, "n1", options);
    expect(planDelete(released, realNode, undefined, options)).toEqual({ kind: "createCleanupPod", pod });
    expect(pod.metadata).toMatchObject({ name: "hostpath-cleanup-pvc-u-1", namespace: "mk", ownerReferences: [{ kind: "PersistentVolume", name: "pvc-u-1", uid: "pv-uid" }] });
    expect(pod.spec).toMatchObject({
      nodeName: "n1",
      restartPolicy: "Never",
      containers: [{ image: "busybox:1.36", command: ["rm", "-rf", "--", "/parent/pvc-u-1"], volumeMounts: [{ name: "parent", mountPath: "/parent" }] }],
      volumes: [{ name: "parent", hostPath: { path: "/var/lib/x", type: "DirectoryOrCreate" } }],
    });
    expect(planDelete(released, realNode, { ...pod, status: { phase: "Running" } }, options)).toEqual({ kind: "wait" });
    expect(planDelete(released, realNode, { ...pod, status: { phase: "Succeeded" } }, options)).toEqual({ kind: "deleteVolume" });
    expect(planDelete(released, realNode, { ...pod, status: { phase: "Failed", reason: "Error" } }, options)).toEqual({
      kind: "cleanupFailed",
      message: "the Pod mk/hostpath-cleanup-pvc-u-1 removing /var/lib/x/pvc-u-1 on node n1 failed: Error",
    });
  });

  it("never removes a directory it did not name", () => {
    const odd = { ...released, spec: { ...released.spec, hostPath: { path: "/", type: "" as const } } };
    expect(planDelete(odd, realNode, undefined, options)).toEqual({ kind: "cleanupFailed", message: "refusing to remove /: not a directory this provisioner created" });
  });
});
