import { describe, expect, it } from "vitest";
import { sumMetric } from "./counters.ts";
import { controllerRequests, markdown, reading, type SideResult } from "./report.ts";

describe("sumMetric", () => {
  const text = [
    "# HELP rest_client_requests_total Number of HTTP requests",
    'rest_client_requests_total{code="200",host="127.0.0.1:1",method="GET"} 12',
    'rest_client_requests_total{code="201",host="127.0.0.1:1",method="POST"} 3',
    "rest_client_requests_total_other 99",
    'apiserver_request_total{code="200",verb="LIST"} 4',
    'apiserver_request_total{code="201",verb="POST",resource="pods"} 6',
    'apiserver_request_total{code="409",verb="POST"} 1',
  ].join("\n");

  it("adds up every series of the metric, and only of that metric", () => {
    expect(sumMetric(text, "rest_client_requests_total")).toEqual({ "": 15 });
  });

  it("groups by a label", () => {
    expect(sumMetric(text, "apiserver_request_total", "verb")).toEqual({ LIST: 4, POST: 7 });
  });
});

describe("the README section", () => {
  it("counts the side's controllers' requests over both phases, and tables every side", () => {
    const snap = (requests: Record<string, number>) => ({ requests, apiserver: { total: 100, byVerb: {} }, cpuSeconds: { "kube-controller-manager": 1, "kube-scheduler": 2 } });
    const side: SideResult = {
      label: "builtin",
      title: "apps/v1",
      budget: "20 / 30",
      controllers: ["kube-controller-manager", "kube-scheduler"],
      createMs: 12_340,
      rolloutMs: 20_000,
      peakReplicas: 1250,
      create: snap({ "kube-controller-manager": 10, "kube-scheduler": 5 }),
      rollout: snap({ "kube-controller-manager": 20, "kube-scheduler": 5, mirrorkube: 99 }),
      timeline: [],
    };
    expect(controllerRequests(side)).toBe(40);
    const text = markdown({ date: "d", machine: { cpus: 2, cpuModel: "cpu", memoryGiB: 1, platform: "linux/x64", node: "v20", loadAverage: 1 }, kubernetes: "v1.34.2", nodes: 50, replicas: 10, sides: [side] });
    expect(text).toContain("| create → 10 available (s) | 12.3 |");
    expect(text).toContain("| … per pod | 2.0 |");
    expect(text).toContain("| … kube-controller-manager / kube-scheduler / mirrorkube | 30 / 10 / – |");
    expect(text).toContain("| CPU s: controllers | 6.0 |");
    expect(text).toContain("![Available replicas over time, apps/v1 and mirror](results/rollout.svg)");
  });

  it("reads the sides against each other from the numbers", () => {
    const snap = (requests: Record<string, number>, apiserverCpu: number) => ({ requests, apiserver: { total: 0, byVerb: {} }, cpuSeconds: { "kube-apiserver": apiserverCpu, etcd: 0 } });
    const side = (label: string, budget: string, controller: string, requests: number, createMs: number, rolloutMs: number, apiserverCpu: number): SideResult => ({
      label,
      title: label,
      budget,
      controllers: [controller],
      createMs,
      rolloutMs,
      peakReplicas: 0,
      create: snap({ [controller]: requests / 2 }, apiserverCpu / 2),
      rollout: snap({ [controller]: requests / 2 }, apiserverCpu / 2),
      timeline: [],
    });
    const machine = { cpus: 2, cpuModel: "cpu", memoryGiB: 1, platform: "linux/x64", node: "v20", loadAverage: 1 };
    const sides = [side("builtin", "20 / 30", "kube-controller-manager", 4000, 50_000, 100_000, 60), side("mirror", "no limit", "mirrorkube", 12_000, 40_000, 60_000, 120), side("mirror-qps", "70 / 130", "mirrorkube", 12_000, 100_000, 200_000, 200)];
    const text = reading({ date: "d", machine, kubernetes: "v1.34.2", nodes: 50, replicas: 1000, sides });
    expect(text).toContain("averaged 120 requests/s and were\n  1.3× faster to create and 1.7× faster to roll out");
    expect(text).toContain("costs 3.0× the\n  controller requests (6.0 vs 2.0)");
    expect(text).toContain("spent\n  2.0× the CPU");
    expect(text).toContain("Held to 70 / 130");
    expect(text).toContain("took 2.0× / 2.0× the built-in times");
    expect(reading({ date: "d", machine, kubernetes: "v1.34.2", nodes: 50, replicas: 1000, sides: [sides[1]!] })).toBe("");
  });
});
