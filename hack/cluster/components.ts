import { join } from "node:path";
import type { Ports } from "./state.ts";

/** Paths of one running cluster's files, all under .cluster/. */
export interface Layout {
  dir: string;
  pki: string;
  etcdData: string;
  adminKubeconfig: string;
  schedulerConfig: string;
  kwokConfig: string;
}

export function layout(dir: string): Layout {
  return {
    dir,
    pki: join(dir, "pki"),
    etcdData: join(dir, "etcd"),
    adminKubeconfig: join(dir, "admin.kubeconfig"),
    schedulerConfig: join(dir, "scheduler.yaml"),
    kwokConfig: join(dir, "kwok.yaml"),
  };
}

export const serviceClusterIPRange = "10.96.0.0/16";
export const podCIDR = "10.244.0.1/16";
/** Where kube-scheduler finds mirrorkube's extender; the manager listens there. */
export const extenderPathPrefix = "/scheduler";

const loopback = "127.0.0.1";

export function etcdArgs(l: Layout, p: Ports): string[] {
  const client = `http://${loopback}:${p.etcd}`;
  const peer = `http://${loopback}:${p.etcdPeer}`;
  return [
    "etcd",
    "--name=localkube",
    `--data-dir=${l.etcdData}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=localkube=${peer}`,
    // A throwaway dev store: fsync buys nothing but latency here.
    "--unsafe-no-fsync",
    "--log-level=warn",
  ];
}

export function apiserverArgs(l: Layout, p: Ports): string[] {
  const pki = (f: string) => join(l.pki, f);
  return [
    "kube-apiserver",
    `--etcd-servers=http://${loopback}:${p.etcd}`,
    `--bind-address=${loopback}`,
    // Without a default route the apiserver cannot pick an address to advertise.
    `--advertise-address=${loopback}`,
    `--secure-port=${p.apiserver}`,
    `--cert-dir=${l.pki}`,
    `--tls-cert-file=${pki("apiserver.crt")}`,
    `--tls-private-key-file=${pki("apiserver.key")}`,
    `--client-ca-file=${pki("ca.crt")}`,
    // Node: a real node's kubelet runs as system:node:<name> with what upstream
    // grants a kubelet, and NodeRestriction keeps it to its own Node and pods.
    // Both only concern users in system:nodes, so kwok-only clusters are unchanged.
    "--authorization-mode=Node,RBAC",
    // OwnerReferencesPermissionEnforcement (on in many production clusters): setting
    // blockOwnerDeletion needs update on the owner's finalizers subresource, so
    // the chart's RBAC, which the e2e manager runs with, is checked for it too.
    "--enable-admission-plugins=NodeRestriction,OwnerReferencesPermissionEnforcement",
    // How the API server authenticates to a kubelet (logs, exec); the kubelet authorizes it by webhook.
    `--kubelet-client-certificate=${pki("admin.crt")}`,
    `--kubelet-client-key=${pki("admin.key")}`,
    // A node's name need not resolve; its InternalIP is where its kubelet listens.
    "--kubelet-preferred-address-types=InternalIP,Hostname",
    `--service-account-issuer=https://${loopback}:${p.apiserver}`,
    `--service-account-key-file=${pki("sa.pub")}`,
    `--service-account-signing-key-file=${pki("sa.key")}`,
    `--service-cluster-ip-range=${serviceClusterIPRange}`,
    "--allow-privileged=true",
    "--profiling=false",
  ];
}

function componentAuthArgs(l: Layout, port: number): string[] {
  return [
    `--kubeconfig=${l.adminKubeconfig}`,
    `--authentication-kubeconfig=${l.adminKubeconfig}`,
    `--authorization-kubeconfig=${l.adminKubeconfig}`,
    `--bind-address=${loopback}`,
    `--secure-port=${port}`,
    "--leader-elect=false",
  ];
}

export function controllerManagerArgs(l: Layout, p: Ports): string[] {
  const pki = (f: string) => join(l.pki, f);
  return [
    "kube-controller-manager",
    ...componentAuthArgs(l, p.controllerManager),
    // Every default controller, so built-in kinds behave as in any cluster and
    // benchmarks can compare mirrorkube against them.
    "--controllers=*",
    `--service-account-private-key-file=${pki("sa.key")}`,
    `--root-ca-file=${pki("ca.crt")}`,
    `--cluster-signing-cert-file=${pki("ca.crt")}`,
    `--cluster-signing-key-file=${pki("ca.key")}`,
    `--service-cluster-ip-range=${serviceClusterIPRange}`,
    "--profiling=false",
  ];
}

export function schedulerArgs(l: Layout, p: Ports): string[] {
  return ["kube-scheduler", ...componentAuthArgs(l, p.scheduler), `--config=${l.schedulerConfig}`];
}

/**
 * kube-scheduler's configuration: it calls mirrorkube's extender, which runs
 * with the manager. The extender is ignorable so the scheduler keeps working
 * (and starts) while no manager runs; httpTimeout stays at the 5 s default.
 */
export function schedulerConfig(l: Layout, p: Ports, withExtender = true): string {
  const config = `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: ${l.adminKubeconfig}
leaderElection:
  leaderElect: false
`;
  return withExtender ? config + extenderConfig(p) : config;
}

function extenderConfig(p: Ports): string {
  return `extenders:
- urlPrefix: http://${loopback}:${p.extender}${extenderPathPrefix}
  filterVerb: filter
  prioritizeVerb: prioritize
  weight: 1
  # The extender keeps its own node cache: kube-scheduler sends node names, not Node objects.
  nodeCacheCapable: true
  ignorable: true
`;
}

export function kwokArgs(l: Layout, p: Ports): string[] {
  return [
    `--kubeconfig=${l.adminKubeconfig}`,
    `--config=${l.kwokConfig}`,
    "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
    `--server-address=${loopback}:${p.kwok}`,
    `--cidr=${podCIDR}`,
    "--node-lease-duration-seconds=40",
  ];
}
