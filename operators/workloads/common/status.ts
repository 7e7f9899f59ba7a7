// Writing status only when it changed: a controller that rewrites an equal
// status on every reconcile wakes every watcher of the object for nothing, and
// its own informer then triggers yet another reconcile.
import type { KubeObject } from "../../runtime/client/index.ts";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Deep equality as JSON sees it (apimachinery's semantic DeepEqual, for what
 * JSON can hold): a member set to undefined equals a missing one, since
 * neither is serialised; key order does not matter, list order does.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keysA = Object.keys(a).filter((k) => a[k] !== undefined);
    const keysB = Object.keys(b).filter((k) => b[k] !== undefined);
    return keysA.length === keysB.length && keysA.every((k) => Object.hasOwn(b, k) && semanticEqual(a[k], b[k]));
  }
  return false;
}

/** What writing status needs of a client (ResourceClient has it). */
export interface StatusWriter<T> {
  updateStatus(obj: T): Promise<T>;
}

/**
 * Writes `status` through the status subresource (a PUT carrying the
 * object's resourceVersion: a stale object fails with 409 and the reconcile
 * retries), unless it equals `current`: by default the object's own status;
 * pass the parsed status when defaults make the raw one look different.
 */
export async function updateStatusIfChanged<T extends KubeObject & { status?: unknown }>(
  client: StatusWriter<T>,
  obj: T,
  status: NonNullable<T["status"]>,
  current: unknown = obj.status,
): Promise<{ object: T; written: boolean }> {
  if (semanticEqual(current, status)) return { object: obj, written: false };
  return { object: await client.updateStatus({ ...obj, status }), written: true };
}
