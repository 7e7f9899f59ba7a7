import { CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kinds, type Pod } from "../../operators/api/index.ts";
import { isNotFound } from "../../operators/runtime/client/index.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { createPool, poolToleration } from "./support/nodes.ts";
import { claim, eventsFor, storageClass, storageClients, volume, waitForEvent } from "./support/storage.ts";

// The hostpath provisioner, the scheduler's VolumeBinding and the realizer's
// claim volumes, on a private pool of two kwok nodes. Classes are
// cluster-scoped: their names start with the test namespace.
describe("storage: provisioning and pods", () => {
  const kc = kubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const { volumes, claims, classes, pods } = storageClients("e2e-storage-provisioning");
  let ns: Awaited<ReturnType<typeof testNamespace>>;
  let pool: Awaited<ReturnType<typeof createPool>>;
  let n: string;
  const ROOT = "/var/lib/mirrorkube/volumes";

  const getClaim = (name: string) => claims.get({ namespace: n, name });
  const boundClaim = (name: string) =>
    eventually(
      async () => {
        const c = await getClaim(name);
        return c.status?.phase === "Bound" ? c : undefined;
      },
      { what: `claim ${name} Bound` },
    );
  const gone = (what: string, get: () => Promise<unknown>) => eventually(async () => get().then(() => false, (err: unknown) => isNotFound(err)), { what: `${what} gone` });

  /** A mirror Pod on the pool, mounting `claimName` at /data. */
  const podUsing = (name: string, claimName: string, spec: Record<string, unknown> = {}): Pod =>
    ({
      apiVersion: kinds.Pod.apiVersion,
      kind: "Pod",
      metadata: { name, namespace: n },
      spec: {
        nodeSelector: { "mirrorkube.dev/pool": n },
        tolerations: [poolToleration(n)],
        containers: [{ name: "app", image: "registry.invalid/app:1", volumeMounts: [{ name: "data", mountPath: "/data" }] }],
        volumes: [{ name: "data", persistentVolumeClaim: { claimName } }],
        ...spec,
      },
    }) as unknown as Pod;
  const podScheduledFalse = (name: string) =>
    eventually(
      async () => {
        const c = (await pods.get({ namespace: n, name })).status?.conditions?.find((x) => x.type === "PodScheduled");
        return c?.status === "False" && c.reason === "Unschedulable" ? c.message : undefined;
      },
      { what: `${name} PodScheduled=False` },
    );
  const running = (name: string) =>
    eventually(
      async () => {
        const p = await pods.get({ namespace: n, name });
        return p.status?.phase === "Running" ? p : undefined;
      },
      { what: `${name} Running`, timeoutMs: 60_000 },
    );
  const realPod = (name: string): Promise<V1Pod> => core.readNamespacedPod({ namespace: n, name });
  const onlyPool = () => ({ allowedTopologies: [{ matchLabelExpressions: [{ key: "mirrorkube.dev/pool", values: [n] }] }] });

  beforeAll(async () => {
    ns = await testNamespace(kc, "stp");
    n = ns.name;
    pool = await createPool(kc, n, 2);
    await classes.create(storageClass(`${n}-now`, { volumeBindingMode: "Immediate", reclaimPolicy: "Delete", ...onlyPool() }));
    await classes.create(storageClass(`${n}-wffc`, { volumeBindingMode: "WaitForFirstConsumer", reclaimPolicy: "Delete" }));
  });
  afterAll(async () => {
    if (!ns) return;
    await ns.remove();
    await eventually(async () => (await claims.list({ namespace: n })).items.length === 0, { what: "claims gone", timeoutMs: 60_000, intervalMs: 1000 }).catch(() => undefined);
    for (const c of [`${n}-now`, `${n}-wffc`]) await classes.delete({ name: c }).catch(() => undefined);
    const mine = async () => (await volumes.list()).items.filter((v) => v.metadata.name?.startsWith(n));
    for (const v of await mine()) await volumes.delete({ name: v.metadata.name ?? "" }).catch(() => undefined);
    await pool?.remove();
  });

  it("provisions an Immediate claim on a node the class allows, and Delete removes the volume", async () => {
    await claims.create(claim(n, "now", "2Gi", { storageClassName: `${n}-now` }));
    const bound = await boundClaim("now");
    const pvName = `pvc-${bound.metadata.uid}`;
    expect(bound.spec.volumeName).toBe(pvName);
    expect(bound.metadata.annotations?.["volume.kubernetes.io/storage-provisioner"]).toBe("mirrorkube.dev/hostpath");
    const external = await waitForEvent(kc, n, "now", "ExternalProvisioning");
    expect(external.message).toBe(
      "Waiting for a volume to be created either by the external provisioner 'mirrorkube.dev/hostpath' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
    );
    expect((await waitForEvent(kc, n, "now", "ProvisioningSucceeded")).message).toBe(`Successfully provisioned volume ${pvName}`);
    const pv = await volumes.get({ name: pvName });
    expect(pv.metadata.annotations?.["pv.kubernetes.io/provisioned-by"]).toBe("mirrorkube.dev/hostpath");
    expect(pv.spec).toMatchObject({ capacity: { storage: "2Gi" }, persistentVolumeReclaimPolicy: "Delete", storageClassName: `${n}-now`, hostPath: { path: `${ROOT}/${pvName}`, type: "DirectoryOrCreate" } });
    const node = pv.spec.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions?.[0]?.values?.[0];
    expect(pool.names).toContain(node);

    await claims.delete({ namespace: n, name: "now" });
    const simulated = await waitForEvent(kc, "default", pvName, "SimulatedDelete");
    expect(simulated.message).toBe(`Would remove ${ROOT}/${pvName} on node ${node}: a kwok node has no filesystem`);
    await gone(pvName, () => volumes.get({ name: pvName }));
  });

  it("waits for the first consumer, provisions on the node the scheduler picks, and runs the pod with the volume", async () => {
    await claims.create(claim(n, "data", "1Gi", { storageClassName: `${n}-wffc` }));
    expect((await waitForEvent(kc, n, "data", "WaitForFirstConsumer")).message).toBe("waiting for first consumer to be created before binding");
    expect((await getClaim("data")).status?.phase).toBe("Pending");

    await pods.create(podUsing("web", "data"));
    const pod = await running("web");
    const node = pod.spec.nodeName;
    expect(pool.names).toContain(node);
    const bound = await boundClaim("data");
    expect(bound.metadata.annotations?.["volume.kubernetes.io/selected-node"]).toBe(node);
    const pvName = `pvc-${bound.metadata.uid}`;
    const pv = await volumes.get({ name: pvName });
    expect(pv.spec.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions?.[0]).toEqual({ key: "kubernetes.io/hostname", operator: "In", values: [node] });
    const real = await realPod("web");
    expect(real.spec?.nodeName).toBe(node);
    expect(real.spec?.volumes).toContainEqual({ name: "data", hostPath: { path: `${ROOT}/${pvName}`, type: "DirectoryOrCreate" } });

    // Another node cannot use the volume.
    const other = pool.names.find((x) => x !== node)!;
    await pods.create(podUsing("web-elsewhere", "data", { nodeSelector: { "mirrorkube.dev/pool": n, "kubernetes.io/hostname": other } }));
    const message = await podScheduledFalse("web-elsewhere");
    expect(message).toMatch(/^0\/\d+ nodes are available: .*1 node\(s\) had volume node affinity conflict/);
    expect(message).toMatch(/\d+ node\(s\) didn't match Pod's node affinity\/selector/);
    expect((await waitForEvent(kc, n, "web-elsewhere", "FailedScheduling")).message).toBe(message);
  });

  it("binds a WaitForFirstConsumer claim to a local volume on a node the pod can use", async () => {
    const cls = `${n}-local`;
    await classes.create(storageClass(cls, { provisioner: "kubernetes.io/no-provisioner", volumeBindingMode: "WaitForFirstConsumer" }));
    try {
      const target = pool.names[1]!;
      await volumes.create(
        volume(`${n}-local`, "1Gi", {
          storageClassName: cls,
          local: { path: "/mnt/disks/a" },
          hostPath: undefined,
          nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [target] }] }] } },
        }),
      );
      await claims.create(claim(n, "local", "1Gi", { storageClassName: cls }));
      await waitForEvent(kc, n, "local", "WaitForFirstConsumer");
      await pods.create(podUsing("local-user", "local"));
      const pod = await running("local-user");
      expect(pod.spec.nodeName).toBe(target);
      const bound = await boundClaim("local");
      expect(bound.spec.volumeName).toBe(`${n}-local`);
      // The scheduler pre-bound the volume (bound-by-controller), the binder finished.
      const pv = await volumes.get({ name: `${n}-local` });
      expect(pv.spec.claimRef?.uid).toBe(bound.metadata.uid);
      expect(pv.metadata.annotations?.["pv.kubernetes.io/bound-by-controller"]).toBe("yes");
      expect((await realPod("local-user")).spec?.volumes).toContainEqual({ name: "data", hostPath: { path: "/mnt/disks/a", type: "DirectoryOrCreate" } });
    } finally {
      await classes.delete({ name: cls });
    }
  });

  it("keeps a claim in use by a pod until the pod is gone (pvc-protection)", async () => {
    await claims.create(claim(n, "unused", "1Gi", { storageClassName: `${n}-now` }));
    await boundClaim("unused");
    await claims.delete({ namespace: n, name: "data" });
    await claims.delete({ namespace: n, name: "unused" });
    // The unused claim goes; by then the protection controller has looked at the used one too, and kept it.
    await gone("claim unused", () => getClaim("unused"));
    const held = await getClaim("data");
    expect(held.metadata.deletionTimestamp).toBeTruthy();
    expect(held.metadata.finalizers).toContain("kubernetes.io/pvc-protection");
    expect(held.status?.phase).toBe("Bound");
    const pvName = held.spec.volumeName ?? "";
    await pods.delete({ namespace: n, name: "web-elsewhere" });
    await pods.delete({ namespace: n, name: "web" });
    await gone("claim data", () => getClaim("data"));
    // Delete policy: the volume goes with it.
    await gone(pvName, () => volumes.get({ name: pvName }));
  });

  it("leaves a pod whose claim is missing or unbound Pending with the scheduler's reason, until it is bound", async () => {
    await pods.create(podUsing("waits-for-claim", "later"));
    expect(await podScheduledFalse("waits-for-claim")).toMatch(/^0\/\d+ nodes are available: persistentvolumeclaim "later" not found\.$/);
    // A class nobody serves: an Immediate claim that stays unbound.
    const cls = `${n}-manual`;
    await claims.create(claim(n, "later", "1Gi", { storageClassName: cls }));
    expect(await eventually(async () => {
      const m = await podScheduledFalse("waits-for-claim");
      return m.includes("unbound") ? m : undefined;
    })).toMatch(/^0\/\d+ nodes are available: pod has unbound immediate PersistentVolumeClaims\.$/);
    // A volume for it, on a pool node: the claim binds, the pod follows the volume's node.
    const target = pool.names[1]!;
    await volumes.create(
      volume(`${n}-manual`, "1Gi", {
        storageClassName: cls,
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [target] }] }] } },
      }),
    );
    await boundClaim("later");
    const pod = await running("waits-for-claim");
    expect(pod.spec.nodeName).toBe(target);
    expect((await realPod("waits-for-claim")).spec?.volumes).toContainEqual({ name: "data", hostPath: { path: `/mnt/${n}-manual`, type: "DirectoryOrCreate" } });
  });

  it("does not realize a pod bound by hand while its claim is missing, and says why", async () => {
    await pods.create(podUsing("pinned", "nowhere", { nodeName: pool.names[0] }));
    const realized = await eventually(async () => {
      const c = (await pods.get({ namespace: n, name: "pinned" })).status?.conditions?.find((x) => x.type === "Realized");
      return c?.status === "False" ? c : undefined;
    });
    expect(realized.reason).toBe("VolumeNotReady");
    expect(realized.message).toBe('volume "data": persistentvolumeclaim "nowhere" not found');
    expect(await eventsFor(kc, n, "pinned", "SuccessfulCreate")).toHaveLength(0);
  });
});
