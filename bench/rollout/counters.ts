// What a phase of the benchmark cost: API requests, counted by each client
// (client-go's rest_client_requests_total in kube-controller-manager and
// kube-scheduler, the runtime's counter of the same name in mirrorkube's
// manager) and by the API server (apiserver_request_total, every client
// together), and CPU seconds of each process, from /proc.
import { readFileSync } from "node:fs";
import { layout } from "../../hack/cluster/components.ts";
import { clusterDir } from "../../hack/cluster/paths.ts";
import { adminTls, httpGet } from "../../hack/cluster/probe.ts";
import type { ClusterState } from "../../hack/cluster/state.ts";

/** Counter totals and CPU seconds at one moment. */
export interface Snapshot {
  /** Requests sent, per client. */
  requests: Record<string, number>;
  /** Requests served by the API server, every client; and by verb. */
  apiserver: { total: number; byVerb: Record<string, number> };
  /** user + system CPU seconds, per process. */
  cpuSeconds: Record<string, number>;
}

/**
 * The sum of every series of `metric` in Prometheus text, optionally grouped
 * by one label. Series that are not the metric itself (e.g. `_bucket`) are skipped.
 */
export function sumMetric(text: string, metric: string, groupBy?: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    const value = Number(line.slice(line.lastIndexOf(" ") + 1));
    if (!Number.isFinite(value)) continue;
    const group = groupBy ? (new RegExp(`[{,]${groupBy}="([^"]*)"`).exec(line)?.[1] ?? "") : "";
    out[group] = (out[group] ?? 0) + value;
  }
  return out;
}

const total = (sums: Record<string, number>) => Object.values(sums).reduce((a, b) => a + b, 0);

/** user + system CPU seconds of a process (clock ticks in /proc/<pid>/stat; 100 a second on Linux). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export class Counters {
  private readonly tls = adminTls(layout(clusterDir).pki);

  constructor(private readonly state: ClusterState) {}

  /** A component's /metrics, over TLS with the admin client certificate. */
  async metrics(url: string, clientCertOnly: boolean): Promise<string> {
    // kube-controller-manager and kube-scheduler serve with self-signed certificates: present the admin certificate, trust theirs.
    const tls = clientCertOnly ? { cert: this.tls.cert, key: this.tls.key } : this.tls;
    const res = await httpGet(url, tls, 10_000);
    if (res?.status !== 200) throw new Error(`GET ${url}: ${res ? `HTTP ${res.status}` : "no answer"}`);
    return res.body;
  }

  private pid(name: string): number {
    const proc = this.state.processes.find((p) => p.name === name);
    if (!proc) throw new Error(`the cluster has no ${name}`);
    return proc.pid;
  }

  /** `manager`: mirrorkube's manager, when one runs (its metrics address and pid). */
  async snapshot(manager?: { metricsUrl: string; pid: number }): Promise<Snapshot> {
    const p = this.state.ports;
    const [apiserver, kcm, scheduler, mirror] = await Promise.all([
      this.metrics(`https://127.0.0.1:${p.apiserver}/metrics`, false),
      this.metrics(`https://127.0.0.1:${p.controllerManager}/metrics`, true),
      this.metrics(`https://127.0.0.1:${p.scheduler}/metrics`, true),
      manager ? (await fetch(manager.metricsUrl)).text() : Promise.resolve(""),
    ]);
    const requests: Record<string, number> = {
      "kube-controller-manager": total(sumMetric(kcm, "rest_client_requests_total")),
      "kube-scheduler": total(sumMetric(scheduler, "rest_client_requests_total")),
    };
    const cpu: Record<string, number> = {
      "kube-apiserver": cpuSeconds(this.pid("kube-apiserver")),
      etcd: cpuSeconds(this.pid("etcd")),
      "kube-controller-manager": cpuSeconds(this.pid("kube-controller-manager")),
      "kube-scheduler": cpuSeconds(this.pid("kube-scheduler")),
      kwok: cpuSeconds(this.pid("kwok")),
    };
    if (manager) {
      requests.mirrorkube = total(sumMetric(mirror, "rest_client_requests_total"));
      cpu.mirrorkube = cpuSeconds(manager.pid);
    }
    const byVerb = sumMetric(apiserver, "apiserver_request_total", "verb");
    return { requests, apiserver: { total: total(byVerb), byVerb }, cpuSeconds: cpu };
  }
}

/** after − before, per key (a key missing before counts from 0). */
export function delta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
}

export function diff(after: Snapshot, before: Snapshot): Snapshot {
  return {
    requests: delta(after.requests, before.requests),
    apiserver: { total: after.apiserver.total - before.apiserver.total, byVerb: delta(after.apiserver.byVerb, before.apiserver.byVerb) },
    cpuSeconds: delta(after.cpuSeconds, before.cpuSeconds),
  };
}
