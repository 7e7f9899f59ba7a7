// A real node beside the kwok ones: containerd, a kubelet registered as the
// Node real-node-0, kube-proxy in iptables mode and CoreDNS, on this
// machine. Pods bound to it run real containers from the images of
// hack/images.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildImages } from "../../images/images.ts";
import { ensureCoreDNS } from "../build.ts";
import { layout } from "../components.ts";
import { ClusterError } from "../errors.ts";
import { kubectl } from "../kubectl.ts";
import { clusterDir, kubeconfigFile } from "../paths.ts";
import { freePorts } from "../ports.ts";
import { httpGet, waitReady } from "../probe.ts";
import { isRunning, stopProcess, type RunningProcess } from "../processes.ts";
import type { Progress } from "../progress.ts";
import { readState, realNodePortNames, writeState, type ClusterState, type RealNodeState } from "../state.ts";
import { claimHost, readClaim, releaseHost, setSysctl } from "./claim.ts";
import { cniConflist, containerdConfig, kubeletArgs, kubeletConfig, kubeProxyConfig, nodePodCIDR, realNodeLayout, realNodeName } from "./components.ts";
import { applyCoreDNSRbac, corefile, publishDNSService } from "./coredns.ts";
import { canLowerOomScore, cniBinDir, hostIP, hostPath, installPackages, realNodeSupport, resolveCommand } from "./host.ts";
import { createCgroupRoot, killShims, removeBridge, removeCgroups, removeCniResults, removeKubeChains, removeLogLinks, unmountUnder } from "./teardown.ts";

export const realNodeProcesses = ["containerd", "coredns", "kubelet", "kube-proxy"];

/** Starts a detached process and records it in the cluster state (up.ts's launcher). */
export type Launch = (name: string, exe: string, args: string[], env?: NodeJS.ProcessEnv) => RunningProcess;

/** Fails before anything starts if this machine cannot run the real node now. */
export function assertRealNodePossible(): void {
  const support = realNodeSupport();
  if (!support.ok) throw new ClusterError(`cannot start a real node: ${support.reason}`, "Run without --real-nodes (kwok nodes need none of this).");
  const holder = otherHolder();
  if (holder) throw new ClusterError(`the cluster in ${holder} runs this machine's real node (one per machine)`, `Stop it first (MIRRORKUBE_CLUSTER_DIR=${holder} npm run cluster:down), or run without --real-nodes.`);
}

export async function startRealNode(state: ClusterState, launch: Launch, progress: Progress): Promise<void> {
  assertRealNodePossible();
  if (!hasNodeAuthorizer(state)) throw new ClusterError(noNodeAuthorizer, "Restart it: npm run cluster:down, then npm run cluster:up -- --real-nodes 1.");
  await installPackages(progress);
  const coredns = await ensureCoreDNS(progress);
  const cniBin = cniBinDir()!;
  const l = layout(clusterDir);
  const r = realNodeLayout(clusterDir);
  await claimHost(clusterDir, ownerAlive, (stale) => {
    progress.say(`cleaning up after the real node of ${stale.clusterDir}, which is gone`);
    return stopRealNode(stale.clusterDir, progress);
  });
  // Forwarding between the bridge and the host; Service DNAT for traffic that stays on the bridge.
  setSysctl("net/ipv4/ip_forward", "1");
  if (existsSync("/proc/sys/net/bridge/bridge-nf-call-iptables")) setSysctl("net/bridge/bridge-nf-call-iptables", "1");

  for (const dir of [r.containerdRoot, r.containerdState, r.runcRoot, r.cniConfDir, r.cniDataDir, r.kubeletRoot, r.podLogs]) mkdirSync(dir, { recursive: true });
  writeFileSync(r.containerdConfig, containerdConfig(r, cniBin, !canLowerOomScore()));
  writeFileSync(join(r.cniConfDir, "10-mirrorkube.conflist"), cniConflist(r));
  createCgroupRoot();

  progress.say("real node: building the images (pause, busybox)");
  const images = await buildImages(r.images, progress);

  const env = { ...process.env, PATH: hostPath };
  progress.say("real node: starting containerd");
  const containerd = launch("containerd", resolveCommand("containerd")!, ["--config", r.containerdConfig], env);
  const ctr = resolveCommand("ctr")!;
  const ctrArgs = ["--address", r.containerdSocket, "--namespace", "k8s.io"];
  await waitReady(containerd, async () => spawnSync(ctr, [...ctrArgs, "version"], { env }).status === 0);
  for (const image of images) {
    const res = spawnSync(ctr, [...ctrArgs, "images", "import", image.file], { encoding: "utf8", env });
    if (res.status !== 0) throw new ClusterError(`importing ${image.ref} into containerd failed: ${res.stderr}`);
  }
  progress.say(`real node: imported ${images.map((i) => i.ref).join(", ")}`);

  const name = realNodeName(0);
  issueClientCert(state, name, `system:node:${name}`, "system:nodes");
  issueClientCert(state, "kube-proxy", "system:kube-proxy");
  issueClientCert(state, "coredns", "system:coredns");
  const node: RealNodeState = { name, nodeIP: hostIP(), podCIDR: nodePodCIDR, clusterDNS: "", ports: await freePorts(realNodePortNames) };

  progress.say(`real node: starting CoreDNS on ${node.nodeIP}:${node.ports.dns}`);
  await applyCoreDNSRbac(state.localkube, kubeconfigFile);
  writeFileSync(r.corefile, corefile(l, node));
  const dns = launch("coredns", coredns, ["-conf", r.corefile], env);
  // ready answers once the kubernetes plugin has synced with the API server.
  await waitReady(dns, async () => (await httpGet(`http://127.0.0.1:${node.ports.dnsReady}/ready`))?.status === 200);
  node.clusterDNS = await publishDNSService(state.localkube, kubeconfigFile, node);

  progress.say(`real node: starting the kubelet (${name}, ${node.nodeIP}, pods in ${node.podCIDR}, DNS ${node.clusterDNS})`);
  writeFileSync(r.kubeletConfig, kubeletConfig(l, r, node));
  const kubelet = launch("kubelet", state.localkube, kubeletArgs(l, r, node), env);
  await waitReady(kubelet, async () => (await httpGet(`http://127.0.0.1:${node.ports.kubeletHealthz}/healthz`))?.status === 200);
  progress.say(`real node: waiting for the Node ${name} to be Ready`);
  await waitReady(kubelet, async () => (await kubectl(state.localkube, kubeconfigFile, ["wait", "--for=condition=Ready", `node/${name}`, "--timeout=5s"])).code === 0, 120_000);

  progress.say("real node: starting kube-proxy (iptables mode)");
  writeFileSync(r.proxyConfig, kubeProxyConfig(l, node));
  const proxy = launch("kube-proxy", state.localkube, ["kube-proxy", `--config=${r.proxyConfig}`], env);
  // healthz answers 200 once the first sync wrote the rules.
  await waitReady(proxy, async () => (await httpGet(`http://127.0.0.1:${node.ports.proxyHealthz}/healthz`))?.status === 200);
  state.realNode = node;
  writeState(state);
  progress.say(`real node: ${name} Ready`);
}

/**
 * Stops the real node of `dir` and gives the host back everything it took.
 * Safe to run when nothing of a real node is left, and after a crash.
 */
export async function stopRealNode(dir: string, progress: Progress): Promise<void> {
  const claim = readClaim();
  const owned = claim?.clusterDir === dir;
  const r = realNodeLayout(dir);
  if (!owned && !existsSync(r.dir)) return;
  const state = readState(join(dir, "state.json"));
  const procs = state?.processes ?? [];
  const proc = (name: string) => procs.find((p) => p.name === name);
  progress.say("stopping the real node: kube-proxy, the kubelet, CoreDNS, its pods, containerd");
  for (const name of ["kube-proxy", "kubelet", "coredns"]) {
    const p = proc(name);
    if (p) await stopProcess(p);
  }
  const containerd = proc("containerd");
  if (containerd && isRunning(containerd) && state) {
    // Through CRI, as the kubelet would: containers killed, pod networks torn down by CNI, sandboxes unmounted.
    const res = spawnSync(state.localkube, ["cri-cleanup", `--endpoint=unix://${r.containerdSocket}`], { encoding: "utf8", env: { ...process.env, PATH: hostPath } });
    if (res.status !== 0) progress.say(`  removing the pods through containerd failed, cleaning up directly: ${res.stderr.trim()}`);
  }
  if (containerd) await stopProcess(containerd);
  const problems = [...(killShims(r.containerdSocket) > 0 ? ["containerd shims had to be killed"] : [])];
  // The cgroups, chains and bridge belong to the host's one real node: not ours to touch while another cluster holds it.
  const hostWide = owned || !claim;
  // Containers whose shim died still run in their cgroups; they go before their mounts.
  if (hostWide) problems.push(...(await removeCgroups()));
  problems.push(...unmountUnder(dir));
  removeLogLinks(r.podLogs);
  if (hostWide) {
    problems.push(...removeKubeChains(), ...removeBridge());
    removeCniResults();
  }
  if (owned) problems.push(...releaseHost(claim));
  for (const p of problems) progress.say(`  ${p}`);
  if (state && existsSync(dir)) {
    delete state.realNode;
    state.processes = state.processes.filter((p) => !realNodeProcesses.includes(p.name));
    writeState(state, join(dir, "state.json"));
  }
}

/**
 * How many real nodes a run wants, from MIRRORKUBE_REAL_NODES: "1" one (an
 * error if this machine cannot run it); "auto" one if this machine can (root,
 * cgroups, apt-get or the packages) and no other cluster on it holds the real
 * node, else none, saying why; unset or "0" none (a running one is still used).
 */
export function realNodesFromEnv(value: string | undefined, progress: Progress): number {
  if (value === undefined || value === "" || value === "0") return 0;
  if (value === "1") return 1;
  if (value !== "auto") throw new ClusterError(`MIRRORKUBE_REAL_NODES must be 0, 1 or auto, not "${value}"`);
  const support = realNodeSupport();
  if (!support.ok) {
    progress.say(`no real node (${support.reason}); the real-node tests skip`);
    return 0;
  }
  const holder = otherHolder();
  if (holder) {
    progress.say(`no real node: the cluster in ${holder} runs this machine's; the real-node tests skip`);
    return 0;
  }
  // A running cluster is reused as it is; one that is not running is started afresh, with the Node authorizer.
  const running = readState();
  const apiserver = running?.processes.find((p) => p.name === "kube-apiserver");
  if (running && !running.realNode && apiserver && isRunning(apiserver) && !hasNodeAuthorizer(running)) {
    progress.say(`no real node: ${noNodeAuthorizer}; the real-node tests skip (cluster:down, then run again)`);
    return 0;
  }
  return 1;
}

/** Another cluster directory whose real node holds this machine, if any. */
function otherHolder(): string | undefined {
  const claim = readClaim();
  return claim && claim.clusterDir !== clusterDir && ownerAlive(claim.clusterDir) ? claim.clusterDir : undefined;
}

/** A claim is live while its cluster's processes run. */
function ownerAlive(dir: string): boolean {
  const state = readState(join(dir, "state.json"));
  return !!state && state.processes.some(isRunning);
}

function issueClientCert(state: ClusterState, name: string, user: string, group?: string): void {
  const args = ["certs", "client", `--dir=${clusterDir}`, `--server=https://127.0.0.1:${state.ports.apiserver}`, `--name=${name}`, `--user=${user}`, ...(group ? [`--group=${group}`] : [])];
  const res = spawnSync(state.localkube, args, { encoding: "utf8" });
  if (res.status !== 0) throw new ClusterError(`localkube certs client failed: ${res.stderr}`);
}

/** The kubelet runs as system:node:<name>: an API server started by an older cluster:up lacks the Node authorizer. */
function hasNodeAuthorizer(state: ClusterState): boolean {
  const apiserver = state.processes.find((p) => p.name === "kube-apiserver");
  try {
    return !!apiserver && readFileSync(`/proc/${apiserver.pid}/cmdline`, "utf8").split("\0").includes("--authorization-mode=Node,RBAC");
  } catch {
    return false; // not running: the health check reports that
  }
}

const noNodeAuthorizer = "this cluster's API server runs without the Node authorizer a kubelet needs (an older cluster:up started it)";
