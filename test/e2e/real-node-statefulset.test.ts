import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kindRef, kinds, type PersistentVolume, type PersistentVolumeClaim, type PodStatus } from "../../operators/api/index.ts";
import { isNotFound, ResourceClient, RestClient, type KubeObject } from "../../operators/runtime/client/index.ts";
import { localCluster } from "./support/apiserver.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { busybox, findRealNode, hasController, onRealNode, page, SKIP_REASON } from "./support/real-node.ts";

// A mirror StatefulSet with a volume claim template, its claim provisioned by
// the mirrorkube.dev/hostpath provisioner on the real node: the pod writes a
// file into its volume, is deleted, and the replacement pod of the same name
// finds the file, because the claim (and the directory on the node) outlive it.

interface MirrorPod extends KubeObject {
  status?: PodStatus;
}

const kc = kubeConfig();
const realNode = await findRealNode(kc);
// The StatefulSet controller (issue 7) and the storage controllers (issue 6) with it.
const needed = ["statefulset", "persistentvolume-binder", "hostpath-provisioner"];
const missing = needed.filter((c) => !hasController(c));
const skip = !realNode ? `real node: skipped, ${SKIP_REASON}` : missing.length > 0 ? `real node StatefulSet: skipped, the manager has no ${missing.join(", ")} controller yet` : undefined;

// The pod's command: the first start writes a token into the volume, every
// start serves what it found (and, as PID 1, exits on SIGTERM at once).
const script = `
if [ -f /data/token ]; then echo "found $(cat /data/token)" > /www/index.html
else cat /proc/sys/kernel/random/uuid > /data/token && echo "wrote $(cat /data/token)" > /www/index.html
fi
trap 'exit 0' TERM
httpd -f -p 80 -h /www &
wait`;

describe.skipIf(!!skip)(skip ?? "a mirror StatefulSet with a hostpath volume on the real node", () => {
  const rest = new RestClient(kc, "e2e-real-node-statefulset");
  const statefulSets = new ResourceClient<KubeObject>(rest, kindRef(kinds.StatefulSet));
  const pods = new ResourceClient<MirrorPod>(rest, kindRef(kinds.Pod));
  const claims = new ResourceClient<PersistentVolumeClaim>(rest, kindRef(kinds.PersistentVolumeClaim));
  const volumes = new ResourceClient<PersistentVolume>(rest, kindRef(kinds.PersistentVolume));
  const classes = new ResourceClient<KubeObject>(rest, kindRef(kinds.StorageClass));
  let ns: Awaited<ReturnType<typeof testNamespace>>;
  let className: string;

  beforeAll(async () => {
    ns = await testNamespace(kc, "real-sts");
    className = `real-node-${ns.name}`;
    // Retain: the claim's data is the point here; the test removes the PV itself.
    await classes.create({ apiVersion: kinds.StorageClass.apiVersion, kind: "StorageClass", metadata: { name: className }, provisioner: "mirrorkube.dev/hostpath", reclaimPolicy: "Retain", volumeBindingMode: "WaitForFirstConsumer" } as KubeObject);
  });
  afterAll(async () => {
    const pvs = ns ? (await volumes.list()).items.filter((pv) => pv.spec.claimRef?.namespace === ns.name) : [];
    await ns?.remove();
    for (const pv of pvs) {
      await volumes.delete({ name: pv.metadata.name ?? "" }).catch(() => undefined);
      // Retained data on this machine (the local real node): the test's own, so it goes too.
      if (localCluster()?.realNode && pv.spec.hostPath?.path) rmSync(pv.spec.hostPath.path, { recursive: true, force: true });
    }
    for (const name of [className, `${className}-delete`]) if (className) await classes.delete({ name }).catch(() => undefined);
    rest.close();
  });

  const running = (name: string, uid?: string) =>
    eventually(
      async () => {
        const p = await pods.get({ namespace: ns.name, name });
        const ok = p.metadata?.uid !== uid && p.status?.phase === "Running" && p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True");
        return ok ? p : undefined;
      },
      { what: `${name} Running${uid ? " again, as a new pod" : ""}`, timeoutMs: 120_000 },
    );

  it("gives the replacement pod the file its predecessor wrote into the claim", async () => {
    await statefulSets.create({
      apiVersion: kinds.StatefulSet.apiVersion,
      kind: "StatefulSet",
      metadata: { name: "db", namespace: ns.name },
      spec: {
        replicas: 1,
        serviceName: "db",
        selector: { matchLabels: { app: "db" } },
        template: {
          metadata: { labels: { app: "db" } },
          spec: { ...onRealNode, containers: [busybox({}, { command: ["sh", "-c", script], volumeMounts: [{ name: "data", mountPath: "/data" }] })] },
        },
        volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: className, resources: { requests: { storage: "16Mi" } } } }],
      },
    } as KubeObject);

    const first = await running("db-0");
    const wrote = await page(`http://${first.status!.podIP}/`);
    expect(wrote).toMatch(/^wrote [0-9a-f-]{36}$/);
    const token = wrote!.slice("wrote ".length);

    // The claim is bound to a hostpath PV on the real node, whose directory holds the token.
    const claim = await claims.get({ namespace: ns.name, name: "data-db-0" });
    expect(claim.status?.phase).toBe("Bound");
    const pv = await volumes.get({ name: claim.spec.volumeName ?? "" });
    const path = pv.spec.hostPath?.path ?? "";
    expect(pv.spec.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions?.[0]?.values).toEqual([realNode!.metadata?.name]);
    // The local real node is this machine: the directory is here.
    if (localCluster()?.realNode) expect(readFileSync(join(path, "token"), "utf8").trim()).toBe(token);

    await pods.delete({ namespace: ns.name, name: "db-0" });
    const second = await running("db-0", first.metadata?.uid);
    expect(await page(`http://${second.status!.podIP}/`)).toBe(`found ${token}`);
    expect((await claims.get({ namespace: ns.name, name: "data-db-0" })).spec.volumeName).toBe(pv.metadata.name);
  });

  it("removes a deleted claim's directory from the node before the volume (reclaim policy Delete)", async () => {
    const deleting = `${className}-delete`;
    await classes.create({ apiVersion: kinds.StorageClass.apiVersion, kind: "StorageClass", metadata: { name: deleting }, provisioner: "mirrorkube.dev/hostpath", reclaimPolicy: "Delete", volumeBindingMode: "WaitForFirstConsumer" } as KubeObject);
    await claims.create({
      apiVersion: kinds.PersistentVolumeClaim.apiVersion,
      kind: "PersistentVolumeClaim",
      metadata: { name: "scratch", namespace: ns.name },
      spec: { accessModes: ["ReadWriteOnce"], storageClassName: deleting, resources: { requests: { storage: "16Mi" } } },
    } as unknown as PersistentVolumeClaim);
    await pods.create({
      apiVersion: kinds.Pod.apiVersion,
      kind: "Pod",
      metadata: { name: "scratch", namespace: ns.name },
      spec: {
        ...onRealNode,
        containers: [busybox({}, { command: ["sh", "-c", "echo data > /data/file; trap 'exit 0' TERM; sleep 3600 & wait"], volumeMounts: [{ name: "data", mountPath: "/data" }] })],
        volumes: [{ name: "data", persistentVolumeClaim: { claimName: "scratch" } }],
      },
    } as KubeObject);
    await running("scratch");
    const pv = await volumes.get({ name: (await claims.get({ namespace: ns.name, name: "scratch" })).spec.volumeName ?? "" });
    const path = pv.spec.hostPath?.path ?? "";
    const here = !!localCluster()?.realNode;
    if (here) expect(readFileSync(join(path, "file"), "utf8").trim()).toBe("data");

    await pods.delete({ namespace: ns.name, name: "scratch" });
    await claims.delete({ namespace: ns.name, name: "scratch" });
    // The provisioner deletes the PV only once its cleanup Pod, run on the real node, has removed the directory.
    await eventually(
      async () => {
        try {
          await volumes.get({ name: pv.metadata.name ?? "" });
          return false;
        } catch (err) {
          return isNotFound(err);
        }
      },
      { what: `volume ${pv.metadata.name} deleted`, timeoutMs: 120_000 },
    );
    if (here) expect(existsSync(path)).toBe(false);
  });
});
