import { describe, expect, it } from "vitest";
import { compileLabelSelector, matchesSelector, NodeSelectorMatcher, PreferredTermsScorer, RequiredNodeAffinity, withLabelKeys } from "./selectors.ts";
import { makePod } from "./testing.ts";

const node = (labels: Record<string, string>, name = "n1") => ({ name, labels });

describe("label selectors", () => {
  it("matches nothing when unset and everything when empty", () => {
    expect(matchesSelector(compileLabelSelector(undefined), { a: "1" })).toBe(false);
    expect(matchesSelector(compileLabelSelector({}), { a: "1" })).toBe(true);
  });

  it("ANDs matchLabels and expressions", () => {
    const s = compileLabelSelector({
      matchLabels: { app: "web" },
      matchExpressions: [
        { key: "tier", operator: "In", values: ["a", "b"] },
        { key: "canary", operator: "DoesNotExist" },
        { key: "env", operator: "NotIn", values: ["prod"] },
        { key: "team", operator: "Exists" },
      ],
    });
    expect(matchesSelector(s, { app: "web", tier: "a", team: "x" })).toBe(true);
    expect(matchesSelector(s, { app: "web", tier: "c", team: "x" })).toBe(false);
    expect(matchesSelector(s, { app: "web", tier: "a", team: "x", canary: "" })).toBe(false);
    expect(matchesSelector(s, { app: "web", tier: "a", team: "x", env: "prod" })).toBe(false);
    expect(matchesSelector(s, { app: "web", tier: "a" })).toBe(false);
  });

  it("merges matchLabelKeys/mismatchLabelKeys from the pod's labels", () => {
    const s = withLabelKeys(compileLabelSelector({}), { hash: "abc" }, ["hash", "absent"], []);
    expect(matchesSelector(s, { hash: "abc" })).toBe(true);
    expect(matchesSelector(s, { hash: "def" })).toBe(false);
    const m = withLabelKeys(compileLabelSelector({ matchLabels: { app: "a" } }), { hash: "abc" }, [], ["hash"]);
    expect(matchesSelector(m, { app: "a", hash: "def" })).toBe(true);
    expect(matchesSelector(m, { app: "a", hash: "abc" })).toBe(false);
    expect(withLabelKeys(compileLabelSelector(undefined), { hash: "abc" }, ["hash"]).kind).toBe("nothing");
  });
});

describe("node selectors", () => {
  it("ORs terms, ANDs expressions, supports every operator", () => {
    const m = new NodeSelectorMatcher([
      { matchExpressions: [{ key: "cores", operator: "Gt", values: ["8"] }, { key: "zone", operator: "In", values: ["a"] }] },
      { matchExpressions: [{ key: "mem", operator: "Lt", values: ["4"] }] },
    ]);
    expect(m.matches(node({ cores: "16", zone: "a" }))).toBe(true);
    expect(m.matches(node({ cores: "16", zone: "b" }))).toBe(false);
    expect(m.matches(node({ cores: "8", zone: "a" }))).toBe(false);
    expect(m.matches(node({ mem: "2" }))).toBe(true);
    expect(m.matches(node({ mem: "x" }))).toBe(false);
    expect(m.matches(node({}))).toBe(false);
  });

  it("matches metadata.name fields, and never matches an invalid or empty term", () => {
    expect(new NodeSelectorMatcher([{ matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] }]).matches(node({}))).toBe(true);
    expect(new NodeSelectorMatcher([{ matchFields: [{ key: "metadata.name", operator: "NotIn", values: ["n1"] }] }]).matches(node({}))).toBe(false);
    expect(new NodeSelectorMatcher([{ matchFields: [{ key: "metadata.name", operator: "In", values: ["n1", "n2"] }] }]).matches(node({}))).toBe(false);
    expect(new NodeSelectorMatcher([{ matchFields: [{ key: "metadata.uid", operator: "In", values: ["n1"] }] }]).matches(node({}))).toBe(false);
    expect(new NodeSelectorMatcher([{ matchExpressions: [{ key: "a", operator: "In", values: [] }] }]).matches(node({ a: "" }))).toBe(false);
    expect(new NodeSelectorMatcher([{ matchExpressions: [{ key: "a", operator: "Gt", values: ["x"] }] }]).matches(node({ a: "1" }))).toBe(false);
    expect(new NodeSelectorMatcher([{}]).matches(node({}))).toBe(false);
    expect(new NodeSelectorMatcher([{}, { matchExpressions: [{ key: "a", operator: "Exists" }] }]).matches(node({ a: "" }))).toBe(true);
  });

  it("sums the weights of matching preferred terms, ignoring empty ones", () => {
    const s = new PreferredTermsScorer([
      { weight: 5, preference: { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] } },
      { weight: 3, preference: { matchExpressions: [{ key: "ssd", operator: "Exists" }] } },
      { weight: 100, preference: {} },
    ]);
    expect(s.score(node({ zone: "a", ssd: "1" }))).toBe(8);
    expect(s.score(node({ ssd: "1" }))).toBe(3);
  });

  it("ANDs spec.nodeSelector with the required node affinity", () => {
    const pod = makePod("p", {
      nodeSelector: { disk: "ssd" },
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "NotIn", values: ["c"] }] }] } } },
    });
    const r = new RequiredNodeAffinity(pod);
    expect(r.matches(node({ disk: "ssd", zone: "a" }))).toBe(true);
    expect(r.matches(node({ disk: "ssd", zone: "c" }))).toBe(false);
    expect(r.matches(node({ zone: "a" }))).toBe(false);
    expect(new RequiredNodeAffinity(makePod("q")).matches(node({}))).toBe(true);
  });
});
