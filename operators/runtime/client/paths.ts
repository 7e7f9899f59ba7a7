// Pure URL building for the REST API.
import type { ResourceRef } from "./types.ts";

export type Query = Record<string, string | number | boolean | undefined>;

export interface ObjectAddress {
  namespace?: string;
  name?: string;
  subresource?: string;
}

/**
 * /api/v1[/namespaces/ns]/plural[/name[/sub]] or the /apis/group/version form.
 * A namespaced resource without a namespace addresses all namespaces, which
 * is only valid for a collection; a cluster-scoped one never takes a namespace.
 */
export function resourcePath(ref: ResourceRef, address: ObjectAddress = {}): string {
  const { namespace, name, subresource } = address;
  if (!ref.namespaced && namespace) throw new Error(`${describeRef(ref)} is cluster-scoped: no namespace allowed`);
  if (ref.namespaced && name !== undefined && !namespace) throw new Error(`${describeRef(ref)} is namespaced: a namespace is required`);
  if (name === "") throw new Error(`${describeRef(ref)}: an empty name addresses nothing`);
  const prefix = ref.group === "" ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
  let path = prefix;
  if (namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${ref.plural}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

/** `path` under the server URL (which may carry a path prefix, e.g. behind a proxy), with the defined query values. */
export function requestUrl(server: URL, path: string, query: Query = {}): URL {
  const url = new URL(server.href.replace(/\/+$/, "") + path);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

/** "plural.group" as kubectl names a resource ("pods" for the core group). */
export function describeRef(ref: ResourceRef): string {
  return ref.group === "" ? ref.plural : `${ref.plural}.${ref.group}`;
}
