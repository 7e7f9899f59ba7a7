import type { z } from "zod";

// What a zod schema cannot say about a Kubernetes schema by itself, as
// metadata the CRD generator copies verbatim (like kubebuilder markers):
// CEL rules, list types, map size bounds.

export const VALIDATIONS = "x-kubernetes-validations";

/** One x-kubernetes-validations entry (apiextensions.k8s.io/v1 ValidationRule). */
export interface ValidationRule {
  rule: string;
  message: string;
  /** Relative JSON path of the field the error is reported on, e.g. ".maxUnavailable". */
  fieldPath?: string;
  reason?: "FieldValueInvalid" | "FieldValueForbidden" | "FieldValueRequired" | "FieldValueDuplicate";
}

export interface CrossFieldRule<T> extends ValidationRule {
  /**
   * The same rule in TypeScript, so that parse() rejects what the API server
   * rejects. Omitted for transition rules (they compare with the stored
   * object, which a parse does not have).
   */
  check?: (value: T) => boolean;
}

/**
 * Attaches cross-field rules to a schema twice: as CEL in the CRD (the API
 * server enforces them) and as zod refinements (parse() enforces them).
 * Each rule's two spellings sit side by side, so that changing one shows
 * the other; unit tests exercise the TypeScript one.
 */
export function withRules<S extends z.ZodType>(schema: S, rules: CrossFieldRule<z.output<S>>[]): S {
  let out = schema;
  for (const { check, message, fieldPath } of rules) {
    if (!check) continue;
    const path = fieldPath ? fieldPath.slice(1).split(".") : [];
    out = out.refine(check, { message, path }) as S;
  }
  const existing = (schema.meta()?.[VALIDATIONS] as ValidationRule[] | undefined) ?? [];
  const cel = rules.map(({ check: _check, ...rule }) => rule);
  return out.meta({ [VALIDATIONS]: [...existing, ...cel] }) as S;
}

/** Marks an array as a map keyed by the given item fields (x-kubernetes-list-type: map), as upstream does. */
export function listMap(...keys: string[]): Record<string, unknown> {
  return { "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": keys };
}

/** A map with at most n entries: maxProperties in the CRD, the same check in parse(). */
export function maxProperties<S extends z.ZodRecord>(schema: S, n: number): S {
  return schema
    .refine((m) => Object.keys(m as object).length <= n, { message: `must have at most ${n} entries` })
    .meta({ maxProperties: n }) as S;
}
