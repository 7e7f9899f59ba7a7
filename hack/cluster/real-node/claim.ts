// One real node per machine: kube-proxy owns the host's KUBE-* iptables
// chains, so two would undo each other. The claim (in /run, gone at reboot
// as everything it guards) names the cluster directory that holds the real
// node and records what the node changes on the host and must give back:
// sysctls the kubelet, CNI and kube-proxy set, and host directories they
// create when missing.
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { DEFAULT_HOSTPATH_ROOT } from "../../../operators/storage/provisioner/names.ts";
import { ClusterError } from "../errors.ts";
import { unmountUnder } from "./teardown.ts";

export const claimFile = "/run/mirrorkube/real-node.json";

/**
 * Set by the kubelet (its kernel defaults, protectKernelDefaults being false),
 * the CNI bridge (ip_forward) and the pod network's need for Service traffic
 * between pods on one bridge (bridge-nf-call-iptables).
 */
const sysctls = [
  "net/ipv4/ip_forward",
  "net/bridge/bridge-nf-call-iptables",
  "net/bridge/bridge-nf-call-ip6tables",
  "vm/overcommit_memory",
  "vm/panic_on_oom",
  "kernel/panic",
  "kernel/panic_on_oops",
  "kernel/keys/root_maxkeys",
  "kernel/keys/root_maxbytes",
];

/**
 * Host directories a real node writes outside its cluster directory, because
 * the paths are fixed: the kubelet's device-plugin socket dir, the
 * /var/log/containers links, CNI's result cache, the shims' sockets, and the
 * hostpath provisioner's volumes (the kubelet creates them on the node).
 * Each is removed at the end only if the claim saw it missing.
 */
const hostDirs = ["/var/lib/kubelet", "/var/log/containers", "/var/lib/cni", "/run/containerd", dirname(DEFAULT_HOSTPATH_ROOT)];

export interface HostClaim {
  clusterDir: string;
  /** Values before the real node started, restored when it stops. */
  sysctls: Record<string, string>;
  /** hostDirs that did not exist before. */
  createdDirs: string[];
}

export function readClaim(): HostClaim | undefined {
  try {
    return JSON.parse(readFileSync(claimFile, "utf8")) as HostClaim;
  } catch {
    return undefined;
  }
}

/**
 * Claims the machine for the real node of `clusterDir`. Fails if a live
 * cluster elsewhere holds it; a claim left by a cluster that is gone is
 * handed to `cleanStale` first.
 */
export async function claimHost(clusterDir: string, ownerAlive: (dir: string) => boolean, cleanStale: (claim: HostClaim) => Promise<void>): Promise<HostClaim> {
  const existing = readClaim();
  if (existing && existing.clusterDir !== clusterDir) {
    if (ownerAlive(existing.clusterDir)) {
      throw new ClusterError(
        `the cluster in ${existing.clusterDir} already runs a real node on this machine, and there can be one per machine (kube-proxy owns the host's iptables chains)`,
        `Stop it first (MIRRORKUBE_CLUSTER_DIR=${existing.clusterDir} npm run cluster:down), or run this cluster without --real-nodes.`,
      );
    }
    await cleanStale(existing);
  }
  if (existing?.clusterDir === clusterDir) return existing;
  const claim: HostClaim = {
    clusterDir,
    sysctls: Object.fromEntries(sysctls.filter((s) => existsSync(`/proc/sys/${s}`)).map((s) => [s, readFileSync(`/proc/sys/${s}`, "utf8").trim()])),
    createdDirs: hostDirs.filter((d) => !existsSync(d)),
  };
  mkdirSync(dirname(claimFile), { recursive: true });
  writeFileSync(claimFile, JSON.stringify(claim, null, 2) + "\n");
  return claim;
}

export function setSysctl(name: string, value: string): void {
  writeFileSync(`/proc/sys/${name}`, value);
}

/** Gives the host back what the claim recorded, then drops the claim. */
export function releaseHost(claim: HostClaim): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(claim.sysctls)) {
    try {
      setSysctl(name, value);
    } catch (err) {
      problems.push(`could not restore ${name.replaceAll("/", ".")}=${value}: ${(err as Error).message}`);
    }
  }
  for (const dir of claim.createdDirs) removeCreatedDir(dir, problems);
  rmSync(claimFile, { force: true });
  try {
    rmdirSync(dirname(claimFile));
  } catch {
    // another file of ours is there, or it is gone already
  }
  return problems;
}

/**
 * A directory that was missing when the real node started holds only what
 * the node put there (sockets of killed shims, CNI caches, the kubelet's
 * device-plugin checkpoint, volumes), so it goes whole, after unmounting
 * whatever a crashed runtime left mounted in it.
 */
function removeCreatedDir(dir: string, problems: string[]): void {
  if (!existsSync(dir)) return;
  problems.push(...unmountUnder(dir));
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch (err) {
    problems.push(`could not remove ${dir}: ${(err as Error).message}`);
  }
}
