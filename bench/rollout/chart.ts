// The rollout benchmark as a picture: available replicas over time, every
// side on one chart, from the Deployment's creation through the rollout to
// the new image. bench/results/rollout.svg, linked from bench/README.md.
import { lineChartSvg, type Series } from "../common/svg.ts";
import type { RolloutResults } from "./report.ts";

const colors: Record<string, string> = { builtin: "#1f77b4", mirror: "#d62728", "mirror-qps": "#ff7f0e" };
const fallback = ["#2ca02c", "#9467bd", "#8c564b"];

/** RollingUpdate 25% maxUnavailable, rounded down as upstream rounds it: the floor during the rollout. */
export const availabilityFloor = (replicas: number) => replicas - Math.floor(replicas * 0.25);

export function availabilityChart(r: RolloutResults): string {
  const color = (label: string, i: number) => colors[label] ?? fallback[i % fallback.length] ?? "#000";
  const series: Series[] = r.sides.map((s, i) => ({ name: s.title, color: color(s.label, i), points: s.timeline.map((p) => [p.ms / 1000, p.available] as const) }));
  return lineChartSvg({
    title: `Available replicas of a Deployment of ${r.replicas.toLocaleString("en-US")}: created, then rolled to a new image`,
    subtitle: `${r.nodes} kwok nodes, Kubernetes ${r.kubernetes}, ${r.machine.cpus} cores, ${r.date.slice(0, 10)}. Dashed: all available, the new template applied.`,
    xLabel: "seconds since the Deployment was created",
    yLabel: "available replicas",
    series,
    markers: r.sides.map((s, i) => ({ x: s.createMs / 1000, color: color(s.label, i), label: `${s.label}: new template at ${(s.createMs / 1000).toFixed(0)} s` })),
    guides: [{ y: availabilityFloor(r.replicas), label: `maxUnavailable 25%: at least ${availabilityFloor(r.replicas).toLocaleString("en-US")} during the rollout` }],
  });
}
