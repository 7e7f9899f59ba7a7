import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { layout, podCIDR as kwokPodCIDR, serviceClusterIPRange } from "../components.ts";
import { cniConflist, containerdConfig, kubeletConfig, kubeProxyConfig, nodePodCIDR, realNodeLayout, realNodeTaint, realPodCIDR } from "./components.ts";
import { shellWords } from "./teardown.ts";

/** [first, last] address of a CIDR, as numbers. */
function range(cidr: string): [number, number] {
  const [ip, bits] = cidr.split("/") as [string, string];
  const n = ip.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  const first = n - (n % size);
  return [first, first + size - 1];
}
const overlaps = (a: string, b: string) => {
  const [a0, a1] = range(a);
  const [b0, b1] = range(b);
  return a0 <= b1 && b0 <= a1;
};

const l = layout("/c");
const r = realNodeLayout("/c");
const node = { name: "real-node-0", nodeIP: "192.0.2.2", podCIDR: nodePodCIDR, clusterDNS: "10.96.0.10", ports: { kubelet: 1, kubeletHealthz: 2, proxyHealthz: 3, proxyMetrics: 4, dns: 5, dnsHealth: 6, dnsReady: 7 } };

describe("the real node's addresses", () => {
  it("keep real pods apart from kwok's pods and from Service IPs", () => {
    expect(overlaps(realPodCIDR, kwokPodCIDR)).toBe(false);
    expect(overlaps(realPodCIDR, serviceClusterIPRange)).toBe(false);
    expect(range(nodePodCIDR)[0]).toBeGreaterThanOrEqual(range(realPodCIDR)[0]);
    expect(range(nodePodCIDR)[1]).toBeLessThanOrEqual(range(realPodCIDR)[1]);
  });

  it("give the CNI bridge the node's subnet, with IPAM state under the cluster directory", () => {
    const conf = JSON.parse(cniConflist(r));
    const [bridge] = conf.plugins;
    expect(bridge.ipam.ranges).toEqual([[{ subnet: nodePodCIDR }]]);
    expect(bridge.ipam.dataDir.startsWith("/c/")).toBe(true);
    expect(bridge.isGateway).toBe(true);
  });
});

describe("the real node's configs", () => {
  it("run the kubelet on cgroupfs, cgroup v1 allowed, tainted, against our containerd and CoreDNS", () => {
    expect(parse(kubeletConfig(l, r, node))).toMatchObject({
      cgroupDriver: "cgroupfs",
      failCgroupV1: false,
      containerRuntimeEndpoint: `unix://${r.containerdSocket}`,
      registerWithTaints: [realNodeTaint],
      clusterDNS: ["10.96.0.10"],
      clusterDomain: "cluster.local",
    });
  });

  it("keep containerd's state, runc's and the sandbox image ours", () => {
    const toml = containerdConfig(r, "/usr/lib/cni", true);
    for (const line of [`root = "/c/real-node/containerd/root"`, `sandbox_image = "mirrorkube.local/pause:1"`, `SystemdCgroup = false`, `Root = "/c/real-node/runc"`, `restrict_oom_score_adj = true`]) {
      expect(toml).toContain(line);
    }
  });

  it("run kube-proxy in iptables mode over the real pods, leaving the host's conntrack settings alone", () => {
    expect(parse(kubeProxyConfig(l, node))).toMatchObject({
      mode: "iptables",
      clusterCIDR: realPodCIDR,
      conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: "0s", tcpCloseWaitTimeout: "0s" },
    });
  });
});

describe("shellWords", () => {
  it("splits an iptables -S rule, keeping quoted comments whole", () => {
    expect(shellWords(`OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES`)).toEqual(["OUTPUT", "-m", "comment", "--comment", "kubernetes service portals", "-j", "KUBE-SERVICES"]);
    expect(shellWords(`INPUT -m comment --comment "a \\"quoted\\" word" -j KUBE-FIREWALL`)).toEqual(["INPUT", "-m", "comment", "--comment", 'a "quoted" word', "-j", "KUBE-FIREWALL"]);
  });
});
