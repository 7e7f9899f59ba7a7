export { ApiError, isAlreadyExists, isConflict, isGone, isInvalid, isNamespaceTerminating, isNotFound } from "./api-error.ts";
export { loadKubeConfig } from "./kubeconfig.ts";
export { describeRef, resourcePath } from "./paths.ts";
export type { Query } from "./paths.ts";
export { ResourceClient } from "./resource-client.ts";
export type {
  ApplyOptions,
  DeleteOptions,
  JsonPatchOperation,
  ListOptions,
  ObjectKey,
  Patch,
  WatchOptions,
  WriteOptions,
} from "./resource-client.ts";
export type { RateLimit } from "./rate-limiter.ts";
export { RestClient } from "./rest-client.ts";
export type { HttpMethod, RequestSpec, RestClientOptions } from "./rest-client.ts";
export { isNamedObject } from "./types.ts";
export type { KubeList, KubeObject, ListMeta, NamedObject, ObjectMeta, OwnerReference, ResourceRef, Status, StatusDetails } from "./types.ts";
