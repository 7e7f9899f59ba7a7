// What a real node needs from this machine, and getting it: root, cgroups,
// and Debian's containerd, runc, CNI plugins, busybox-static and iptables
// (installed with apt-get when missing, nothing else).
import { spawn, spawnSync } from "node:child_process";
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, readSync } from "node:fs";
import { delimiter, join } from "node:path";
import { busyboxBinary } from "../../images/images.ts";
import { ClusterError } from "../errors.ts";
import type { Progress } from "../progress.ts";

/** PATH for the node's processes: containerd finds runc, the kubelet finds iptables and mount there. */
export const hostPath = [...(process.env.PATH ?? "").split(delimiter), "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
  .filter((d, i, all) => d && all.indexOf(d) === i)
  .join(delimiter);

const cniBinDirs = ["/usr/lib/cni", "/opt/cni/bin"];
const cniPlugins = ["bridge", "host-local", "loopback"];

interface Requirement {
  /** The Debian package that provides it. */
  pkg: string;
  present: () => boolean;
}

const requirements: Requirement[] = [
  { pkg: "containerd", present: () => ["containerd", "containerd-shim-runc-v2", "ctr"].every(onPath) },
  { pkg: "runc", present: () => onPath("runc") },
  { pkg: "containernetworking-plugins", present: () => cniBinDir() !== undefined },
  { pkg: "busybox-static", present: () => existsSync(busyboxBinary) && isStatic(busyboxBinary) },
  { pkg: "iptables", present: () => onPath("iptables") },
  { pkg: "iproute2", present: () => onPath("ip") },
];

export type Support = { ok: true } | { ok: false; reason: string };

/** Whether this machine can run a real node at all (before anything is installed). */
export function realNodeSupport(): Support {
  if (process.platform !== "linux") return { ok: false, reason: `real nodes need Linux (this is ${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, reason: "real nodes need root: containerd, the kubelet and kube-proxy change mounts, cgroups and iptables" };
  if (!existsSync("/sys/fs/cgroup/cgroup.controllers") && !existsSync("/sys/fs/cgroup/memory")) return { ok: false, reason: "no cgroup filesystem at /sys/fs/cgroup" };
  const missing = missingPackages();
  if (missing.length > 0 && !onPath("apt-get")) {
    return { ok: false, reason: `real nodes need ${missing.join(", ")} (Debian package names) and apt-get is not here to install them; install them and run again` };
  }
  return { ok: true };
}

export function missingPackages(): string[] {
  return requirements.filter((r) => !r.present()).map((r) => r.pkg);
}

/** Installs the packages that are missing; a no-op when all are there. */
export async function installPackages(progress: Progress): Promise<void> {
  const missing = missingPackages();
  if (missing.length === 0) return;
  if (!onPath("apt-get")) throw new ClusterError(`a real node needs ${missing.join(", ")}, and apt-get is not available to install them`, "Install those packages (Debian names) with your package manager, or run without --real-nodes.");
  progress.say(`installing ${missing.join(" ")} with apt-get (once per machine)`);
  const install = () => run("apt-get", ["install", "-y", "--no-install-recommends", ...missing], progress);
  if ((await install()) !== 0) {
    progress.say("apt-get install failed; updating the package lists and trying again");
    await run("apt-get", ["update"], progress);
    const code = await install();
    if (code !== 0) throw new ClusterError(`apt-get install ${missing.join(" ")} failed (exit ${code})`, "Run it by hand to see why, or run without --real-nodes.");
  }
  const still = missingPackages();
  if (still.length > 0) throw new ClusterError(`after apt-get install, still missing: ${still.join(", ")}`);
}

/** Where the CNI plugins are: Debian puts them in /usr/lib/cni, upstream in /opt/cni/bin. */
export function cniBinDir(): string | undefined {
  return cniBinDirs.find((d) => cniPlugins.every((p) => executable(join(d, p))));
}

/** Whether this process may lower oom_score_adj (CAP_SYS_RESOURCE); without it the runtime must not try. */
export function canLowerOomScore(): boolean {
  const capEff = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
  const CAP_SYS_RESOURCE = 24n;
  return capEff !== undefined && ((BigInt(`0x${capEff}`) >> CAP_SYS_RESOURCE) & 1n) === 1n;
}

/**
 * This machine's address: the source of its default route. Without a default
 * route the host could not send to a ClusterIP either (the packet needs a
 * route before kube-proxy's DNAT rewrites it).
 */
export function hostIP(): string {
  const route = spawnSync("ip", ["-4", "route", "get", "1.1.1.1"], { encoding: "utf8", env: { ...process.env, PATH: hostPath } });
  const src = /\bsrc (\d+\.\d+\.\d+\.\d+)/.exec(route.stdout ?? "")?.[1];
  if (src) return src;
  throw new ClusterError("this machine has no default route, so a real node has no address to report", "A real node needs a default route (any interface with an IPv4 address and a route).");
}

function onPath(cmd: string): boolean {
  return resolveCommand(cmd) !== undefined;
}

/** The absolute path of a command (processes are recorded by their executable). */
export function resolveCommand(cmd: string): string | undefined {
  return hostPath
    .split(delimiter)
    .map((d) => join(d, cmd))
    .find(executable);
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** An ELF file without a program interpreter (PT_INTERP) is statically linked. */
function isStatic(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const h = Buffer.alloc(64);
    readSync(fd, h, 0, 64, 0);
    if (h.toString("latin1", 0, 4) !== "\x7fELF" || h[4] !== 2) return false; // 64-bit ELF only
    const phoff = Number(h.readBigUInt64LE(32));
    const phentsize = h.readUInt16LE(54);
    const phnum = h.readUInt16LE(56);
    const ph = Buffer.alloc(phentsize * phnum);
    readSync(fd, ph, 0, ph.length, phoff);
    const PT_INTERP = 3;
    for (let i = 0; i < phnum; i++) if (ph.readUInt32LE(i * phentsize) === PT_INTERP) return false;
    return true;
  } finally {
    closeSync(fd);
  }
}

/** Runs a command, its output shown as progress lines (apt-get says what it does). */
function run(cmd: string, args: string[], progress: Progress): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PATH: hostPath, DEBIAN_FRONTEND: "noninteractive" } });
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (/^(Setting up|Unpacking|E:|Err:)/.test(line)) progress.say(`  ${line.trim()}`);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", () => resolve(127));
    child.on("close", (code) => resolve(code ?? 1));
  });
}
