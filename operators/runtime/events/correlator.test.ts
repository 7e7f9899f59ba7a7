import { describe, expect, it } from "vitest";
import { EventCorrelator } from "./correlator.ts";
import type { CoreEvent } from "./event.ts";

function event(name: string, message: string, reason = "Scaled", object = "d1"): CoreEvent {
  return {
    metadata: { name, namespace: "ns" },
    involvedObject: { kind: "Deployment", namespace: "ns", name: object, uid: `uid-${object}` },
    reason,
    message,
    type: "Normal",
    source: { component: "c" },
    firstTimestamp: "t0",
    lastTimestamp: "t0",
    count: 1,
    reportingComponent: "c",
    reportingInstance: "i",
  };
}

describe("EventCorrelator", () => {
  it("turns a repeated event into a patch of the first, counting", () => {
    const c = new EventCorrelator();
    expect(c.correlate(event("e1", "m"), 0)).toMatchObject({ action: "create" });
    const second = c.correlate({ ...event("e2", "m"), lastTimestamp: "t1" }, 1);
    expect(second).toMatchObject({ action: "patch", event: { metadata: { name: "e1" }, count: 2, firstTimestamp: "t0", lastTimestamp: "t1" } });
    expect(c.correlate(event("e3", "m"), 2)).toMatchObject({ action: "patch", event: { count: 3 } });
  });

  it("keeps events with different messages apart until ten are similar, then combines them", () => {
    const c = new EventCorrelator();
    for (let i = 0; i < 9; i++) expect(c.correlate(event(`e${i}`, `m${i}`), i)).toMatchObject({ action: "create" });
    const combined = c.correlate(event("e9", "m9"), 9);
    expect(combined).toMatchObject({ action: "create", event: { message: "(combined from similar events): m9" } });
    expect(c.correlate(event("e10", "m10"), 10)).toMatchObject({ action: "patch", event: { metadata: { name: "e9" }, count: 2, message: "(combined from similar events): m10" } });
  });

  it("drops a storm beyond the burst of 25 per object and refills over time", () => {
    const c = new EventCorrelator();
    const results = Array.from({ length: 30 }, (_, i) => c.correlate(event(`e${i}`, "m"), 0).action);
    expect(results.filter((a) => a === "drop")).toHaveLength(5);
    expect(c.correlate(event("other", "m", "Scaled", "d2"), 0).action).toBe("create");
    expect(c.correlate(event("later", "m"), 5 * 60_000).action).toBe("patch");
  });
});
