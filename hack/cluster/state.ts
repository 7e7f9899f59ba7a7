import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { stateFile } from "./paths.ts";
import type { RunningProcess } from "./processes.ts";

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
  startedAt: string;
  /** Set once every component answered ready; a state without it is a half-started cluster. */
  readyAt?: string;
}

export function readState(): ClusterState | undefined {
  if (!existsSync(stateFile)) return undefined;
  try {
    return JSON.parse(readFileSync(stateFile, "utf8")) as ClusterState;
  } catch {
    return undefined;
  }
}

export function writeState(state: ClusterState): void {
  writeFileSync(stateFile, JSON.stringify(state, null, 2) + "\n");
}
