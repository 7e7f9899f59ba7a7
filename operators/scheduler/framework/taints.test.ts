import { describe, expect, it } from "vitest";
import { findUntoleratedTaint, toleratesTaint } from "./taints.ts";

describe("tolerations", () => {
  const taint = { key: "dedicated", value: "gpu", effect: "NoSchedule" };

  it("follows v1 Toleration.ToleratesTaint", () => {
    expect(toleratesTaint({ key: "dedicated", value: "gpu", effect: "NoSchedule" }, taint)).toBe(true);
    expect(toleratesTaint({ key: "dedicated", operator: "Equal", value: "gpu" }, taint)).toBe(true);
    expect(toleratesTaint({ key: "dedicated", value: "cpu" }, taint)).toBe(false);
    expect(toleratesTaint({ key: "dedicated", operator: "Exists" }, taint)).toBe(true);
    expect(toleratesTaint({ operator: "Exists" }, taint)).toBe(true);
    expect(toleratesTaint({ operator: "Exists", effect: "NoExecute" }, taint)).toBe(false);
    expect(toleratesTaint({ key: "other", operator: "Exists" }, taint)).toBe(false);
    expect(toleratesTaint({ key: "dedicated", operator: "Lt", value: "gpu" }, taint)).toBe(false);
  });

  it("finds the first untolerated NoSchedule/NoExecute taint, in the node's order", () => {
    const taints = [
      { key: "soft", effect: "PreferNoSchedule" },
      { key: "a", value: "1", effect: "NoSchedule" },
      { key: "b", value: "2", effect: "NoExecute" },
    ];
    expect(findUntoleratedTaint(taints, [])?.key).toBe("a");
    expect(findUntoleratedTaint(taints, [{ key: "a", operator: "Exists" }])?.key).toBe("b");
    expect(findUntoleratedTaint(taints, [{ operator: "Exists" }])).toBeUndefined();
  });
});
