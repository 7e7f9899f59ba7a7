import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { stringify } from "yaml";
import { freePort } from "../../hack/cluster/ports.ts";
import { alertRules, alertsFile, alertTestsFile, dashboardQueries, labelValuesQuery, readDashboard } from "../../hack/observability.ts";
import { ensurePrometheus } from "../../hack/prometheus.ts";
import { kindRef, kinds } from "../../operators/api/index.ts";
import { ResourceClient, RestClient, type KubeObject } from "../../operators/runtime/client/index.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";

// A real Prometheus (Debian's 2.42) scraping the run's shared manager every
// second, with the chart's alert rules loaded. After a Deployment rollout and
// a real Pod that kube-scheduler places through the extender, every PromQL
// expression of the Grafana dashboard returns data; the rules pass promtool's
// check and our promtool test cases, and evaluate cleanly on live data.

const prometheus = await ensurePrometheus((line) => console.info(`[prometheus] ${line}`));
const skip = prometheus.ok ? undefined : prometheus.reason;

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Grafana's values for the dashboard's variables: the job, every controller, a rate window that spans the test. */
const grafanaValues = { job: "mirrorkube", controller: ".+", __rate_interval: "2m" };

describe.skipIf(!!skip)(skip ? `Prometheus: skipped, ${skip}` : "a real Prometheus scraping the manager", () => {
  const bins = prometheus.ok ? prometheus : undefined;
  let dir: string;
  let server: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  let base: string;
  let ns: Awaited<ReturnType<typeof testNamespace>>;
  const kc = kubeConfig();
  const rest = new RestClient(kc, "e2e-prometheus");

  async function api<T>(path: string): Promise<T> {
    const res = await fetch(`${base}${path}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== "success") throw new Error(`${path}: ${body.error ?? res.status}`);
    return body.data;
  }
  const query = (expr: string) => api<{ resultType: string; result: Sample[] }>(`/api/v1/query?query=${encodeURIComponent(expr)}`);

  function promtool(args: string[]): { code: number | null; output: string } {
    const r = spawnSync(bins?.promtool ?? "promtool", args, { encoding: "utf8" });
    return { code: r.status, output: `${r.stdout}${r.stderr}` };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mirrorkube-prometheus-"));
    const config = join(dir, "prometheus.yml");
    writeFileSync(
      config,
      stringify({
        global: { scrape_interval: "1s", evaluation_interval: "1s" },
        rule_files: [alertsFile],
        // The job name the dashboard and the alerts select, as the chart's ServiceMonitor names it.
        scrape_configs: [{ job_name: "mirrorkube", static_configs: [{ targets: [`127.0.0.1:${inject("managerMetricsPort")}`] }] }],
      }),
    );
    const checked = promtool(["check", "config", config]);
    expect(checked.code, checked.output).toBe(0);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const log = createWriteStream(join(dir, "prometheus.log"));
    server = spawn(bins?.prometheus ?? "prometheus", [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ["ignore", "pipe", "pipe"] });
    server.stdout?.pipe(log);
    server.stderr?.pipe(log);
    const child = server;
    exited = new Promise((resolve) => child.on("exit", resolve));
    await eventually(async () => (await fetch(`${base}/-/ready`)).ok, { what: `prometheus ready (log ${join(dir, "prometheus.log")})`, timeoutMs: 60_000 });
    await eventually(async () => (await api<{ activeTargets: { health: string }[] }>("/api/v1/targets")).activeTargets.some((t) => t.health === "up"), { what: "the manager scraped" });
    ns = await testNamespace(kc, "prometheus");
  });

  afterAll(async () => {
    server?.kill("SIGTERM");
    await exited;
    await ns?.remove();
    rest.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`is ${bins?.version ?? "Debian's prometheus"}`, () => {
    expect(bins?.version).toMatch(/^prometheus, version 2\./);
  });

  it("passes promtool check rules and our promtool test cases", () => {
    const check = promtool(["check", "rules", alertsFile]);
    expect(check.code, check.output).toBe(0);
    expect(check.output).toContain(`SUCCESS: ${alertRules().length} rules found`);
    const tests = promtool(["test", "rules", alertTestsFile]);
    expect(tests.code, tests.output).toBe(0);
    expect(tests.output).toContain("SUCCESS");
  });

  it("answers every PromQL expression of the dashboard with data after a rollout", async () => {
    const deployments = new ResourceClient<KubeObject & { spec: Record<string, unknown>; status?: { updatedReplicas?: number; availableReplicas?: number; observedGeneration?: number } }>(rest, kindRef(kinds.Deployment));
    const template = (image: string) => ({ metadata: { labels: { app: "scraped" } }, spec: { containers: [{ name: "app", image }] } });
    await deployments.create({ apiVersion: kinds.Deployment.apiVersion, kind: "Deployment", metadata: { name: "scraped", namespace: ns.name }, spec: { replicas: 3, selector: { matchLabels: { app: "scraped" } }, template: template("registry.invalid/app:1") } });
    const rolledOut = async (generation: number) => {
      const d = await deployments.get({ namespace: ns.name, name: "scraped" });
      return (d.status?.observedGeneration ?? 0) >= generation && d.status?.updatedReplicas === 3 && d.status.availableReplicas === 3;
    };
    await eventually(() => rolledOut(1), { what: "3 replicas available", timeoutMs: 60_000 });
    await deployments.patch({ namespace: ns.name, name: "scraped" }, { type: "merge", patch: { spec: { template: template("registry.invalid/app:2") } } });
    await eventually(() => rolledOut(2), { what: "the rollout to app:2", timeoutMs: 60_000 });
    // A real Pod: kube-scheduler places it, asking mirrorkube's extender to filter and prioritize.
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({ namespace: ns.name, body: { metadata: { name: "real" }, spec: { containers: [{ name: "app", image: "registry.invalid/app:1" }] } } });
    await eventually(async () => !!(await core.readNamespacedPod({ namespace: ns.name, name: "real" })).spec?.nodeName, { what: "the real Pod scheduled" });

    const queries = dashboardQueries(readDashboard(), grafanaValues);
    expect(queries.length).toBeGreaterThan(20);
    // Data: at least one series with a number (a quantile of an idle histogram is NaN).
    const missing = async () => {
      const empty: string[] = [];
      for (const q of queries) {
        const { result } = await query(q.expr);
        if (!result.some((s) => Number.isFinite(Number(s.value[1])))) empty.push(`${q.panel} [${q.refId}]: ${q.expr}`);
      }
      return empty;
    };
    let last: string[] = [];
    await eventually(
      async () => {
        last = await missing();
        return last.length === 0;
      },
      { what: "data for every dashboard expression", timeoutMs: 60_000, intervalMs: 2_000 },
    ).catch(() => undefined);
    expect(last).toEqual([]);
  });

  it("lists the values of the dashboard's variables", async () => {
    const variables = readDashboard().templating.list.flatMap((v) => {
      const q = labelValuesQuery(v);
      return q ? [{ name: v.name, ...q }] : [];
    });
    const values = Object.fromEntries(
      await Promise.all(variables.map(async (v) => [v.name, await api<string[]>(`/api/v1/label/${v.label}/values?match[]=${encodeURIComponent(v.selector.replace("$job", grafanaValues.job))}`)] as const)),
    );
    expect(values.job).toEqual(["mirrorkube"]);
    expect(values.controller).toEqual(expect.arrayContaining(["deployment", "replicaset", "pod-realizer", "statefulset"]));
  });

  it("evaluates every alert rule on live data without errors, and the healthy manager raises none of Down and NoLeader", async () => {
    const rules = await eventually(
      async () => {
        const { groups } = await api<{ groups: { rules: { name: string; health: string; lastError?: string; state: string; lastEvaluation: string }[] }[] }>("/api/v1/rules");
        const all = groups.flatMap((g) => g.rules);
        return all.length > 0 && all.every((r) => !r.lastEvaluation.startsWith("0001")) ? all : undefined;
      },
      { what: "every rule evaluated once" },
    );
    expect(rules.map((r) => r.name).sort()).toEqual(alertRules().map((r) => r.alert).sort());
    for (const r of rules) expect(`${r.name}: ${r.health} ${r.lastError ?? ""}`.trim()).toBe(`${r.name}: ok`);
    for (const name of ["MirrorkubeDown", "MirrorkubeNoLeader"]) expect(rules.find((r) => r.name === name)?.state).toBe("inactive");
    const leaders = await query('sum by (name) (leader_election_master_status{job="mirrorkube"})');
    expect(leaders.result.map((s) => [s.metric.name, s.value[1]])).toEqual([["mirrorkube-manager", "1"]]);
  });
});
