import { z } from "zod";

/**
 * Kubernetes IntOrString (k8s.io/apimachinery/pkg/util/intstr). The CRD
 * generator recognises this extension and emits the structural form
 * (`x-kubernetes-int-or-string: true` with the canonical anyOf), hoisting the
 * branch constraints (pattern, minimum) up to the node, where the API server
 * applies each to the values of its type.
 */
export const INT_OR_STRING = "x-kubernetes-int-or-string";

export const IntOrStringSchema = z.union([z.int32(), z.string()]).meta({ [INT_OR_STRING]: true });
export type IntOrString = z.infer<typeof IntOrStringSchema>;

const INT_OR_PERCENT_ERROR = 'must be a non-negative integer or a percentage like "25%"';

/** maxSurge and friends: a non-negative integer or any percentage (upstream ValidatePositiveIntOrPercent). */
export const IntOrPercentSchema = z
  .union([z.int32().min(0, INT_OR_PERCENT_ERROR), z.string().regex(/^[0-9]+%$/, INT_OR_PERCENT_ERROR)], {
    error: INT_OR_PERCENT_ERROR,
  })
  .meta({ [INT_OR_STRING]: true });

/** maxUnavailable: as IntOrPercentSchema, and a percentage may not exceed 100% (upstream IsNotMoreThan100Percent). */
const UP_TO_100_ERROR = `${INT_OR_PERCENT_ERROR} of at most 100%`;

export const IntOrPercentUpTo100Schema = z
  .union([z.int32().min(0, UP_TO_100_ERROR), z.string().regex(/^0*(100|[1-9]?[0-9])%$/, UP_TO_100_ERROR)], {
    error: UP_TO_100_ERROR,
  })
  .meta({ [INT_OR_STRING]: true });
