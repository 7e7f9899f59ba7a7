import { describe, expect, it } from "vitest";
import { labelSelectorMatches } from "../../api/index.ts";
import { formatLabelSelector } from "./label-selector.ts";

describe("formatLabelSelector", () => {
  it("prints matchLabels as k=v, sorted by key", () => {
    expect(formatLabelSelector({ matchLabels: { tier: "frontend", app: "guestbook" } })).toBe("app=guestbook,tier=frontend");
  });

  it("prints every operator as upstream, values sorted, all requirements sorted by key", () => {
    expect(
      formatLabelSelector({
        matchLabels: { env: "prod" },
        matchExpressions: [
          { key: "zone", operator: "In", values: ["b", "a"] },
          { key: "track", operator: "NotIn", values: ["canary"] },
          { key: "app", operator: "Exists" },
          { key: "legacy", operator: "DoesNotExist" },
        ],
      }),
    ).toBe("app,env=prod,!legacy,track notin (canary),zone in (a,b)");
  });

  it("prints an empty selector as the empty string", () => {
    expect(formatLabelSelector({})).toBe("");
  });

  it("is what the selector means: parsing it back selects the same labels", () => {
    const selector = { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In" as const, values: ["a", "b"] }] };
    expect(formatLabelSelector(selector)).toBe("app=web,tier in (a,b)");
    expect(labelSelectorMatches(selector, { app: "web", tier: "b" })).toBe(true);
  });
});
