import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PersistentVolume, PersistentVolumeClaim } from "../../operators/api/index.ts";
import { isNotFound } from "../../operators/runtime/client/index.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { claim, eventsFor, inParallel, storageClass, storageClients, volume, waitForEvent } from "./support/storage.ts";

// PV/PVC binding by the persistentvolume-binder, observed through the API
// and events. PVs are cluster-scoped: every name and class here starts with
// the test namespace, so parallel files (and earlier runs) never meet.
describe("storage: binding", () => {
  const kc = kubeConfig();
  const { volumes, claims, classes } = storageClients("e2e-storage-binding");
  let ns: Awaited<ReturnType<typeof testNamespace>>;
  let n: string;

  const getClaim = (name: string) => claims.get({ namespace: n, name });
  const getVolume = (name: string) => volumes.get({ name });
  const boundClaim = (name: string, timeoutMs?: number) =>
    eventually(
      async () => {
        const c = await getClaim(name);
        return c.status?.phase === "Bound" ? c : undefined;
      },
      { what: `claim ${name} Bound`, timeoutMs },
    );
  const volumePhase = (name: string, phase: string) =>
    eventually(
      async () => {
        const v = await getVolume(name);
        return v.status?.phase === phase ? v : undefined;
      },
      { what: `volume ${name} ${phase}` },
    );

  beforeAll(async () => {
    ns = await testNamespace(kc, "stb");
    n = ns.name;
  });
  // Everything goes while the manager still runs (it removes the protection finalizers), so a reused cluster starts clean.
  afterAll(async () => {
    if (!ns) return;
    await ns.remove();
    await eventually(async () => (await claims.list({ namespace: n })).items.length === 0, { what: "claims gone", timeoutMs: 60_000, intervalMs: 1000 });
    const mine = async () => (await volumes.list()).items.filter((v) => v.metadata.name?.startsWith(n));
    await inParallel(await mine(), 20, (v) => volumes.delete({ name: v.metadata.name ?? "" }).catch(() => undefined));
    await eventually(async () => (await mine()).length === 0, { what: "volumes gone", timeoutMs: 60_000, intervalMs: 1000 });
  });

  it("binds the smallest volume that fits, on both sides as upstream writes them", async () => {
    const cls = `${n}-fit`;
    for (const size of ["1Gi", "5Gi", "10Gi"]) await volumes.create(volume(`${n}-fit-${size.toLowerCase()}`, size, { storageClassName: cls }));
    await claims.create(claim(n, "fit", "3Gi", { storageClassName: cls }));
    const bound = await boundClaim("fit");
    expect(bound.spec.volumeName).toBe(`${n}-fit-5gi`);
    expect(bound.status?.capacity?.storage).toBe("5Gi");
    expect(bound.status?.accessModes).toEqual(["ReadWriteOnce"]);
    expect(bound.metadata.annotations).toMatchObject({ "pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes" });
    const pv = await volumePhase(`${n}-fit-5gi`, "Bound");
    expect(pv.spec.claimRef).toMatchObject({ kind: "PersistentVolumeClaim", namespace: n, name: "fit", uid: bound.metadata.uid });
    expect(pv.metadata.annotations?.["pv.kubernetes.io/bound-by-controller"]).toBe("yes");
    expect(pv.status?.lastPhaseTransitionTime).toBeTruthy();
    // pv-protection and pvc-protection on both.
    expect(pv.metadata.finalizers).toContain("kubernetes.io/pv-protection");
    expect((await getClaim("fit")).metadata.finalizers).toContain("kubernetes.io/pvc-protection");
    // The others stay Available.
    expect((await volumePhase(`${n}-fit-1gi`, "Available")).spec.claimRef).toBeUndefined();
    await volumePhase(`${n}-fit-10gi`, "Available");
  });

  it("visits access-mode groups smallest set first", async () => {
    const cls = `${n}-modes`;
    await volumes.create(volume(`${n}-modes-rwo-rox-5`, "5Gi", { storageClassName: cls, accessModes: ["ReadWriteOnce", "ReadOnlyMany"] }));
    await volumes.create(volume(`${n}-modes-rwo-10`, "10Gi", { storageClassName: cls, accessModes: ["ReadWriteOnce"] }));
    await volumePhase(`${n}-modes-rwo-rox-5`, "Available");
    await volumePhase(`${n}-modes-rwo-10`, "Available");
    await claims.create(claim(n, "modes", "1Gi", { storageClassName: cls }));
    expect((await boundClaim("modes")).spec.volumeName).toBe(`${n}-modes-rwo-10`);
    await claims.create(claim(n, "modes-rox", "1Gi", { storageClassName: cls, accessModes: ["ReadOnlyMany"] }));
    expect((await boundClaim("modes-rox")).spec.volumeName).toBe(`${n}-modes-rwo-rox-5`);
  });

  it("leaves claims no volume satisfies Pending with FailedBinding", async () => {
    const labels = { test: n };
    await volumes.create(volume(`${n}-small`, "1Gi", { storageClassName: "" }, { labels }));
    await volumePhase(`${n}-small`, "Available");
    const selector = { matchLabels: labels };
    // Too big; another access mode; another volumeMode. storageClassName "" (no class): nothing to provision.
    await claims.create(claim(n, "too-big", "2Gi", { storageClassName: "", selector }));
    await claims.create(claim(n, "rwx", "1Gi", { storageClassName: "", selector, accessModes: ["ReadWriteMany"] }));
    await claims.create(claim(n, "block", "1Gi", { storageClassName: "", selector, volumeMode: "Block" }));
    for (const name of ["too-big", "rwx", "block"]) {
      const event = await waitForEvent(kc, n, name, "FailedBinding");
      expect(event.type).toBe("Normal");
      expect(event.message).toBe("no persistent volumes available for this claim and no storage class is set");
      expect((await getClaim(name)).status?.phase).toBe("Pending");
    }
    expect((await getVolume(`${n}-small`)).status?.phase).toBe("Available");
  });

  it("binds a volume pre-bound by claimRef only to its claim", async () => {
    const cls = `${n}-pre`;
    await volumes.create(volume(`${n}-pre`, "10Gi", { storageClassName: cls, claimRef: { namespace: n, name: "wanted" } }));
    await volumePhase(`${n}-pre`, "Available");
    await claims.create(claim(n, "other", "1Gi", { storageClassName: cls }));
    await claims.create(claim(n, "wanted", "1Gi", { storageClassName: cls }));
    const wanted = await boundClaim("wanted");
    expect(wanted.spec.volumeName).toBe(`${n}-pre`);
    const pv = await volumePhase(`${n}-pre`, "Bound");
    expect(pv.spec.claimRef?.uid).toBe(wanted.metadata.uid);
    // The user bound the volume, the controller bound the claim.
    expect(pv.metadata.annotations?.["pv.kubernetes.io/bound-by-controller"]).toBeUndefined();
    expect(wanted.metadata.annotations?.["pv.kubernetes.io/bound-by-controller"]).toBe("yes");
    // The other claim, for which the volume would do, never gets it.
    expect((await getClaim("other")).status?.phase).toBe("Pending");
    expect(await eventsFor(kc, n, "other", "ProvisioningFailed")).not.toHaveLength(0);
  });

  it("binds a claim to the volume its volumeName requests, and says VolumeMismatch or FailedBinding when it cannot", async () => {
    const cls = `${n}-req`;
    await volumes.create(volume(`${n}-req-1`, "1Gi", { storageClassName: cls }));
    await volumes.create(volume(`${n}-req-2`, "2Gi", { storageClassName: cls }));
    await claims.create(claim(n, "req", "2Gi", { storageClassName: cls, volumeName: `${n}-req-2` }));
    const req = await boundClaim("req");
    expect(req.metadata.annotations?.["pv.kubernetes.io/bound-by-controller"]).toBeUndefined();
    expect((await volumePhase(`${n}-req-2`, "Bound")).metadata.annotations?.["pv.kubernetes.io/bound-by-controller"]).toBe("yes");

    await claims.create(claim(n, "req-small", "2Gi", { storageClassName: cls, volumeName: `${n}-req-1` }));
    const mismatch = await waitForEvent(kc, n, "req-small", "VolumeMismatch");
    expect(mismatch.type).toBe("Warning");
    expect(mismatch.message).toBe(`Cannot bind to requested volume "${n}-req-1": requested PV is too small`);
    expect((await getClaim("req-small")).status?.phase).toBe("Pending");

    await claims.create(claim(n, "req-taken", "1Gi", { storageClassName: cls, volumeName: `${n}-req-2` }));
    const taken = await waitForEvent(kc, n, "req-taken", "FailedBinding");
    expect(taken.type).toBe("Warning");
    expect(taken.message).toBe(`volume "${n}-req-2" already bound to a different claim.`);
  });

  it("keeps a Retain volume Released with its claimRef when the claim goes", async () => {
    const cls = `${n}-retain`;
    await volumes.create(volume(`${n}-retain`, "1Gi", { storageClassName: cls, persistentVolumeReclaimPolicy: "Retain" }));
    await claims.create(claim(n, "retain", "1Gi", { storageClassName: cls }));
    const bound = await boundClaim("retain");
    const before = (await volumePhase(`${n}-retain`, "Bound")).status?.lastPhaseTransitionTime;
    await claims.delete({ namespace: n, name: "retain" });
    const released = await volumePhase(`${n}-retain`, "Released");
    expect(released.spec.claimRef).toMatchObject({ name: "retain", uid: bound.metadata.uid });
    expect(released.status?.lastPhaseTransitionTime).toBeTruthy();
    expect(Date.parse(released.status?.lastPhaseTransitionTime ?? "")).toBeGreaterThanOrEqual(Date.parse(before ?? ""));
    // A new claim of the same class does not get it.
    await claims.create(claim(n, "retain-2", "1Gi", { storageClassName: cls }));
    await waitForEvent(kc, n, "retain-2", "ProvisioningFailed");
    expect((await getVolume(`${n}-retain`)).status?.phase).toBe("Released");
  });

  it("protects a Bound volume, and a claim whose volume is removed anyway is Lost", async () => {
    const cls = `${n}-lost`;
    await volumes.create(volume(`${n}-lost`, "1Gi", { storageClassName: cls }));
    await claims.create(claim(n, "lost", "1Gi", { storageClassName: cls }));
    await boundClaim("lost");
    await volumes.delete({ name: `${n}-lost` });
    // pv-protection holds it while Bound.
    const held = await eventually(async () => {
      const v = await getVolume(`${n}-lost`);
      return v.metadata.deletionTimestamp ? v : undefined;
    });
    expect(held.metadata.finalizers).toContain("kubernetes.io/pv-protection");
    expect(held.status?.phase).toBe("Bound");
    // Forced out, as a user removing the finalizer does.
    await volumes.patch({ name: `${n}-lost` }, { type: "merge", patch: { metadata: { finalizers: null } } });
    await eventually(async () => getVolume(`${n}-lost`).then(() => false, (err: unknown) => isNotFound(err)), { what: "volume gone" });
    const event = await waitForEvent(kc, n, "lost", "ClaimLost");
    expect(event.type).toBe("Warning");
    expect(event.message).toBe("Bound claim has lost its PersistentVolume. Data on the volume is lost!");
    expect((await getClaim("lost")).status?.phase).toBe("Lost");
  });

  it("binds 200 claims and 200 matching volumes created at once one-to-one", async () => {
    const cls = `${n}-bulk`;
    const indexes = Array.from({ length: 200 }, (_, i) => i);
    await Promise.all([
      inParallel(indexes, 20, (i) => volumes.create(volume(`${n}-bulk-${i}`, "1Gi", { storageClassName: cls }))),
      inParallel(indexes, 20, (i) => claims.create(claim(n, `bulk-${i}`, "1Gi", { storageClassName: cls }))),
    ]);
    const bound = await eventually(
      async () => {
        const list = (await claims.list({ namespace: n })).items.filter((c) => c.metadata.name?.startsWith("bulk-"));
        return list.length === 200 && list.every((c) => c.status?.phase === "Bound") ? list : undefined;
      },
      { what: "200 claims Bound", timeoutMs: 120_000, intervalMs: 1000 },
    );
    const names = bound.map((c) => c.spec.volumeName);
    expect(new Set(names).size).toBe(200);
    const pvs = new Map<string, PersistentVolume>((await volumes.list()).items.map((v) => [v.metadata.name ?? "", v]));
    for (const c of bound as PersistentVolumeClaim[]) {
      const pv = pvs.get(c.spec.volumeName ?? "");
      expect(pv?.metadata.name).toMatch(new RegExp(`^${n}-bulk-`));
      expect(pv?.spec.claimRef?.uid).toBe(c.metadata.uid);
    }
    await eventually(async () => (await volumes.list()).items.filter((v) => v.metadata.name?.startsWith(`${n}-bulk-`) && v.status?.phase === "Bound").length === 200, {
      what: "200 volumes Bound",
      timeoutMs: 60_000,
      intervalMs: 1000,
    });
  });

  // Last: while a default class exists, every class-less claim in the cluster gets it.
  it("gives a claim without a class the default class, and provisions it", async () => {
    const cls = `${n}-default`;
    await classes.create(storageClass(cls, { volumeBindingMode: "Immediate" }, { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }));
    try {
      // Bigger than the class-less volume of the FailedBinding test, which it would otherwise bind.
      await claims.create(claim(n, "classless", "3Gi"));
      const bound = await boundClaim("classless");
      expect(bound.spec.storageClassName).toBe(cls);
      expect(bound.spec.volumeName).toBe(`pvc-${bound.metadata.uid}`);
    } finally {
      await classes.delete({ name: cls });
    }
  });
});
