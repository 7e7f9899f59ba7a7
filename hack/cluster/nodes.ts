import { stringify } from "yaml";

/** Zones the fake nodes are spread over, so topology tests have domains. */
const zones = ["zone-a", "zone-b", "zone-c"];

export function kwokNodeName(i: number): string {
  return `kwok-node-${i}`;
}

/** Fake Nodes kwok manages (picked by its annotation), each with room for real work. */
export function kwokNodes(count: number): string {
  const nodes = Array.from({ length: count }, (_, i) => {
    const name = kwokNodeName(i);
    return {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name,
        annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
        labels: {
          type: "kwok",
          "kubernetes.io/hostname": name,
          "kubernetes.io/os": "linux",
          "kubernetes.io/arch": "amd64",
          "node-role.kubernetes.io/agent": "",
          "topology.kubernetes.io/zone": zones[i % zones.length],
        },
      },
      status: {
        addresses: [
          { type: "InternalIP", address: `10.240.${Math.floor(i / 250)}.${(i % 250) + 1}` },
          { type: "Hostname", address: name },
        ],
        allocatable: { cpu: "32", memory: "256Gi", pods: "110" },
        capacity: { cpu: "32", memory: "256Gi", pods: "110" },
      },
    };
  });
  return nodes.map((n) => stringify(n)).join("---\n");
}
