// The real ListWatchTransport: one resource, optionally narrowed to a
// namespace and selectors, over the REST client.
import { ResourceClient } from "../client/resource-client.ts";
import type { RestClient } from "../client/rest-client.ts";
import type { KubeObject, ResourceRef } from "../client/types.ts";
import type { ListWatchTransport } from "./transport.ts";

/** A resource and the slice of it an informer caches. */
export interface InformerSpec extends ResourceRef {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export function restListWatch(rest: RestClient, spec: InformerSpec): ListWatchTransport {
  const client = new ResourceClient<KubeObject>(rest, spec);
  const { namespace, labelSelector, fieldSelector } = spec;
  return {
    list: (options, signal) => client.list({ namespace, labelSelector, fieldSelector, ...options, signal }),
    watch: (options, signal) => client.watch({ namespace, labelSelector, fieldSelector, ...options }, signal),
  };
}
