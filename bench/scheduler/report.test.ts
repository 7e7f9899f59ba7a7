import { describe, expect, it } from "vitest";
import { markdown, overall, throughput, type SchedulerResults, type SideResult } from "./report.ts";

const side = (label: string, firstBindMs: number, lastBindMs: number): SideResult => ({ label, title: label, budget: "50 / 100", timeline: { firstBindMs, lastBindMs }, requests: 10_000 });

describe("the scheduler benchmark's report", () => {
  it("rates a side from its start, so a late first bind counts against it", () => {
    const late = side("mirror", 100_000, 200_000);
    expect(throughput(late, 5000)).toBe(50);
    expect(overall(late, 5000)).toBe(25);
  });

  it("tables every side and gives the mirror's ratio to each other side over the whole run", () => {
    const r: SchedulerResults = {
      date: "2026-11-23T00:00:00.000Z",
      machine: { cpus: 2, cpuModel: "x", memoryGiB: 24, platform: "linux/x64", node: "v20", loadAverage: 0 },
      kubernetes: "v1.34.2",
      nodes: 1000,
      pods: 5000,
      sides: [side("mirror", 1_000, 200_000), side("kube-scheduler", 1_000, 100_000)],
      extender: [{ verb: "filter", calls: 200, p50Ms: 3.5, p99Ms: 18.5, maxMs: 70 }],
    };
    const text = markdown(r);
    expect(text).toContain("| pods/s (process start → all bound) | 25.0 | 50.0 |");
    expect(text).toContain("mirrorkube's scheduler ÷ kube-scheduler: **0.50×** pods/s from start to all bound");
    expect(text).toContain("| filter | 200 | 3.5 | 18.5 | 70.0 |");
  });
});
