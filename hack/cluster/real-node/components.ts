// The files and flags of a real node's three processes: containerd (with its
// CRI plugin and our CNI network), the kubelet and kube-proxy. Everything
// they keep lives under <cluster dir>/real-node/.
import { join } from "node:path";
import { stringify } from "yaml";
import { pauseImage } from "../../images/images.ts";
import type { Layout } from "../components.ts";
import type { RealNodeState } from "../state.ts";
import { clusterDomain } from "./coredns.ts";

/** Pod addresses of real nodes: beside kwok's 10.244.0.0/16 and the Services' 10.96.0.0/16. */
export const realPodCIDR = "10.245.0.0/16";
/** The first (and only) real node's pods. */
export const nodePodCIDR = "10.245.0.0/24";
/** The Linux bridge the CNI bridge plugin creates; its gateway address is the subnet's first. */
export const bridgeName = "mirrorkube0";
/** The CNI network's name (CNI's result cache files carry it). */
export const networkName = "mirrorkube";
/** The real node's cgroups sit under this parent in every hierarchy, so they are easy to find and remove. */
export const cgroupRoot = "/mirrorkube";

/** Labels tests select the real node by; the instance type is one the kubelet may set on itself. */
export const realNodeLabels = { "mirrorkube.dev/node-type": "real", "node.kubernetes.io/instance-type": "real" };
/** Keeps every pod that does not tolerate it (every other e2e file's) off the real node. */
export const realNodeTaint = { key: "mirrorkube.dev/real-node", value: "true", effect: "NoSchedule" } as const;

export function realNodeName(i: number): string {
  return `real-node-${i}`;
}

export interface RealNodeLayout {
  dir: string;
  containerdConfig: string;
  containerdRoot: string;
  containerdState: string;
  containerdSocket: string;
  runcRoot: string;
  cniConfDir: string;
  cniDataDir: string;
  kubeletConfig: string;
  kubeletRoot: string;
  podLogs: string;
  proxyConfig: string;
  corefile: string;
  images: string;
}

export function realNodeLayout(clusterDir: string): RealNodeLayout {
  const dir = join(clusterDir, "real-node");
  return {
    dir,
    containerdConfig: join(dir, "containerd.toml"),
    containerdRoot: join(dir, "containerd", "root"),
    containerdState: join(dir, "containerd", "state"),
    containerdSocket: join(dir, "containerd", "containerd.sock"),
    runcRoot: join(dir, "runc"),
    cniConfDir: join(dir, "cni", "net.d"),
    cniDataDir: join(dir, "cni", "ipam"),
    kubeletConfig: join(dir, "kubelet.yaml"),
    kubeletRoot: join(dir, "kubelet"),
    podLogs: join(dir, "pods"),
    proxyConfig: join(dir, "kube-proxy.yaml"),
    corefile: join(dir, "Corefile"),
    images: join(dir, "images"),
  };
}

/**
 * containerd 1.6's config (version 2): its own root, state and socket, the
 * CRI plugin with our sandbox image and CNI network, runc with cgroupfs.
 * Without CAP_SYS_RESOURCE (as in some VMs and containers) no process may
 * lower its oom_score_adj, and runc would fail to start every sandbox (the
 * kubelet asks for -998); restrict_oom_score_adj keeps containers at
 * containerd's own score or above.
 */
export function containerdConfig(r: RealNodeLayout, cniBinDir: string, restrictOomScoreAdj: boolean): string {
  const cri = `plugins."io.containerd.grpc.v1.cri"`;
  return `version = 2
root = ${JSON.stringify(r.containerdRoot)}
state = ${JSON.stringify(r.containerdState)}
# Only the overlayfs snapshotter is used; the others would only log that they cannot start.
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]

[grpc]
  address = ${JSON.stringify(r.containerdSocket)}

[ttrpc]
  address = ${JSON.stringify(`${r.containerdSocket}.ttrpc`)}

[plugins."io.containerd.internal.v1.opt"]
  path = ${JSON.stringify(join(r.dir, "containerd", "opt"))}

[${cri}]
  sandbox_image = ${JSON.stringify(pauseImage)}
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  disable_apparmor = true
  restrict_oom_score_adj = ${restrictOomScoreAdj}
  # Pod network namespaces are mounted in our state dir, not /run/netns, so
  # cleaning up after a crash finds them (and only them).
  netns_mounts_under_state_dir = true

[${cri}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"

[${cri}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

[${cri}.containerd.runtimes.runc.options]
  SystemdCgroup = false
  Root = ${JSON.stringify(r.runcRoot)}

[${cri}.cni]
  bin_dir = ${JSON.stringify(cniBinDir)}
  conf_dir = ${JSON.stringify(r.cniConfDir)}
  max_conf_num = 1
`;
}

/**
 * The pod network: a Linux bridge with the node's /24, the host as gateway
 * (so the host reaches every pod and kube-proxy's DNAT from the host works),
 * hairpin so a pod reaches itself through its Service. No masquerading: pods
 * only talk to the host and each other, and no per-pod iptables rules are left
 * to clean. containerd adds the loopback interface itself.
 */
export function cniConflist(r: RealNodeLayout): string {
  return JSON.stringify(
    {
      cniVersion: "1.0.0",
      name: networkName,
      plugins: [
        {
          type: "bridge",
          bridge: bridgeName,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: { type: "host-local", ranges: [[{ subnet: nodePodCIDR }]], routes: [{ dst: "0.0.0.0/0" }], dataDir: r.cniDataDir },
        },
      ],
    },
    null,
    2,
  );
}

/**
 * The kubelet's configuration. It serves on the node's address (where the
 * API server reaches it for logs and exec) and authenticates callers by the
 * cluster CA; pods get CoreDNS as their nameserver; it may run on cgroup v1
 * (failCgroupV1 false, the 1.34 default, said explicitly). Evictions only at the very last: a shared dev
 * machine's disk and memory are not the test's business.
 */
export function kubeletConfig(l: Layout, r: RealNodeLayout, node: RealNodeState): string {
  return stringify({
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    cgroupDriver: "cgroupfs",
    cgroupRoot,
    failCgroupV1: false,
    containerRuntimeEndpoint: `unix://${r.containerdSocket}`,
    podLogsDir: r.podLogs,
    address: node.nodeIP,
    port: node.ports.kubelet,
    readOnlyPort: 0,
    healthzBindAddress: "127.0.0.1",
    healthzPort: node.ports.kubeletHealthz,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: join(l.pki, "ca.crt") } },
    authorization: { mode: "Webhook" },
    registerWithTaints: [realNodeTaint],
    clusterDNS: [node.clusterDNS],
    clusterDomain,
    evictionHard: { "memory.available": "100Mi", "nodefs.available": "1%", "imagefs.available": "1%", "nodefs.inodesFree": "1%" },
    imageGCHighThresholdPercent: 100,
    failSwapOn: false,
    serializeImagePulls: false,
    // Report status often, so tests see Ready and restarts promptly.
    nodeStatusUpdateFrequency: "5s",
    syncFrequency: "10s",
  });
}

export function kubeletArgs(l: Layout, r: RealNodeLayout, node: RealNodeState): string[] {
  return [
    "kubelet",
    `--config=${r.kubeletConfig}`,
    `--kubeconfig=${join(l.dir, `${node.name}.kubeconfig`)}`,
    `--root-dir=${r.kubeletRoot}`,
    `--cert-dir=${join(r.kubeletRoot, "pki")}`,
    `--hostname-override=${node.name}`,
    `--node-ip=${node.nodeIP}`,
    `--node-labels=${Object.entries(realNodeLabels)
      .map(([k, v]) => `${k}=${v}`)
      .join(",")}`,
  ];
}

/**
 * kube-proxy in iptables mode. Conntrack limits and timeouts stay as the host
 * has them (0 = leave alone: no host-wide sysctl changes, and inside some
 * sandboxes they cannot be written); NodePorts are not served on localhost, which
 * would need route_localnet.
 */
export function kubeProxyConfig(l: Layout, node: RealNodeState): string {
  return stringify({
    apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
    kind: "KubeProxyConfiguration",
    clientConnection: { kubeconfig: join(l.dir, "kube-proxy.kubeconfig") },
    mode: "iptables",
    clusterCIDR: realPodCIDR,
    hostnameOverride: node.name,
    bindAddress: "127.0.0.1",
    healthzBindAddress: `127.0.0.1:${node.ports.proxyHealthz}`,
    metricsBindAddress: `127.0.0.1:${node.ports.proxyMetrics}`,
    nodePortAddresses: ["primary"],
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: "0s", tcpCloseWaitTimeout: "0s" },
    iptables: { localhostNodePorts: false },
  });
}
