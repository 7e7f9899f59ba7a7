import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { registry } from "../operators/runtime/metrics.ts";
// Imported for their side effect: they register the manager's metrics in `registry`.
import "../operators/runtime/controller/metrics.ts";
import "../operators/runtime/leader/leader-elector.ts";
import "../operators/runtime/webhook/metrics.ts";
import "../operators/scheduler/run/metrics.ts";
import { alertRules, alertTestsFile, allPanels, dashboardQueries, labelValuesQuery, readDashboard, selectedMetrics } from "./observability.ts";

// The dashboard and the alerts against the manager's registry: every metric
// they select exists, with the labels they match on. test/e2e/prometheus.test.ts
// checks the same against a real Prometheus scraping a running manager.

const dashboard = readDashboard();
const grafanaValues = { job: "mirrorkube", controller: ".+", __rate_interval: "2m" };
/** Labels Prometheus adds to every series it scrapes. */
const targetLabels = ["job", "instance"];

function labelNames(metric: string): string[] | undefined {
  if (metric === "up") return [];
  const m = registry.getSingleMetric(metric) ?? registry.getSingleMetric(metric.replace(/_bucket$/, ""));
  return m && [...(m as unknown as { labelNames: string[] }).labelNames];
}

/** Each `name{matchers}` of an expression with the label names it matches on. */
function selectors(expr: string): { metric: string; labels: string[] }[] {
  return [...expr.matchAll(/([a-zA-Z_:][\w:]*)\{([^}]*)\}/g)].map((m) => ({
    metric: m[1] ?? "",
    labels: [...(m[2] ?? "").matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1] ?? ""),
  }));
}

function unknownSelections(expr: string): string[] {
  return selectors(expr).flatMap(({ metric, labels }) => {
    const known = labelNames(metric);
    if (!known) return [`${metric} is not a metric of the manager`];
    const extra = metric.endsWith("_bucket") ? ["le"] : [];
    return labels.filter((l) => ![...known, ...targetLabels, ...extra].includes(l)).map((l) => `${metric} has no label ${l}`);
  });
}

describe("the Grafana dashboard", () => {
  const queries = dashboardQueries(dashboard, grafanaValues);

  it("selects only metrics and labels the manager exports", () => {
    expect(queries.length).toBeGreaterThan(20);
    expect(queries.flatMap((q) => unknownSelections(q.expr))).toEqual([]);
    const variables = dashboard.templating.list.flatMap((v) => labelValuesQuery(v) ?? []);
    expect(variables.map((v) => v.label)).toEqual(["job", "controller"]);
    expect(variables.flatMap((v) => unknownSelections(v.selector.replace("$job", "mirrorkube")))).toEqual([]);
  });

  it("covers reconciles, queues, the scheduler, the extender and the leader", () => {
    const metrics = new Set(queries.flatMap((q) => selectedMetrics(q.expr)));
    for (const name of [
      "controller_runtime_reconcile_total",
      "controller_runtime_reconcile_errors_total",
      "controller_runtime_reconcile_time_seconds",
      "workqueue_depth",
      "workqueue_queue_duration_seconds",
      "scheduler_schedule_attempts_total",
      "scheduler_scheduling_attempt_duration_seconds",
      "scheduler_pending_pods",
      "mirrorkube_extender_request_duration_seconds",
      "leader_election_master_status",
    ]) {
      expect(metrics, name).toContain(name);
    }
  });

  it("reads every panel from the datasource variable, with unique panel ids", () => {
    const panels = allPanels(dashboard);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const p of panels.filter((p) => p.type !== "row")) {
      expect(p.datasource, p.title).toEqual({ type: "prometheus", uid: "${datasource}" });
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
    }
    expect(dashboard.templating.list[0]).toMatchObject({ name: "datasource", type: "datasource", query: "prometheus" });
  });

  it("uses no variable it does not define", () => {
    expect(() => dashboardQueries(dashboard, { ...grafanaValues, controller: undefined as unknown as string })).toThrow(/\$controller/);
  });
});

describe("the alert rules", () => {
  const rules = alertRules();

  it("select only metrics the manager exports, of job mirrorkube", () => {
    expect(rules.length).toBeGreaterThanOrEqual(4);
    for (const r of rules) {
      expect(unknownSelections(r.expr), r.alert).toEqual([]);
      for (const s of selectors(r.expr)) expect(r.expr, `${r.alert}: ${s.metric}`).toMatch(new RegExp(`${s.metric}\\{job="mirrorkube"`));
    }
  });

  it("are each shown to fire by a promtool test case", () => {
    const tests = parse(readFileSync(alertTestsFile, "utf8")) as { tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[] };
    const firing = new Set(tests.tests.flatMap((t) => (t.alert_rule_test ?? []).filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname)));
    expect([...firing].sort()).toEqual(rules.map((r) => r.alert).sort());
  });
});
