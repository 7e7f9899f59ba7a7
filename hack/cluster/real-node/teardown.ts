// Removing what a real node leaves on the host once its processes stopped:
// container processes and cgroups, mounts under the cluster directory, the
// KUBE-* iptables chains, the CNI bridge, and the kubelet's log links. Each
// step works from what is there, so it also cleans up after a crash.
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { bridgeName, cgroupRoot, networkName } from "./components.ts";
import { delay } from "../processes.ts";
import { hostPath } from "./host.ts";

const env = { ...process.env, PATH: hostPath };

/** containerd's shims outlive containerd; ours carry its socket in their arguments. */
export function killShims(containerdSocket: string): number {
  let killed = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    } catch {
      continue; // gone meanwhile
    }
    if (!args[0]?.includes("containerd-shim")) continue;
    const i = args.indexOf("-address");
    if (i >= 0 && args[i + 1] === containerdSocket) {
      signal(Number(pid));
      killed++;
    }
  }
  return killed;
}

/** The cgroup directories of every hierarchy (v1: one per controller; v2: the unified one). */
function cgroupHierarchies(): string[] {
  if (existsSync("/sys/fs/cgroup/cgroup.controllers")) return ["/sys/fs/cgroup"];
  return readdirSync("/sys/fs/cgroup")
    .map((d) => join("/sys/fs/cgroup", d))
    .filter((d) => !lstatSync(d).isSymbolicLink() && existsSync(join(d, "cgroup.procs")));
}

/** The kubelet wants its cgroup root to exist. */
export function createCgroupRoot(): void {
  for (const h of cgroupHierarchies()) mkdirSync(join(h, cgroupRoot), { recursive: true });
}

/** Kills whatever still runs in the node's cgroups (containers whose shim died), then removes them, deepest first. */
export async function removeCgroups(): Promise<string[]> {
  const problems: string[] = [];
  for (const h of cgroupHierarchies()) {
    const root = join(h, cgroupRoot);
    if (!existsSync(root)) continue;
    const dirs = subdirs(root).sort((a, b) => b.length - a.length);
    for (const dir of dirs) {
      for (const pid of readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean)) signal(Number(pid));
    }
    for (const dir of dirs) {
      if (!(await rmdirRetrying(dir))) problems.push(`could not remove cgroup ${dir}`);
    }
  }
  return problems;
}

function subdirs(dir: string): string[] {
  const out = [dir];
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) out.push(...subdirs(join(dir, e.name)));
  return out;
}

/** A cgroup can be removed once its killed processes are reaped, a moment after SIGKILL. */
async function rmdirRetrying(dir: string): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    try {
      rmdirSync(dir);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return true;
      await delay(100);
    }
  }
  return false;
}

/** Mount points at or below `dir`, deepest first (from /proc/self/mountinfo, whose paths escape spaces as octal). */
export function mountsUnder(dir: string): string[] {
  const unescape = (s: string) => s.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((line) => unescape(line.split(" ")[4] ?? ""))
    .filter((mp) => mp === dir || mp.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

export function unmountUnder(dir: string): string[] {
  for (const mp of mountsUnder(dir)) {
    if (spawnSync("umount", [mp], { env }).status !== 0) spawnSync("umount", ["-l", mp], { env });
  }
  return mountsUnder(dir).map((mp) => `still mounted: ${mp}`);
}

/**
 * Deletes every KUBE-* chain (the kubelet's and kube-proxy's, in every table,
 * IPv4 and IPv6) and the rules that jump to them. KUBE-* chains are
 * Kubernetes', and the host claim makes ours the only Kubernetes here.
 */
export function removeKubeChains(): string[] {
  const problems: string[] = [];
  for (const cmd of ["iptables", "ip6tables"]) {
    for (const table of ["filter", "nat", "mangle", "raw"]) {
      const rules = spawnSync(cmd, ["-w", "-t", table, "-S"], { encoding: "utf8", env });
      if (rules.status !== 0) continue;
      const lines = rules.stdout.split("\n");
      const chains = lines.filter((l) => l.startsWith("-N KUBE-")).map((l) => l.slice(3));
      if (chains.length === 0) continue;
      // Rules of built-in chains that jump into ours; our own chains are flushed whole.
      for (const line of lines.filter((l) => l.startsWith("-A ") && / -j KUBE-/.test(l) && !l.startsWith("-A KUBE-"))) {
        const args = shellWords(line.slice(3));
        spawnSync(cmd, ["-w", "-t", table, "-D", ...args], { env });
      }
      for (const chain of chains) spawnSync(cmd, ["-w", "-t", table, "-F", chain], { env });
      for (const chain of chains) {
        const del = spawnSync(cmd, ["-w", "-t", table, "-X", chain], { encoding: "utf8", env });
        if (del.status !== 0) problems.push(`${cmd} -t ${table} -X ${chain}: ${del.stderr.trim()}`);
      }
    }
  }
  return problems;
}

/** Splits an `iptables -S` rule into arguments (comments come double-quoted). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2]!);
  return words;
}

export function removeBridge(): string[] {
  if (!existsSync(`/sys/class/net/${bridgeName}`)) return [];
  const res = spawnSync("ip", ["link", "delete", bridgeName], { encoding: "utf8", env });
  return res.status === 0 ? [] : [`ip link delete ${bridgeName}: ${res.stderr.trim()}`];
}

/** libcni caches each attachment's result in /var/lib/cni/results (a fixed path), named after the network. */
export function removeCniResults(): void {
  const dir = "/var/lib/cni/results";
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) if (name.startsWith(`${networkName}-`)) unlinkSync(join(dir, name));
}

/** The kubelet links every container's log into /var/log/containers (a fixed path); ours point into `podLogs`. */
export function removeLogLinks(podLogs: string): void {
  const dir = "/var/log/containers";
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const link = join(dir, name);
    try {
      if (readlinkSync(link).startsWith(`${podLogs}/`)) unlinkSync(link);
    } catch {
      // not a link, or gone
    }
  }
}

function signal(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone already
  }
}
