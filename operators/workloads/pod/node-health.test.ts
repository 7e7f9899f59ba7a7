import { describe, expect, it } from "vitest";
import { nodeHealth, readiness } from "./node-health.ts";
import { node, NOW_MS } from "./testing.ts";

const grace = 40_000;

describe("nodeHealth", () => {
  it("a Ready node is healthy", () => {
    expect(nodeHealth(node("n1"), "n1", "web", NOW_MS, grace)).toEqual({ lost: false });
  });

  it("a deleted node (none in the cache) is lost at once", () => {
    expect(nodeHealth(undefined, "n1", "web", NOW_MS, grace)).toEqual({ lost: true, message: "Node n1 which was running pod web was deleted" });
  });

  it("a node NotReady or Unknown within the grace period is not lost yet; look again when it ends", () => {
    expect(nodeHealth(node("n1", "False", 10), "n1", "web", NOW_MS, grace)).toEqual({ lost: false, recheckAfterMs: 30_000 });
    expect(nodeHealth(node("n1", "Unknown", 39), "n1", "web", NOW_MS, grace)).toEqual({ lost: false, recheckAfterMs: 1_000 });
  });

  it("a node NotReady for the grace period or longer is lost, with upstream's message", () => {
    const lost = { lost: true, message: "Node n1 which was running pod web is unresponsive" };
    expect(nodeHealth(node("n1", "False", 40), "n1", "web", NOW_MS, grace)).toEqual(lost);
    expect(nodeHealth(node("n1", "Unknown", 600), "n1", "web", NOW_MS, grace)).toEqual(lost);
  });

  it("a node that never reported Ready counts from its creation", () => {
    const fresh = { metadata: { name: "n1", creationTimestamp: new Date(NOW_MS - 5_000).toISOString() } };
    expect(nodeHealth(fresh, "n1", "web", NOW_MS, grace)).toEqual({ lost: false, recheckAfterMs: 35_000 });
  });
});

describe("readiness", () => {
  it("changes with the Ready condition, not with heartbeats", () => {
    const a = node("n1");
    const heartbeat = { ...a, status: { conditions: a.status!.conditions!.map((c) => ({ ...c, lastHeartbeatTime: "2024-05-01T12:00:10Z" })) } };
    expect(readiness(heartbeat)).toBe(readiness(a));
    expect(readiness(node("n1", "False", 1))).not.toBe(readiness(a));
  });
});
