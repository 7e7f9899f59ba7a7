import { z } from "zod";
import { INT_OR_STRING } from "./int-or-string.ts";

/** An OpenAPI v3 schema node as a CRD holds it (apiextensions.k8s.io/v1 JSONSchemaProps). */
export type SchemaNode = { [key: string]: unknown };

export const PRESERVE_UNKNOWN = "x-kubernetes-preserve-unknown-fields";

const INT32 = { min: -2147483648, max: 2147483647 };
const INT64 = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

/**
 * The OpenAPI schema of a zod schema, in the structural form the API server
 * requires. zod's own converter does the walking (input side: a field with a
 * default is optional); this rewrites the few constructs a CRD spells
 * differently. Anything else that is not structural (a union, a $ref) is
 * left in place for checkStructural to report.
 */
export function toOpenAPI(schema: z.ZodType): SchemaNode {
  const json = z.toJSONSchema(schema, {
    io: "input",
    target: "openapi-3.0",
    unrepresentable: "throw",
    reused: "inline",
    cycles: "throw",
  }) as SchemaNode;
  delete json.$schema;
  return rewrite(json);
}

function rewrite(node: SchemaNode): SchemaNode {
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "properties") out[key] = mapValues(value as Record<string, SchemaNode>, rewrite);
    else if (key === "items" || key === "additionalProperties") out[key] = isSchema(value) ? rewrite(value) : value;
    else out[key] = value;
  }
  if (out[INT_OR_STRING]) return intOrString(out);
  if (out.type === "integer") integerFormat(out);
  // metav1.Time: zod adds its own date-time regex; the format says it all,
  // and the API server checks it.
  if (out.format === "date-time") delete out.pattern;
  // additionalProperties: false is what zod writes for a strict object; a
  // CRD prunes unknown fields instead (and forbids the keyword).
  if (out.additionalProperties === false) delete out.additionalProperties;
  // An open map of anything (z.record(z.string(), z.unknown()),
  // z.looseObject) is a preserve-unknown object.
  if (isSchema(out.additionalProperties) && Object.keys(out.additionalProperties).length === 0) {
    delete out.additionalProperties;
    if (out.properties && Object.keys(out.properties).length === 0) delete out.properties;
    out[PRESERVE_UNKNOWN] = true;
  }
  return out;
}

/**
 * The canonical structural form of an int-or-string: no type, the fixed
 * anyOf, and the branch constraints hoisted to the node (a pattern applies
 * only to strings and a minimum only to numbers, so the API server applies
 * each to the right values).
 */
function intOrString(node: SchemaNode): SchemaNode {
  const branches = (node.anyOf as SchemaNode[] | undefined) ?? [];
  const { anyOf: _anyOf, type: _type, ...rest } = node;
  const out: SchemaNode = { ...rest, anyOf: [{ type: "integer" }, { type: "string" }] };
  for (const b of branches) {
    if (b.type === "string" && typeof b.pattern === "string") out.pattern = b.pattern;
    if (b.type === "integer" && typeof b.minimum === "number" && b.minimum !== INT32.min && b.minimum !== INT64.min)
      out.minimum = b.minimum;
  }
  return out;
}

/** zod writes int32/safe-integer bounds; a CRD says the same with format. */
function integerFormat(node: SchemaNode): void {
  for (const [format, range] of [
    ["int32", INT32],
    ["int64", INT64],
  ] as const) {
    if (node.minimum === range.min || node.maximum === range.max) {
      node.format = format;
      if (node.minimum === range.min) delete node.minimum;
      if (node.maximum === range.max) delete node.maximum;
    }
  }
}

export function isSchema(v: unknown): v is SchemaNode {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function mapValues<T, U>(o: Record<string, T>, f: (t: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}
