import { describe, expect, it } from "vitest";
import { z } from "zod";
import { IntOrPercentSchema, IntOrStringSchema } from "./int-or-string.ts";
import { TimeSchema } from "./meta.ts";
import { toOpenAPI } from "./openapi.ts";
import { PreservedObjectSchema } from "./preserved.ts";
import { QUANTITY_PATTERN, QuantitySchema } from "./quantity.ts";

const property = (shape: z.ZodRawShape, name: string) =>
  (toOpenAPI(z.object(shape)).properties as Record<string, unknown>)[name];

describe("toOpenAPI", () => {
  it("writes int-or-string in the canonical structural form", () => {
    expect(property({ port: IntOrStringSchema }, "port")).toEqual({
      anyOf: [{ type: "integer" }, { type: "string" }],
      "x-kubernetes-int-or-string": true,
    });
  });

  it("hoists the branch constraints of an int-or-string to the node", () => {
    expect(property({ q: QuantitySchema }, "q")).toEqual({
      anyOf: [{ type: "integer" }, { type: "string" }],
      pattern: QUANTITY_PATTERN,
      minimum: 0,
      "x-kubernetes-int-or-string": true,
    });
    expect(property({ s: IntOrPercentSchema.default("25%") }, "s")).toMatchObject({ default: "25%", pattern: "^[0-9]+%$" });
  });

  it("writes integer widths as formats instead of bounds", () => {
    expect(property({ n: z.int32() }, "n")).toEqual({ type: "integer", format: "int32" });
    expect(property({ n: z.int32().min(0) }, "n")).toEqual({ type: "integer", format: "int32", minimum: 0 });
    expect(property({ n: z.int() }, "n")).toEqual({ type: "integer", format: "int64" });
  });

  it("turns open objects into preserve-unknown objects", () => {
    expect(property({ o: PreservedObjectSchema }, "o")).toEqual({
      type: "object",
      "x-kubernetes-preserve-unknown-fields": true,
    });
    const loose = property({ o: z.looseObject({ a: z.string() }) }, "o");
    expect(loose).toMatchObject({ properties: { a: { type: "string" } }, "x-kubernetes-preserve-unknown-fields": true });
  });

  it("keeps maps of typed values as additionalProperties", () => {
    expect(property({ m: z.record(z.string(), z.string()) }, "m")).toEqual({
      type: "object",
      additionalProperties: { type: "string" },
    });
  });

  it("writes timestamps as format date-time without zod's regex", () => {
    expect(property({ t: TimeSchema }, "t")).toEqual({ type: "string", format: "date-time" });
  });

  it("writes defaults and leaves defaulted fields out of required", () => {
    const schema = toOpenAPI(z.object({ a: z.string(), b: z.string().default("x"), c: z.string().optional() }));
    expect(schema.required).toEqual(["a"]);
    expect(schema.properties).toMatchObject({ b: { type: "string", default: "x" } });
    expect(schema).not.toHaveProperty("additionalProperties");
  });
});
