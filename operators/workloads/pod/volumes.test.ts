import { describe, expect, it } from "vitest";
import type { PersistentVolume, PersistentVolumeClaim, Volume } from "../../api/index.ts";
import { boundTo, pv, pvc } from "../../storage/testing.ts";
import { mirrorPod } from "./testing.ts";
import { claimVolumeTranslator, translateVolumes } from "./volumes.ts";

const completed = { "pv.kubernetes.io/bind-completed": "yes" };

function translator(claims: PersistentVolumeClaim[], volumes: PersistentVolume[]) {
  return claimVolumeTranslator({
    claim: (namespace, name) => claims.find((c) => c.metadata.namespace === namespace && c.metadata.name === name),
    volume: (name) => volumes.find((v) => v.metadata.name === name),
  });
}

const claimVolume: Volume = { name: "data", persistentVolumeClaim: { claimName: "c" } };
const bound = pvc("c", "1Gi", { volumeName: "v", annotations: completed, phase: "Bound" });
const onNode = mirrorPod({ spec: { nodeName: "n1", volumes: [claimVolume] } });

describe("claimVolumeTranslator", () => {
  it("turns a bound claim into the hostPath of its PV, DirectoryOrCreate unless the PV says otherwise", () => {
    const t = translator([bound], [boundTo(pv("v", "1Gi", { node: "n1" }), bound)]);
    expect(t(claimVolume, onNode)).toEqual({ ok: true, volume: { name: "data", hostPath: { path: "/mnt/v", type: "DirectoryOrCreate" } } });
    const typed = translator([bound], [boundTo(pv("v", "1Gi", { spec: { hostPath: { path: "/srv/d", type: "Directory" } } }), bound)]);
    expect(typed(claimVolume, onNode)).toEqual({ ok: true, volume: { name: "data", hostPath: { path: "/srv/d", type: "Directory" } } });
  });

  it("uses the real claim a PV names, keeping readOnly", () => {
    const t = translator([bound], [boundTo(pv("v", "1Gi", { annotations: { "mirrorkube.dev/real-claim": "real-data" } }), bound)]);
    expect(t({ name: "data", persistentVolumeClaim: { claimName: "c", readOnly: true } }, onNode)).toEqual({ ok: true, volume: { name: "data", persistentVolumeClaim: { claimName: "real-data", readOnly: true } } });
  });

  it("passes other volumes through", () => {
    const empty: Volume = { name: "tmp", emptyDir: {} };
    expect(translator([], [])(empty, onNode)).toEqual({ ok: true, volume: empty });
  });

  it("waits, in the kubelet's and scheduler's words, while the claim is missing, unbound, lost or being deleted", () => {
    expect(translator([], [])(claimVolume, onNode)).toEqual({ ok: false, message: 'persistentvolumeclaim "c" not found' });
    expect(translator([pvc("c", "1Gi")], [])(claimVolume, onNode)).toEqual({ ok: false, message: 'PVC ns/c has non-bound phase ("Pending") or empty pvc.Spec.VolumeName ("")' });
    expect(translator([pvc("c", "1Gi", { phase: "Lost", volumeName: "v", annotations: completed })], [])(claimVolume, onNode)).toEqual({ ok: false, message: 'persistentvolumeclaim "c" bound to non-existent persistentvolume "v"' });
    expect(translator([pvc("c", "1Gi", { deleting: true })], [])(claimVolume, onNode)).toEqual({ ok: false, message: 'persistentvolumeclaim "c" is being deleted' });
    expect(translator([bound], [])(claimVolume, onNode)).toEqual({ ok: false, message: 'persistentvolume "v" not found' });
    expect(translator([bound], [pv("v", "1Gi")])(claimVolume, onNode)).toEqual({ ok: false, message: 'persistentvolume "v" is not bound to persistentvolumeclaim "c"' });
  });

  it("refuses a node-local volume to a pod kube-scheduler places", () => {
    const forKube = mirrorPod({ spec: { schedulerName: "default-scheduler", volumes: [claimVolume] } });
    expect(translator([bound], [boundTo(pv("v", "1Gi", { node: "n1" }), bound)])(claimVolume, forKube)).toMatchObject({ ok: false });
  });

  it("says which volume waits", () => {
    const t = translator([], []);
    expect(translateVolumes(onNode, t)).toEqual({ ok: false, message: 'volume "data": persistentvolumeclaim "c" not found' });
  });
});
