// Cluster DNS for the real node's pods: CoreDNS (hack/coredns) as a host
// process beside the kubelet, reading Services from the API server as
// system:coredns, behind the usual kube-system/kube-dns Service. Its
// endpoint is this machine's address, so kube-proxy routes 10.96.0.10:53
// from pods and from the host alike.
import { join } from "node:path";
import { stringify } from "yaml";
import type { Layout } from "../components.ts";
import { ClusterError } from "../errors.ts";
import { kubectl } from "../kubectl.ts";
import type { RealNodeState } from "../state.ts";

/** kubeadm's choice: the tenth address of the Service range. */
export const preferredDNSServiceIP = "10.96.0.10";
export const clusterDomain = "cluster.local";

export function corefile(l: Layout, node: RealNodeState): string {
  return `.:${node.ports.dns} {
    bind ${node.nodeIP}
    errors
    health 127.0.0.1:${node.ports.dnsHealth}
    ready 127.0.0.1:${node.ports.dnsReady}
    kubernetes ${clusterDomain} in-addr.arpa ip6.arpa {
        kubeconfig ${join(l.dir, "coredns.kubeconfig")}
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    forward . /etc/resolv.conf
    cache 5
    loadbalance
}
`;
}

/** What upstream's CoreDNS manifest grants it, bound to the user of its client certificate. */
const rbac = [
  {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: "system:coredns" },
    rules: [
      { apiGroups: [""], resources: ["endpoints", "services", "pods", "namespaces"], verbs: ["list", "watch"] },
      { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list", "watch"] },
    ],
  },
  {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: "system:coredns" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:coredns" },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "system:coredns" }],
  },
];

export async function applyCoreDNSRbac(localkube: string, kubeconfig: string): Promise<void> {
  const res = await kubectl(localkube, kubeconfig, ["apply", "-f", "-"], rbac.map((o) => stringify(o)).join("---\n"));
  if (res.code !== 0) throw new ClusterError(`granting CoreDNS its rights failed: ${res.stderr}`);
}

/**
 * The kube-dns Service (no selector) and its EndpointSlice: this machine's
 * address at CoreDNS's port. Returns the Service's ClusterIP: 10.96.0.10,
 * or the one it already has, or another if that one is taken.
 */
export async function publishDNSService(localkube: string, kubeconfig: string, node: RealNodeState): Promise<string> {
  const ports = [
    { name: "dns", port: 53, targetPort: node.ports.dns, protocol: "UDP" },
    { name: "dns-tcp", port: 53, targetPort: node.ports.dns, protocol: "TCP" },
  ];
  const service = (clusterIP?: string) => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "kube-dns", namespace: "kube-system", labels: { "k8s-app": "kube-dns", "kubernetes.io/name": "CoreDNS" } },
    spec: { ...(clusterIP && { clusterIP }), ports },
  });
  const existing = await kubectl(localkube, kubeconfig, ["get", "service", "kube-dns", "-n", "kube-system", "-o", "jsonpath={.spec.clusterIP}"]);
  let ip = existing.code === 0 ? existing.stdout.trim() : "";
  if (!ip) {
    let created = await kubectl(localkube, kubeconfig, ["create", "-f", "-", "-o", "jsonpath={.spec.clusterIP}"], JSON.stringify(service(preferredDNSServiceIP)));
    if (created.code !== 0 && /already allocated/.test(created.stderr)) created = await kubectl(localkube, kubeconfig, ["create", "-f", "-", "-o", "jsonpath={.spec.clusterIP}"], JSON.stringify(service()));
    if (created.code !== 0) throw new ClusterError(`creating the kube-dns Service failed: ${created.stderr}`);
    ip = created.stdout.trim();
  }
  const slice = {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { name: "kube-dns-real-node", namespace: "kube-system", labels: { "kubernetes.io/service-name": "kube-dns", "endpointslice.kubernetes.io/managed-by": "cluster-up.mirrorkube.dev" } },
    addressType: "IPv4",
    endpoints: [{ addresses: [node.nodeIP], conditions: { ready: true }, nodeName: node.name }],
    ports: ports.map((p) => ({ name: p.name, port: p.targetPort, protocol: p.protocol })),
  };
  const applied = await kubectl(localkube, kubeconfig, ["apply", "-f", "-"], JSON.stringify(slice));
  if (applied.code !== 0) throw new ClusterError(`publishing CoreDNS's endpoint failed: ${applied.stderr}`);
  return ip;
}
