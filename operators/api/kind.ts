import { z } from "zod";
import { ObjectMetaSchema } from "./meta.ts";

export const VERSION = "v1alpha1";
export const CATEGORY = "mirrorkube";

/** apiextensions.k8s.io/v1 CustomResourceColumnDefinition. */
export interface PrinterColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  jsonPath: string;
  description?: string;
  /** 0 is shown by `kubectl get`; 1 only with `-o wide`. */
  priority?: number;
}

/** The scale subresource paths; the same for every kind that has one. */
export const SCALE = {
  specReplicasPath: ".spec.replicas",
  statusReplicasPath: ".status.replicas",
  labelSelectorPath: ".status.selector",
} as const;

/** Everything needed to serve, watch and generate the CRD of one kind. */
export interface KindInfo<S extends z.ZodType = z.ZodType> {
  group: string;
  version: typeof VERSION;
  /** group/version, as written in a manifest. */
  apiVersion: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  scope: "Namespaced" | "Cluster";
  categories: string[];
  /** Whether the kind has the scale subresource (paths in SCALE). */
  scale: boolean;
  printerColumns: PrinterColumn[];
  schema: S;
}

export const AGE_COLUMN: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

/**
 * The top-level object of a kind. apiVersion and kind default to the kind's
 * own, so objects from a list (where some clients omit them) still parse,
 * and a wrong one is an error.
 */
function resourceSchema<A extends string, K extends string, Shape extends z.ZodRawShape>(
  apiVersion: A,
  kind: K,
  shape: Shape,
) {
  return z.object({
    apiVersion: z.literal(apiVersion).default(apiVersion),
    kind: z.literal(kind).default(kind),
    metadata: ObjectMetaSchema,
    ...shape,
  });
}

type ResourceSchema<G extends string, K extends string, Shape extends z.ZodRawShape> = ReturnType<
  typeof resourceSchema<`${G}/${typeof VERSION}`, K, Shape>
>;

/**
 * A kind: its top-level schema (apiVersion, kind, metadata and the given
 * fields, usually spec and status) and how its CRD serves it.
 */
export function defineKind<const G extends string, const K extends string, Shape extends z.ZodRawShape>(info: {
  group: G;
  kind: K;
  plural: string;
  shortNames: string[];
  scope: KindInfo["scope"];
  scale?: boolean;
  printerColumns: PrinterColumn[];
  shape: Shape;
}): KindInfo<ResourceSchema<G, K, Shape>> {
  const { shape, ...rest } = info;
  const apiVersion = `${info.group}/${VERSION}` as const;
  return {
    ...rest,
    version: VERSION,
    apiVersion,
    listKind: `${info.kind}List`,
    singular: info.kind.toLowerCase(),
    categories: [CATEGORY],
    scale: info.scale ?? false,
    schema: resourceSchema(apiVersion, info.kind, shape),
  };
}

/** The kind as the runtime addresses it (operators/runtime's KindRef): its resource and kind name. */
export function kindRef(k: Pick<KindInfo, "group" | "version" | "plural" | "kind" | "scope">): { group: string; version: string; plural: string; kind: string; namespaced: boolean } {
  return { group: k.group, version: k.version, plural: k.plural, kind: k.kind, namespaced: k.scope === "Namespaced" };
}
