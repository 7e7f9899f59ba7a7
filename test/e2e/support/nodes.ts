import { CoreV1Api, type KubeConfig, type V1Taint } from "@kubernetes/client-node";
import { eventually } from "./eventually.ts";

/** The taint that keeps every other test's pods off a pool; pool pods tolerate it. */
export function poolTaint(pool: string): V1Taint {
  return { key: "mirrorkube.dev/pool", value: pool, effect: "NoSchedule" };
}

export function poolToleration(pool: string) {
  return { key: "mirrorkube.dev/pool", operator: "Equal", value: pool, effect: "NoSchedule" } as const;
}

/** A stable small number per pool, for its node addresses. */
function poolIndex(pool: string): number {
  let h = 0;
  for (const c of pool) h = (h * 31 + c.charCodeAt(0)) % 250;
  return h;
}

/**
 * A private pool of kwok Nodes for one test file: labelled mirrorkube.dev/pool
 * and tainted, so only that file's pods (which select and tolerate the pool)
 * land there and capacity assertions are exact. Waits until kwok made them Ready.
 */
export async function createPool(kc: KubeConfig, pool: string, count: number, capacity = { cpu: "4", memory: "8Gi", pods: "20" }): Promise<{ names: string[]; remove: () => Promise<void> }> {
  const core = kc.makeApiClient(CoreV1Api);
  const names = Array.from({ length: count }, (_, i) => `${pool}-${i}`);
  for (const [i, name] of names.entries()) {
    await core.createNode({
      body: {
        metadata: {
          name,
          annotations: { "kwok.x-k8s.io/node": "fake" },
          labels: { type: "kwok-e2e", "mirrorkube.dev/pool": pool, "kubernetes.io/hostname": name, "topology.kubernetes.io/zone": `${pool}-zone-${i}` },
        },
        spec: { taints: [poolTaint(pool)] },
        status: { allocatable: capacity, capacity, addresses: [{ type: "InternalIP", address: `10.241.${poolIndex(pool)}.${i + 1}` }] },
      },
    });
  }
  await eventually(
    async () => {
      const nodes = await core.listNode({ labelSelector: `mirrorkube.dev/pool=${pool}` });
      // Ready, and the node lifecycle controller has lifted its not-ready taint.
      return (
        nodes.items.length === count &&
        nodes.items.every((n) => n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") && n.spec?.taints?.length === 1)
      );
    },
    { what: `pool ${pool} Ready`, timeoutMs: 60_000 },
  );
  return {
    names,
    remove: async () => {
      for (const name of names) await core.deleteNode({ name }).catch(() => undefined);
    },
  };
}
