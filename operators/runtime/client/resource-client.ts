// A client for one resource, generic over its object type: CRUD, patches,
// server-side apply and the status subresource. Responses are cast to T: the
// API server's schema for the resource is what guarantees the shape.
import { resourcePath } from "./paths.ts";
import type { ObjectAddress, Query } from "./paths.ts";
import type { RestClient } from "./rest-client.ts";
import type { KubeList, KubeObject, ResourceRef, Status } from "./types.ts";

export interface ObjectKey {
  namespace?: string;
  name: string;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: "Exact" | "NotOlderThan";
  signal?: AbortSignal;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
  signal?: AbortSignal;
}

export interface ApplyOptions extends WriteOptions {
  /** Required by server-side apply: who owns the fields in this request. */
  fieldManager: string;
  /** Take ownership of fields other managers own instead of failing with a conflict. */
  force?: boolean;
}

export interface DeleteOptions extends WriteOptions {
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
}

export interface JsonPatchOperation {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  value?: unknown;
  from?: string;
}

/** A JSON merge patch (RFC 7386) or a JSON patch (RFC 6902). Strategic merge does not exist for custom resources. */
export type Patch = { type: "merge"; patch: Record<string, unknown> } | { type: "json"; patch: JsonPatchOperation[] };

const patchContentType = {
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
} as const;

const applyContentType = "application/apply-patch+yaml";

export class ResourceClient<T extends KubeObject> {
  constructor(
    private readonly rest: RestClient,
    readonly ref: ResourceRef,
  ) {}

  get(key: ObjectKey, options: { signal?: AbortSignal } = {}): Promise<T> {
    return this.getAt(key, undefined, options.signal);
  }

  getStatus(key: ObjectKey, options: { signal?: AbortSignal } = {}): Promise<T> {
    return this.getAt(key, "status", options.signal);
  }

  /** One page; pass `limit` and the returned metadata.continue to page through. */
  async list(options: ListOptions = {}): Promise<KubeList<T>> {
    const { namespace, signal, ...rest } = options;
    const query: Query = { ...rest };
    return (await this.rest.request({ method: "GET", path: this.path({ namespace }), query, signal })) as KubeList<T>;
  }

  /** The raw lines of a watch (one JSON event each), for the informer's reflector. */
  watch(options: WatchOptions, signal: AbortSignal): AsyncIterable<string> {
    const { namespace, ...rest } = options;
    return this.rest.stream({ method: "GET", path: this.path({ namespace }), query: { ...rest, watch: true }, signal });
  }

  async create(obj: T, options: WriteOptions = {}): Promise<T> {
    const path = this.path({ namespace: obj.metadata?.namespace });
    return (await this.rest.request({ method: "POST", path, query: writeQuery(options), body: obj, signal: options.signal })) as T;
  }

  /** PUT: optimistic concurrency on metadata.resourceVersion; a stale one fails with a 409 ApiError. */
  update(obj: T, options: WriteOptions = {}): Promise<T> {
    return this.put(obj, undefined, options);
  }

  updateStatus(obj: T, options: WriteOptions = {}): Promise<T> {
    return this.put(obj, "status", options);
  }

  patch(key: ObjectKey, patch: Patch, options: WriteOptions = {}): Promise<T> {
    return this.sendPatch(key, undefined, patch.patch, patchContentType[patch.type], writeQuery(options), options.signal);
  }

  patchStatus(key: ObjectKey, patch: Patch, options: WriteOptions = {}): Promise<T> {
    return this.sendPatch(key, "status", patch.patch, patchContentType[patch.type], writeQuery(options), options.signal);
  }

  /** Server-side apply of `obj` (which names itself: apiVersion, kind, metadata.name/namespace). */
  async apply(obj: T, options: ApplyOptions): Promise<T> {
    return this.sendPatch(keyOf(obj), undefined, obj, applyContentType, applyQuery(options), options.signal);
  }

  async applyStatus(obj: T, options: ApplyOptions): Promise<T> {
    return this.sendPatch(keyOf(obj), "status", obj, applyContentType, applyQuery(options), options.signal);
  }

  /** The server answers with the object (still present while finalizers run) or a Status. */
  async delete(key: ObjectKey, options: DeleteOptions = {}): Promise<T | Status> {
    const { propagationPolicy, preconditions, gracePeriodSeconds, dryRun, signal } = options;
    const body = {
      apiVersion: "v1",
      kind: "DeleteOptions",
      propagationPolicy,
      preconditions,
      gracePeriodSeconds,
      dryRun: dryRun ? ["All"] : undefined,
    };
    return (await this.rest.request({ method: "DELETE", path: this.path({ ...key }), body, signal })) as T | Status;
  }

  private async getAt(key: ObjectKey, subresource: string | undefined, signal: AbortSignal | undefined): Promise<T> {
    return (await this.rest.request({ method: "GET", path: this.path({ ...key, subresource }), signal })) as T;
  }

  private async put(obj: T, subresource: string | undefined, options: WriteOptions): Promise<T> {
    const key = keyOf(obj);
    if (!obj.metadata?.resourceVersion) {
      // Without it a PUT silently overwrites whatever another writer did.
      throw new Error(`update of ${key.namespace ?? ""}/${key.name} needs metadata.resourceVersion (use apply or patch for blind writes)`);
    }
    const path = this.path({ ...key, subresource });
    return (await this.rest.request({ method: "PUT", path, query: writeQuery(options), body: obj, signal: options.signal })) as T;
  }

  private async sendPatch(
    key: ObjectKey,
    subresource: string | undefined,
    body: unknown,
    contentType: string,
    query: Query,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const path = this.path({ ...key, subresource });
    return (await this.rest.request({ method: "PATCH", path, query, body, contentType, signal })) as T;
  }

  private path(address: ObjectAddress): string {
    return resourcePath(this.ref, address);
  }
}

function keyOf(obj: KubeObject): ObjectKey {
  const name = obj.metadata?.name;
  if (!name) throw new Error("the object has no metadata.name");
  return { namespace: obj.metadata?.namespace, name };
}

function writeQuery(options: WriteOptions): Query {
  return { fieldManager: options.fieldManager, dryRun: options.dryRun ? "All" : undefined };
}

function applyQuery(options: ApplyOptions): Query {
  if (!options.fieldManager) throw new Error("server-side apply needs a fieldManager");
  return { ...writeQuery(options), force: options.force };
}
