import { INT_OR_STRING } from "./int-or-string.ts";
import type { SchemaNode } from "./openapi.ts";
import { isSchema, PRESERVE_UNKNOWN } from "./openapi.ts";

// The JSONSchemaProps keys a CRD schema may use (apiextensions.k8s.io/v1);
// anything else (propertyNames, const, $ref, $schema, ...) is an unknown
// field to the API server.
const ALLOWED_KEYS = new Set([
  "type",
  "format",
  "description",
  "title",
  "properties",
  "items",
  "additionalProperties",
  "required",
  "enum",
  "default",
  "nullable",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "anyOf",
  "example",
  INT_OR_STRING,
  PRESERVE_UNKNOWN,
  "x-kubernetes-embedded-resource",
  "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-map-type",
  "x-kubernetes-validations",
]);

const TYPES = new Set(["object", "array", "string", "integer", "number", "boolean"]);

/**
 * Reports every way a CRD's openAPIV3Schema breaks the API server's
 * structural-schema rules (and the few extra rules it applies to CRDs), as
 * "path: problem" lines; empty means structural. Written from the rules in
 * the Kubernetes docs ("Specifying a structural schema"), so that a broken
 * generator fails a unit test instead of a cluster apply.
 */
export function checkStructural(root: SchemaNode): string[] {
  const problems: string[] = [];
  checkNode(root, "", problems);
  checkRoot(root, problems);
  return problems;
}

function checkRoot(root: SchemaNode, problems: string[]): void {
  if (root.type !== "object") problems.push("<root>: must be type object");
  if (root[PRESERVE_UNKNOWN]) problems.push("<root>: must not preserve unknown fields (they must be pruned)");
  const props = (root.properties ?? {}) as Record<string, SchemaNode>;
  for (const name of ["apiVersion", "kind", "metadata"]) {
    const node = props[name];
    if (!node) continue;
    const extra = Object.keys(node).filter((k) => k !== "type" && k !== "description");
    if (extra.length > 0)
      problems.push(`.${name}: at the root may only have type and description, has ${extra.join(", ")}`);
  }
}

function checkNode(node: SchemaNode, path: string, problems: string[]): void {
  const at = path || "<root>";
  for (const key of Object.keys(node)) if (!ALLOWED_KEYS.has(key)) problems.push(`${at}: unknown keyword ${key}`);

  const intOrString = node[INT_OR_STRING] === true;
  if (intOrString) {
    if (node.type !== undefined) problems.push(`${at}: int-or-string must not have a type`);
    if (node.anyOf !== undefined && JSON.stringify(node.anyOf) !== '[{"type":"integer"},{"type":"string"}]')
      problems.push(`${at}: int-or-string anyOf must be [{type: integer}, {type: string}]`);
  } else {
    if (node.anyOf !== undefined) problems.push(`${at}: anyOf is only allowed in the int-or-string form`);
    if (node.type === undefined && node[PRESERVE_UNKNOWN] !== true) problems.push(`${at}: has no type`);
    else if (node.type !== undefined && !TYPES.has(node.type as string))
      problems.push(`${at}: bad type ${String(node.type)}`);
  }

  if (node.additionalProperties === false) problems.push(`${at}: additionalProperties must not be false`);
  if (node.additionalProperties !== undefined && node.properties !== undefined)
    problems.push(`${at}: properties and additionalProperties are mutually exclusive`);
  if (node.type === "array" && node.items === undefined) problems.push(`${at}: array without items`);
  if (node.type !== "array" && node.items !== undefined) problems.push(`${at}: items on a non-array`);
  if ((node.properties !== undefined || node.additionalProperties !== undefined) && node.type !== "object")
    problems.push(`${at}: properties on a non-object`);
  checkListMap(node, at, problems);
  checkRequired(node, at, problems);

  for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, SchemaNode>))
    checkNode(child, `${path}.${name}`, problems);
  if (isSchema(node.items)) checkNode(node.items, `${path}[*]`, problems);
  if (isSchema(node.additionalProperties)) checkNode(node.additionalProperties, `${path}[<key>]`, problems);
}

function checkRequired(node: SchemaNode, at: string, problems: string[]): void {
  if (node.required === undefined) return;
  const props = (node.properties ?? {}) as Record<string, SchemaNode>;
  for (const name of node.required as string[])
    if (!(name in props)) problems.push(`${at}: required property ${name} is not declared`);
}

// A map-type list needs object items whose keys are required or defaulted:
// the API server rejects the schema otherwise.
function checkListMap(node: SchemaNode, at: string, problems: string[]): void {
  if (node["x-kubernetes-list-type"] !== "map") return;
  const items = node.items as SchemaNode | undefined;
  const keys = (node["x-kubernetes-list-map-keys"] ?? []) as string[];
  if (!items || items.type !== "object" || keys.length === 0) {
    problems.push(`${at}: a map list needs object items and list-map-keys`);
    return;
  }
  const required = new Set((items.required ?? []) as string[]);
  const props = (items.properties ?? {}) as Record<string, SchemaNode>;
  for (const key of keys)
    if (!required.has(key) && props[key]?.default === undefined)
      problems.push(`${at}: list-map key ${key} must be required or have a default`);
}
