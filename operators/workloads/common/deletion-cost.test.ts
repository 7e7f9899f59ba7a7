import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDeletionCost, POD_DELETION_COST_ANNOTATION, podDeletionCost } from "./deletion-cost.ts";

describe("parseDeletionCost", () => {
  it.each([
    ["0", 0],
    ["10", 10],
    ["-10", -10],
    ["-08", -8],
    ["-0", 0],
    ["2147483647", 2147483647],
    ["-2147483648", -2147483648],
  ])("reads %s as %d", (value, cost) => {
    expect(parseDeletionCost(value)).toEqual({ ok: true, cost });
  });

  it.each(["", "+10", "008", "00", "1.5", "1e3", " 1", "1 ", "abc", "-", "2147483648", "-2147483649", "99999999999999999999"])("rejects %j and costs 0", (value) => {
    const parsed = parseDeletionCost(value);
    expect(parsed.ok).toBe(false);
    expect(parsed.cost).toBe(0);
  });

  it("round-trips every int32", () => {
    fc.assert(fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (n) => parseDeletionCost(String(n)).cost === n));
  });
});

describe("podDeletionCost", () => {
  it("reads the annotation, 0 when absent or invalid", () => {
    expect(podDeletionCost({ [POD_DELETION_COST_ANNOTATION]: "-5" })).toBe(-5);
    expect(podDeletionCost({ [POD_DELETION_COST_ANNOTATION]: "x" })).toBe(0);
    expect(podDeletionCost({ other: "1" })).toBe(0);
    expect(podDeletionCost(undefined)).toBe(0);
  });
});
