// The scheduler benchmark's results: raw JSON in bench/results/scheduler.json
// and a table in its section of bench/README.md.
import { writeBenchResults } from "../common/results.ts";
import type { Machine } from "../informer/report.ts";
import type { LatencyResult } from "./extender-latency.ts";
import type { Timeline } from "./progress.ts";

export interface SideResult {
  label: string;
  title: string;
  budget: string;
  timeline: Timeline;
  /** Requests the scheduler process itself sent while scheduling (its rest_client_requests_total). */
  requests: number;
}

export interface SchedulerResults {
  date: string;
  machine: Machine;
  kubernetes: string;
  nodes: number;
  pods: number;
  sides: SideResult[];
  extender: LatencyResult[];
}

/** Pods per second between the first and the last bind. */
export function throughput(s: SideResult, pods: number): number {
  const ms = s.timeline.lastBindMs - s.timeline.firstBindMs;
  return ms > 0 ? (pods * 1000) / ms : NaN;
}

/** Pods per second from the process's start until all are bound: what a backlog waits for. */
export function overall(s: SideResult, pods: number): number {
  return s.timeline.lastBindMs > 0 ? (pods * 1000) / s.timeline.lastBindMs : NaN;
}

const one = (n: number) => n.toFixed(1);
const seconds = (ms: number) => (ms / 1000).toFixed(1);

export function markdown(r: SchedulerResults): string {
  const m = r.machine;
  const row = (measure: string, f: (s: SideResult) => string) => `| ${measure} | ${r.sides.map(f).join(" | ")} |`;
  const mirror = r.sides.find((s) => s.label === "mirror");
  const ratios = mirror
    ? r.sides
        .filter((s) => s !== mirror)
        .map((s) => `mirrorkube's scheduler ÷ ${s.title}: **${(overall(mirror, r.pods) / overall(s, r.pods)).toFixed(2)}×** pods/s from start to all bound`)
        .join("; ")
    : "";
  return `## scheduler

\`npm run bench -- scheduler\` · ${r.date} · ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, load average ${m.loadAverage} at the start · Kubernetes ${r.kubernetes} (local control plane on the same machine)

${r.pods} pending Pods (100m cpu, 128Mi each; kwok leaves them alone once bound) on ${r.nodes} kwok nodes. Each scheduler starts as a fresh process in front of the whole backlog, in the same cluster, one after the other: mirror Pods through mirrorkube's scheduler (the manager with only its scheduler, at the client budget kube-scheduler has by default), and v1 Pods through kube-scheduler, once calling mirrorkube's extender (as the local control plane is configured) and once without it.

| | ${r.sides.map((s) => s.title).join(" | ")} |
|---|${r.sides.map(() => "---:").join("|")}|
${row("client QPS / burst", (s) => s.budget)}
${row("pods/s (process start → all bound)", (s) => one(overall(s, r.pods)))}
${row("pods/s (first bind → last bind)", (s) => one(throughput(s, r.pods)))}
${row("process start → first bind (s)", (s) => seconds(s.timeline.firstBindMs))}
${row("process start → all bound (s)", (s) => seconds(s.timeline.lastBindMs))}
${row("scheduler's API requests per pod", (s) => one(s.requests / r.pods))}

${ratios}.

Extender, called directly for one pending Pod over all ${r.nodes} node names, one call after the other (kube-scheduler's timeout is 5 s):

| verb | calls | p50 (ms) | p99 (ms) | max (ms) |
|---|---:|---:|---:|---:|
${r.extender.map((e) => `| ${e.verb} | ${e.calls} | ${one(e.p50Ms)} | ${one(e.p99Ms)} | ${one(e.maxMs)} |`).join("\n")}

Requests per pod: mirrorkube binds with two writes (spec.nodeName, then the PodScheduled condition through the status subresource; a custom resource has no binding subresource that does both) plus the Scheduled event; kube-scheduler's binding POST sets both at once, plus its event (kube-scheduler writes events through a client of their own, outside this budget; mirrorkube's recorder shares the manager's, and drops events beyond 1,000 pending, as client-go's broadcaster does). Under the same 50 QPS the two writes halve mirrorkube's bind rate: the scheduling decisions themselves keep up (see the extender's latencies, the same plugins over all nodes).
`;
}

export function writeResults(r: SchedulerResults): void {
  writeBenchResults("scheduler", r, markdown(r));
}
