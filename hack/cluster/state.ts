import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { stateFile } from "./paths.ts";
import type { RunningProcess } from "./processes.ts";

/** A real node's ports: the kubelet's API and healthz, kube-proxy's healthz and metrics, CoreDNS's DNS, health and ready. */
export const realNodePortNames = ["kubelet", "kubeletHealthz", "proxyHealthz", "proxyMetrics", "dns", "dnsHealth", "dnsReady"] as const;
export type RealNodePorts = Record<(typeof realNodePortNames)[number], number>;

/** A kubelet, containerd, kube-proxy and CoreDNS on this machine, registered as a Node. */
export interface RealNodeState {
  name: string;
  /** The address the Node reports (this machine's). */
  nodeIP: string;
  podCIDR: string;
  /** The kube-dns Service's ClusterIP, the pods' nameserver. */
  clusterDNS: string;
  ports: RealNodePorts;
}

export const portNames = ["etcd", "etcdPeer", "apiserver", "controllerManager", "scheduler", "kwok", "extender"] as const;
export type Ports = Record<(typeof portNames)[number], number>;

/** What `cluster:up` started, persisted so later commands can find and stop it. */
export interface ClusterState {
  kubernetesVersion: string;
  localkube: string;
  kwok: string;
  ports: Ports;
  processes: RunningProcess[];
  nodes: number;
  /** Set while a real node runs (`--real-nodes 1`). */
  realNode?: RealNodeState;
  startedAt: string;
  /** Set once every component answered ready; a state without it is a half-started cluster. */
  readyAt?: string;
}

/** This cluster's state, or (with `file`) another cluster directory's. */
export function readState(file = stateFile): ClusterState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as ClusterState;
  } catch {
    return undefined;
  }
}

export function writeState(state: ClusterState, file = stateFile): void {
  writeFileSync(file, JSON.stringify(state, null, 2) + "\n");
}
