// What the real-node tests share: finding the real node (they skip without
// one), pinning pods to it, the busybox test image, HTTP from the host, and
// a container's cgroup on this machine.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { CoreV1Api, type KubeConfig, type V1Node } from "@kubernetes/client-node";
import { cgroupRoot, realNodeLabels, realNodeTaint } from "../../../hack/cluster/real-node/components.ts";
import { busyboxImage } from "../../../hack/images/images.ts";
import { kindRef, kinds } from "../../../operators/api/index.ts";
import { controllers } from "../../../operators/controllers.ts";
import { ResourceClient, type KubeObject, type RestClient } from "../../../operators/runtime/client/index.ts";
import { eventually } from "./eventually.ts";

const [typeLabel, typeValue] = Object.entries(realNodeLabels)[0]!;
export const REAL_NODE_SELECTOR = `${typeLabel}=${typeValue}`;

export const SKIP_REASON =
  `no Ready Node labelled ${REAL_NODE_SELECTOR}; start one with \`npm run cluster:up -- --real-nodes 1\` ` +
  "or run the tests with MIRRORKUBE_REAL_NODES=auto (needs root; .ci/run does)";

/** The run's real node, Ready; undefined when the cluster has none (the real-node tests skip, and say why). */
export async function findRealNode(kc: KubeConfig): Promise<V1Node | undefined> {
  const nodes = await kc.makeApiClient(CoreV1Api).listNode({ labelSelector: REAL_NODE_SELECTOR });
  const node = nodes.items.find((n) => n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
  if (!node) console.info(`real-node tests skipped: ${SKIP_REASON}`);
  return node;
}

/** The ClusterIP of kube-system/kube-dns (CoreDNS, started with the real node), if the cluster has one. */
export async function clusterDNS(kc: KubeConfig): Promise<string | undefined> {
  try {
    return (await kc.makeApiClient(CoreV1Api).readNamespacedService({ namespace: "kube-system", name: "kube-dns" })).spec?.clusterIP;
  } catch {
    return undefined;
  }
}

/** Pins a pod to the real node: its label, and the taint that keeps everyone else's pods off it. */
export const onRealNode = {
  nodeSelector: { [typeLabel]: typeValue },
  tolerations: [{ key: realNodeTaint.key, operator: "Equal", value: realNodeTaint.value, effect: realNodeTaint.effect }],
};

export interface Container {
  name: string;
  image: string;
  imagePullPolicy: "Never";
  env: { name: string; value: string }[];
  [field: string]: unknown;
}

/**
 * The busybox test image's container (hack/images/busybox/serve.sh): env
 * PAGE, READY_AFTER, NEVER_READY, EXIT_AFTER, EXIT_CODE, ALLOCATE_MB.
 */
export function busybox(env: Record<string, string> = {}, extra: Record<string, unknown> = {}): Container {
  return {
    name: "web",
    image: busyboxImage,
    imagePullPolicy: "Never",
    env: Object.entries(env).map(([name, value]) => ({ name, value })),
    ports: [{ containerPort: 80, name: "http" }],
    ...extra,
  };
}

/** GET /ready and /healthz every second; one failure counts. */
export const readinessProbe = { httpGet: { path: "/ready", port: 80 }, periodSeconds: 1, failureThreshold: 1, successThreshold: 1 };
export const livenessProbe = { httpGet: { path: "/healthz", port: 80 }, periodSeconds: 1, failureThreshold: 1 };

export type HttpResult = { status: number; body: string } | { error: string };

/**
 * GET over a new connection each time (kube-proxy picks an endpoint per
 * connection), from this machine: the host reaches pod IPs over the CNI
 * bridge and ClusterIPs through kube-proxy's rules.
 */
export function get(url: string, timeoutMs = 2000): Promise<HttpResult> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: timeoutMs, headers: { connection: "close" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
      res.on("error", (err) => resolve({ error: err.message }));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on("error", (err) => resolve({ error: err.message }));
    req.end();
  });
}

/** The body of a 200 answer, else undefined. */
export async function page(url: string): Promise<string | undefined> {
  const res = await get(url);
  return "status" in res && res.status === 200 ? res.body : undefined;
}

/** Who answered: serve.sh's page is "<PAGE> from <hostname>", and a pod's hostname is its name. */
export function answeredBy(body: string): string {
  return body.split(" from ")[1] ?? body;
}

/** Whether the manager of this run has a controller (some arrive with later issues). */
export function hasController(name: string): boolean {
  return name in controllers;
}

/**
 * The memory limit of a container in its cgroup on this machine, in bytes
 * (cgroup v1 memory.limit_in_bytes, v2 memory.max); undefined if the
 * container's cgroup is not here (the node runs elsewhere).
 */
export function containerMemoryLimit(containerID: string): number | undefined {
  const id = containerID.replace(/^[a-z]+:\/\//, "");
  const v1 = existsSync("/sys/fs/cgroup/memory/memory.limit_in_bytes");
  const root = join(v1 ? "/sys/fs/cgroup/memory" : "/sys/fs/cgroup", cgroupRoot);
  const dir = findDir(root, id);
  if (!dir) return undefined;
  const value = readFileSync(join(dir, v1 ? "memory.limit_in_bytes" : "memory.max"), "utf8").trim();
  return value === "max" ? Infinity : Number(value);
}

function findDir(dir: string, name: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const path = join(dir, e.name);
    if (e.name === name) return path;
    const found = findDir(path, name);
    if (found) return found;
  }
  return undefined;
}

export interface FrontService {
  clusterIP: string;
  /** A mirror Service (its controller keeps the real one), or the real v1 Service made directly. */
  mirror: boolean;
}

/**
 * A Service `name` on port 80 in front of the pods `selector` picks, and its
 * ClusterIP: a mirror Service when the run's manager has the service
 * controller (which keeps a real v1 Service of the same name over the
 * realized pods, whose labels are the mirror pods'), else that real v1
 * Service made here, as the controller would.
 */
export async function frontService(rest: RestClient, namespace: string, name: string, selector: Record<string, string>): Promise<FrontService> {
  const mirror = hasController("service");
  const spec = { selector, ports: [{ name: "http", port: 80, targetPort: 80, protocol: "TCP" }] };
  const real = new ResourceClient<ServiceObject>(rest, realServices);
  if (mirror) {
    await new ResourceClient<ServiceObject>(rest, kindRef(kinds.Service)).create({ apiVersion: kinds.Service.apiVersion, kind: "Service", metadata: { name, namespace }, spec });
  } else {
    await real.create({ apiVersion: "v1", kind: "Service", metadata: { name, namespace }, spec });
  }
  const clusterIP = await eventually(async () => (await real.get({ namespace, name })).spec?.clusterIP, { what: `the real Service ${namespace}/${name} with a ClusterIP` });
  return { clusterIP, mirror };
}

type ServiceObject = KubeObject & { spec?: { clusterIP?: string; selector?: Record<string, string>; ports?: unknown[] } };
const realServices = { group: "", version: "v1", plural: "services", namespaced: true };
const endpointSlices = { group: "discovery.k8s.io", version: "v1", plural: "endpointslices", namespaced: true };

/** The pod IPs kube-proxy routes the real Service `name` to: its EndpointSlices' ready endpoints. */
export async function readyEndpoints(rest: RestClient, namespace: string, name: string): Promise<string[]> {
  type Slice = KubeObject & { endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[] };
  const slices = await new ResourceClient<Slice>(rest, endpointSlices).list({ namespace, labelSelector: `kubernetes.io/service-name=${name}` });
  return slices.items.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).flatMap((e) => e.addresses)).sort();
}
