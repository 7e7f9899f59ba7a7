// The rollout benchmark's results: raw JSON in bench/results/rollout.json
// and a table in the rollout section of bench/README.md (between its
// markers; other scenarios own the other sections).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { benchDir, resultsFileOf, writeBenchResults } from "../common/results.ts";
import type { Machine } from "../informer/report.ts";
import { availabilityChart } from "./chart.ts";
import type { Snapshot } from "./counters.ts";

export const resultsFile = resultsFileOf("rollout");
export const chartFile = join(benchDir, "results", "rollout.svg");

export interface SideResult {
  /** builtin, mirror, or mirror at a rate limit. */
  label: string;
  title: string;
  /** The client QPS budget of the controllers on this side, in words. */
  budget: string;
  /** Which clients are this side's controllers (their requests are the side's). */
  controllers: string[];
  /** Create → every replica available (Deployment complete). */
  createMs: number;
  /** Template changed → rollout complete. */
  rolloutMs: number;
  /** The most pods the side's ReplicaSets asked for at once during the rollout (replicas + maxSurge at most). */
  peakReplicas: number;
  create: Snapshot;
  rollout: Snapshot;
  /** availableReplicas at each poll (twice a second), ms since the Deployment was created; the rollout starts at createMs. */
  timeline: { ms: number; available: number }[];
}

export interface RolloutResults {
  date: string;
  machine: Machine;
  kubernetes: string;
  nodes: number;
  replicas: number;
  sides: SideResult[];
}

/** The side's controllers' requests, create and rollout together. */
export function controllerRequests(s: SideResult): number {
  return s.controllers.reduce((n, c) => n + (s.create.requests[c] ?? 0) + (s.rollout.requests[c] ?? 0), 0);
}

const sumOf = (s: SideResult, f: (snap: Snapshot) => number) => f(s.create) + f(s.rollout);
const cpu = (s: SideResult, names: string[]) => sumOf(s, (snap) => names.reduce((n, k) => n + (snap.cpuSeconds[k] ?? 0), 0));
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const one = (n: number) => n.toFixed(1);

const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
const perSecond = (s: SideResult) => controllerRequests(s) / ((s.createMs + s.rolloutMs) / 1000);

/** What the numbers say, from the numbers: the sides compared (builtin, mirror, mirror at a limit). */
export function reading(r: RolloutResults): string {
  const pods = 2 * r.replicas;
  const side = (label: string) => r.sides.find((s) => s.label === label);
  const [builtin, mirror, limited] = [side("builtin"), side("mirror"), side("mirror-qps")];
  if (!builtin || !mirror) return "";
  const apiserver = (s: SideResult) => cpu(s, ["kube-apiserver", "etcd"]);
  const faster = (a: number, b: number) => (a <= b ? `${ratio(b, a)} faster` : `${ratio(a, b)} slower`);
  let text = `- Reading it: without a client limit the mirror controllers averaged ${int(perSecond(mirror))} requests/s and were
  ${faster(mirror.createMs, builtin.createMs)} to create and ${faster(mirror.rolloutMs, builtin.rolloutMs)} to roll out than apps/v1, whose
  controllers are held to their default budgets. Each mirror pod costs ${ratio(controllerRequests(mirror), controllerRequests(builtin))} the
  controller requests (${one(controllerRequests(mirror) / pods)} vs ${one(controllerRequests(builtin) / pods)}), on custom resources: JSON end to end, every
  write checked against the CRD's structural schema and CEL rules; the API server and etcd spent
  ${ratio(apiserver(mirror), apiserver(builtin))} the CPU.`;
  if (limited) {
    text += ` Held to ${limited.budget} (the built-ins' budgets summed) the mirror controllers averaged
  ${int(perSecond(limited))} requests/s and took ${ratio(limited.createMs, builtin.createMs)} / ${ratio(limited.rolloutMs, builtin.rolloutMs)} the built-in times: at equal budgets the
  requests per pod are what costs.`;
  }
  return `${text}\n`;
}

export function markdown(r: RolloutResults): string {
  const m = r.machine;
  const pods = 2 * r.replicas;
  const row = (measure: string, f: (s: SideResult) => string) => `| ${measure} | ${r.sides.map(f).join(" | ")} |`;
  const requestsBy = (s: SideResult, client: string) => sumOf(s, (snap) => snap.requests[client] ?? 0);
  return `## rollout

\`npm run bench -- rollout\` · ${r.date} · ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}, load average ${m.loadAverage} at the start · Kubernetes ${r.kubernetes} (local control plane on the same machine)

A Deployment of ${int(r.replicas)} replicas (RollingUpdate 25%/25%) on ${r.nodes} kwok nodes: created, then rolled to a new image,
${pods.toLocaleString("en-US")} pods in all. Each side in turn in the same cluster and run, after the previous side's pods were gone.

${row("measure", (s) => s.title)}
|---|${r.sides.map(() => "---:").join("|")}|
${row("client QPS / burst of the controllers", (s) => s.budget)}
${row(`create → ${int(r.replicas)} available (s)`, (s) => seconds(s.createMs))}
${row("new template → rollout complete (s)", (s) => seconds(s.rolloutMs))}
${row("most replicas asked for during the rollout", (s) => int(s.peakReplicas))}
${row("API requests by the controllers", (s) => int(controllerRequests(s)))}
${row("… per pod", (s) => one(controllerRequests(s) / pods))}
${row("… per second, on average", (s) => int(controllerRequests(s) / ((s.createMs + s.rolloutMs) / 1000)))}
${row("… kube-controller-manager / kube-scheduler / mirrorkube", (s) => ["kube-controller-manager", "kube-scheduler", "mirrorkube"].map((c) => (s.controllers.includes(c) ? int(requestsBy(s, c)) : "–")).join(" / "))}
${row("API requests served, every client (per pod)", (s) => `${int(sumOf(s, (snap) => snap.apiserver.total))} (${one(sumOf(s, (snap) => snap.apiserver.total) / pods)})`)}
${row("CPU s: controllers", (s) => one(cpu(s, s.controllers)))}
${row("CPU s: kube-apiserver + etcd", (s) => one(cpu(s, ["kube-apiserver", "etcd"])))}
${row("CPU s: kwok", (s) => one(cpu(s, ["kwok"])))}

- Controllers: kube-controller-manager's deployment and replicaset controllers
  and kube-scheduler for apps/v1; mirrorkube's manager (deployment, replicaset,
  scheduler, pod realizer) for the mirror kinds. A mirror pod costs more
  requests by design: the mirror Pod is created, bound and given its status,
  and the realizer creates the real Pod kwok runs and copies its status back.
- Requests are counted by each client (\`rest_client_requests_total\`, watches
  included); "every client" is the API server's \`apiserver_request_total\`,
  which also counts kwok, the other kube-controller-manager controllers and
  the benchmark's own polling (two GETs a second).
- kube-controller-manager runs with its default client budget, 20 QPS and
  burst 30, kube-scheduler with its default 50 and 100. mirrorkube's client has
  no limit unless \`--kube-api-qps\`/\`--kube-api-burst\` are given; the last
  column gives it the sum of the built-in budgets.
- While the built-in side runs, no mirrorkube manager does: kube-scheduler's
  call to the (ignorable) mirrorkube extender is refused at once.
${reading(r)}- Raw numbers: [results/rollout.json](results/rollout.json).

Available replicas over time, every side on one chart ([results/rollout.svg](results/rollout.svg)):

![Available replicas over time, apps/v1 and mirror](results/rollout.svg)

`;
}

export function writeResults(r: RolloutResults): void {
  writeBenchResults("rollout", r, markdown(r));
  writeFileSync(chartFile, availabilityChart(r));
}
