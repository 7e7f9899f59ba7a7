import { describe, expect, it } from "vitest";
import { fitErrorMessage, truncateMessage } from "./fit-error.ts";
import type { Status } from "./interface.ts";

const st = (...reasons: string[]): Status => ({ code: "Unschedulable", reasons });

describe("fitErrorMessage (upstream FitError.Error)", () => {
  it("counts each reason per node, sorts the entries as strings, ends with a period", () => {
    const statuses = new Map<string, Status>([
      ["n1", st("Insufficient cpu", "Insufficient memory")],
      ["n2", st("Insufficient cpu")],
      ["n3", st("node(s) had untolerated taint {dedicated: gpu}")],
    ]);
    expect(fitErrorMessage(3, { nodeStatuses: statuses, unschedulablePlugins: new Set() })).toBe(
      "0/3 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu.",
    );
  });

  it("sorts counts as text, so 10 comes before 2", () => {
    const statuses = new Map<string, Status>();
    for (let i = 0; i < 10; i++) statuses.set(`a${i}`, st("Too many pods"));
    statuses.set("b1", st("Insufficient cpu")).set("b2", st("Insufficient cpu"));
    expect(fitErrorMessage(12, { nodeStatuses: statuses, unschedulablePlugins: new Set() })).toBe(
      "0/12 nodes are available: 10 Too many pods, 2 Insufficient cpu.",
    );
  });

  it("counts nodes without an explicit status with the absent-nodes status", () => {
    const message = fitErrorMessage(5, {
      nodeStatuses: new Map([["n1", st("Insufficient cpu")]]),
      absentNodesStatus: { code: "UnschedulableAndUnresolvable", reasons: ["node(s) didn't satisfy plugin(s) [NodeAffinity]"] },
      unschedulablePlugins: new Set(),
    });
    expect(message).toBe("0/5 nodes are available: 1 Insufficient cpu, 4 node(s) didn't satisfy plugin(s) [NodeAffinity].");
  });

  it("reports a PreFilter rejection once, and appends a PostFilter message", () => {
    const message = fitErrorMessage(3, {
      nodeStatuses: new Map(),
      preFilterMessage: "pod affinity terms conflict",
      postFilterMessage: "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
      unschedulablePlugins: new Set(),
    });
    expect(message).toBe(
      "0/3 nodes are available: pod affinity terms conflict. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
  });

  it("truncates long messages like events do", () => {
    expect(truncateMessage("x".repeat(2000))).toHaveLength(1024);
    expect(truncateMessage("x".repeat(2000)).endsWith(" ...")).toBe(true);
    expect(truncateMessage("short")).toBe("short");
  });
});
