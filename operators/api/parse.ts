import type { z } from "zod";
import type { KindInfo } from "./kind.ts";

/** One field-level problem, with the field written as Kubernetes writes it (spec.containers[0].image). */
export interface FieldIssue {
  field: string;
  message: string;
}

/** A malformed object: its kind, namespace/name, and every field-level problem. */
export class InvalidObjectError extends Error {
  override readonly name = "InvalidObjectError";
  constructor(
    readonly kind: string,
    readonly objectKey: string,
    readonly issues: FieldIssue[],
  ) {
    super(`${kind} "${objectKey}" is invalid: ${issues.map((i) => `${i.field}: ${i.message}`).join("; ")}`);
  }
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: InvalidObjectError };

/**
 * Validates an object read from the API server (or a manifest) against its
 * kind's schema, and returns it with upstream's defaults applied, including
 * those a CRD cannot express (see DeploymentStrategySchema, PodSchema,
 * ServicePortSchema). Never throws: a controller logs the error, records a
 * Warning event, and goes on with its other objects.
 */
export function parseObject<S extends z.ZodType>(info: KindInfo<S>, obj: unknown): ParseResult<z.output<S>> {
  const result = info.schema.safeParse(obj);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.map((i) => ({ field: formatPath(i.path), message: i.message }));
  return { ok: false, error: new InvalidObjectError(info.kind, objectKey(obj), issues) };
}

/** parseObject for callers that treat a malformed object as a bug (tests, fixtures): throws InvalidObjectError. */
export function mustParse<S extends z.ZodType>(info: KindInfo<S>, obj: unknown): z.output<S> {
  const result = parseObject(info, obj);
  if (!result.ok) throw result.error;
  return result.value;
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return "<object>";
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(part))) out += out ? `.${String(part)}` : String(part);
    else out += `[${String(part)}]`;
  }
  return out;
}

function objectKey(obj: unknown): string {
  const meta = (obj as { metadata?: { name?: unknown; namespace?: unknown } } | null)?.metadata;
  const name = typeof meta?.name === "string" ? meta.name : "<unnamed>";
  return typeof meta?.namespace === "string" && meta.namespace !== "" ? `${meta.namespace}/${name}` : name;
}
