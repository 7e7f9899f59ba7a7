// The Grafana dashboard and the alert rules as the tests read them: where
// they are, every PromQL expression of the dashboard (with its Grafana
// variables substituted), and the metric names an expression selects.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "./cluster/paths.ts";

export const dashboardFile = join(repoRoot, "charts", "mirrorkube", "dashboards", "mirrorkube.json");
/** The one rules file: the chart's PrometheusRule renders it, Prometheus users load it as it is. */
export const alertsFile = join(repoRoot, "charts", "mirrorkube", "files", "alerts.yaml");
export const alertTestsFile = join(repoRoot, "test", "prometheus", "alerts_test.yaml");

interface Target {
  expr: string;
  legendFormat?: string;
  refId: string;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Target[];
  panels?: Panel[];
}

export interface Variable {
  name: string;
  type: string;
  query?: string | { query: string };
  allValue?: string;
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Variable[] };
}

export function readDashboard(file = dashboardFile): Dashboard {
  return JSON.parse(readFileSync(file, "utf8")) as Dashboard;
}

/** Every panel, those inside collapsed rows included. */
export function allPanels(d: Dashboard): Panel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

export interface Query {
  panel: string;
  refId: string;
  expr: string;
}

/** Every target's expression, `$name`/`${name}` replaced from `values` (an unknown variable throws). */
export function dashboardQueries(d: Dashboard, values: Record<string, string>): Query[] {
  return allPanels(d).flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, refId: t.refId, expr: substitute(t.expr, values) })));
}

export function substitute(expr: string, values: Record<string, string>): string {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? "";
    const value = values[name];
    if (value === undefined) throw new Error(`no value for the variable ${whole} in ${expr}`);
    return value;
  });
}

/** A query variable's `label_values(selector, label)`, split for Prometheus' /api/v1/label/<label>/values?match[]=selector. */
export function labelValuesQuery(v: Variable): { selector: string; label: string } | undefined {
  const text = typeof v.query === "string" ? v.query : v.query?.query;
  const m = /^label_values\((.+),\s*(\w+)\)$/.exec(text ?? "");
  return m ? { selector: m[1] ?? "", label: m[2] ?? "" } : undefined;
}

/** The metric names an expression selects (`name{...}`), histogram suffixes dropped: what the manager must export. */
export function selectedMetrics(expr: string): string[] {
  const names = [...expr.matchAll(/([a-zA-Z_:][\w:]*)\{/g)].map((m) => (m[1] ?? "").replace(/_bucket$/, ""));
  return [...new Set(names)];
}

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
}

/** The rules of the alerts file, every group. */
export function alertRules(file = alertsFile): Rule[] {
  const doc = parse(readFileSync(file, "utf8")) as { groups: { rules: Rule[] }[] };
  return doc.groups.flatMap((g) => g.rules);
}
