import { describe, expect, it } from "vitest";
import { checkStructural } from "./structural-check.ts";

const root = (properties: Record<string, unknown>) => ({ type: "object", properties });

describe("checkStructural", () => {
  it("accepts a structural schema", () => {
    const schema = root({
      metadata: { type: "object" },
      spec: {
        type: "object",
        required: ["items"],
        properties: {
          items: {
            type: "array",
            "x-kubernetes-list-type": "map",
            "x-kubernetes-list-map-keys": ["name"],
            items: { type: "object", required: ["name"], properties: { name: { type: "string" } } },
          },
          port: { anyOf: [{ type: "integer" }, { type: "string" }], "x-kubernetes-int-or-string": true },
          extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
          labels: { type: "object", additionalProperties: { type: "string" } },
        },
      },
    });
    expect(checkStructural(schema)).toEqual([]);
  });

  it.each([
    ["a node without a type", { spec: { properties: {} } }, ".spec: has no type"],
    ["a $ref", { spec: { $ref: "#/x" } }, ".spec: unknown keyword $ref"],
    ["a keyword CRDs lack", { spec: { type: "object", propertyNames: {} } }, ".spec: unknown keyword propertyNames"],
    ["additionalProperties: false", { spec: { type: "object", additionalProperties: false } }, ".spec: additionalProperties must not be false"],
    [
      "a union",
      { spec: { anyOf: [{ type: "string" }, { type: "boolean" }] } },
      ".spec: anyOf is only allowed in the int-or-string form",
    ],
    [
      "an int-or-string with a type",
      { spec: { type: "string", "x-kubernetes-int-or-string": true } },
      ".spec: int-or-string must not have a type",
    ],
    [
      "properties with additionalProperties",
      { spec: { type: "object", properties: {}, additionalProperties: { type: "string" } } },
      ".spec: properties and additionalProperties are mutually exclusive",
    ],
    ["an array without items", { spec: { type: "array" } }, ".spec: array without items"],
    [
      "a list-map key that may be absent",
      {
        spec: {
          type: "array",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["name"],
          items: { type: "object", properties: { name: { type: "string" } } },
        },
      },
      ".spec: list-map key name must be required or have a default",
    ],
    ["a required property that is not declared", { spec: { type: "object", required: ["x"] } }, ".spec: required property x is not declared"],
    ["constraints on the root metadata", { metadata: { type: "object", properties: {} } }, ".metadata: at the root may only have type and description, has properties"],
    ["a nested untyped node", { spec: { type: "object", properties: { a: { type: "array", items: {} } } } }, ".spec.a[*]: has no type"],
  ])("reports %s", (_, properties, problem) => {
    expect(checkStructural(root(properties))).toContain(problem);
  });

  it("reports a root that preserves unknown fields", () => {
    expect(checkStructural({ type: "object", "x-kubernetes-preserve-unknown-fields": true })).toContain(
      "<root>: must not preserve unknown fields (they must be pruned)",
    );
  });
});
