// The benchmark's kwok nodes, created here rather than by `cluster:up --nodes`
// (whose readiness wait, one `kubectl wait` over every node with a 5 s
// timeout, cannot finish for 50 nodes on a busy 2-core machine): the nodes
// cluster:up would create, the missing ones added, then one list per second
// until all are Ready.
import { parseAllDocuments } from "yaml";
import { kwokNodes } from "../../hack/cluster/nodes.ts";
import { isAlreadyExists, ResourceClient, type KubeObject, type RestClient } from "../../operators/runtime/client/index.ts";

interface Node extends KubeObject {
  status?: { conditions?: { type: string; status: string }[] };
}

export async function ensureKwokNodes(rest: RestClient, count: number, timeoutMs = 300_000): Promise<void> {
  const nodes = new ResourceClient<Node>(rest, { group: "", version: "v1", plural: "nodes", namespaced: false });
  for (const doc of parseAllDocuments(kwokNodes(count))) {
    try {
      await nodes.create(doc.toJSON() as Node);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await nodes.list({ labelSelector: "type=kwok" });
    const ready = list.items.filter((n) => n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length;
    if (ready >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${ready} of ${count} kwok nodes Ready after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
