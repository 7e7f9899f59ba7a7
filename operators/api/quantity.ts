import { z } from "zod";
import { INT_OR_STRING } from "./int-or-string.ts";

// The resource.Quantity grammar (k8s.io/apimachinery/pkg/api/resource):
// a decimal number, then an optional binary-SI suffix (Ki..Ei), decimal-SI
// suffix (n u m "" k M G T P E) or decimal exponent (e3, E-2).
const NUMBER = String.raw`(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)`;
const SUFFIX = String.raw`(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?${NUMBER})?`;

/**
 * No leading "-": every quantity mirrorkube stores (requests, limits,
 * capacity, quota hard/used, sizeLimit) must be >= 0 upstream, so a negative
 * one is rejected as early as the schema.
 */
export const QUANTITY_PATTERN = `^\\+?${NUMBER}${SUFFIX}$`;

const QUANTITY_ERROR = 'must be a non-negative quantity such as 2, "500m", "1.5", "128Mi" or "1e3"';

export const QuantitySchema = z
  .union([z.int().min(0, QUANTITY_ERROR), z.string().regex(new RegExp(QUANTITY_PATTERN), QUANTITY_ERROR)], {
    error: QUANTITY_ERROR,
  })
  .meta({ [INT_OR_STRING]: true });
export type Quantity = z.infer<typeof QuantitySchema>;

/** A map of resource name (cpu, memory, storage, pods, ...) to quantity. */
export const ResourceListSchema = z.record(z.string(), QuantitySchema);
export type ResourceList = z.infer<typeof ResourceListSchema>;
