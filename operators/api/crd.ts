import type { KindInfo } from "./kind.ts";
import { SCALE } from "./kind.ts";
import type { SchemaNode } from "./openapi.ts";
import { toOpenAPI } from "./openapi.ts";

// The API server validates apiVersion, kind and metadata of a resource
// itself and allows a schema to say no more than their type there.
const ROOT_FIELDS: Record<string, SchemaNode> = {
  apiVersion: { type: "string", description: "The group/version of the object." },
  kind: { type: "string", description: "The kind of the object." },
  metadata: { type: "object" },
};

/** The openAPIV3Schema of a kind's CRD. */
export function crdSchema(info: KindInfo): SchemaNode {
  const schema = toOpenAPI(info.schema);
  const properties = { ...(schema.properties as Record<string, SchemaNode>), ...ROOT_FIELDS };
  const required = ((schema.required ?? []) as string[]).filter((name) => !(name in ROOT_FIELDS));
  const { required: _required, ...rest } = schema;
  return {
    ...rest,
    description: `${info.kind} mirrors the built-in ${info.kind}; mirrorkube's controllers give it its behaviour.`,
    properties,
    ...(required.length > 0 && { required }),
  };
}

/** The apiextensions.k8s.io/v1 CustomResourceDefinition of a kind. */
export function buildCRD(info: KindInfo): SchemaNode {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: `${info.plural}.${info.group}`,
      labels: { "app.kubernetes.io/part-of": "mirrorkube" },
    },
    spec: {
      group: info.group,
      names: {
        kind: info.kind,
        listKind: info.listKind,
        plural: info.plural,
        singular: info.singular,
        shortNames: info.shortNames,
        categories: info.categories,
      },
      scope: info.scope,
      versions: [
        {
          name: info.version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: crdSchema(info) },
          subresources: { status: {}, ...(info.scale && { scale: { ...SCALE } }) },
          additionalPrinterColumns: info.printerColumns,
        },
      ],
    },
  };
}
