import { describe, expect, it } from "vitest";
import { availabilityChart, availabilityFloor } from "./chart.ts";
import type { RolloutResults, SideResult } from "./report.ts";

const snap = { requests: {}, apiserver: { total: 0, byVerb: {} }, cpuSeconds: {} };
function side(label: string, title: string, createMs: number, timeline: SideResult["timeline"]): SideResult {
  return { label, title, budget: "", controllers: [], createMs, rolloutMs: 0, peakReplicas: 0, create: snap, rollout: snap, timeline };
}

describe("availabilityChart", () => {
  const results: RolloutResults = {
    date: "2026-11-23T16:57:34.860Z",
    machine: { cpus: 2, cpuModel: "cpu", memoryGiB: 1, platform: "linux/x64", node: "v20", loadAverage: 1 },
    kubernetes: "v1.34.2",
    nodes: 50,
    replicas: 1000,
    sides: [
      side("builtin", "apps/v1", 60_000, [
        { ms: 0, available: 0 },
        { ms: 60_000, available: 1000 },
        { ms: 90_000, available: 750 },
        { ms: 160_000, available: 1000 },
      ]),
      side("mirror", "mirror", 250_000, [
        { ms: 0, available: 0 },
        { ms: 250_000, available: 1000 },
        { ms: 600_000, available: 1000 },
      ]),
    ],
  };
  const svg = availabilityChart(results);

  it("draws one line per side, in the side's color, named by its title", () => {
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('stroke="#1f77b4" stroke-width="2" points="72,388');
    expect(svg).toContain("<title>apps/v1</title>");
    expect(svg).toContain('stroke="#d62728"');
  });

  it("marks when each side's rollout started, and the floor maxUnavailable allows", () => {
    expect(availabilityFloor(1000)).toBe(750);
    expect(availabilityFloor(5)).toBe(4);
    expect(svg).toContain(">builtin: new template at 60 s</text>");
    expect(svg).toContain(">mirror: new template at 250 s</text>");
    expect(svg).toContain(">maxUnavailable 25%: at least 750 during the rollout</text>");
  });
});
