import { describe, expect, it } from "vitest";
import { snapshotFromObjects } from "../../snapshot.ts";
import type { PodOptions } from "../../testing.ts";
import { filterWith, makeNode, makePod } from "../../testing.ts";
import { nodePorts } from "./node-ports.ts";

const REASON = "Unschedulable: node(s) didn't have free ports for the requested pod ports";

describe("NodePorts", () => {
  const cases: [string, PodOptions["hostPorts"], PodOptions["hostPorts"], boolean][] = [
    ["same port and protocol", [8080], [8080], true],
    ["different port", [8080], [8081], false],
    ["different protocol", [{ port: 53, protocol: "UDP" }], [{ port: 53, protocol: "TCP" }], false],
    ["0.0.0.0 overlaps a specific IP", [{ port: 80, ip: "10.0.0.1" }], [80], true],
    ["a specific IP overlaps 0.0.0.0", [80], [{ port: 80, ip: "10.0.0.1" }], true],
    ["two specific IPs do not overlap", [{ port: 80, ip: "10.0.0.1" }], [{ port: 80, ip: "10.0.0.2" }], false],
    ["the same specific IP overlaps", [{ port: 80, ip: "10.0.0.1" }], [{ port: 80, ip: "10.0.0.1" }], true],
  ];

  it.each(cases)("%s", (_name, existing, wanted, conflict) => {
    const snapshot = snapshotFromObjects([makeNode("n")], [makePod("old", { nodeName: "n", hostPorts: existing })]);
    expect(filterWith(nodePorts(), makePod("new", { hostPorts: wanted }), snapshot)).toEqual({ n: conflict ? REASON : null });
  });

  it("skips pods without host ports, and frees ports of finished pods", () => {
    const snapshot = snapshotFromObjects(
      [makeNode("n")],
      [makePod("done", { nodeName: "n", hostPorts: [80], phase: "Succeeded" })],
    );
    expect(filterWith(nodePorts(), makePod("new", { hostPorts: [80] }), snapshot)).toEqual({ n: null });
    expect(filterWith(nodePorts(), makePod("plain"), snapshot)).toEqual({ n: null });
  });
});
