// The resource names a ResourceQuota can hold (upstream core/v1 ResourceName
// constants and quota/v1/generic ObjectCountQuotaResourceNameFor).
import type { KindInfo } from "../api/index.ts";

export const PODS = "pods";
export const SERVICES = "services";
export const SERVICES_NODEPORTS = "services.nodeports";
export const SERVICES_LOADBALANCERS = "services.loadbalancers";
export const PERSISTENT_VOLUME_CLAIMS = "persistentvolumeclaims";
export const RESOURCE_QUOTAS = "resourcequotas";
export const CPU = "cpu";
export const MEMORY = "memory";
export const EPHEMERAL_STORAGE = "ephemeral-storage";
export const REQUESTS_CPU = "requests.cpu";
export const REQUESTS_MEMORY = "requests.memory";
export const REQUESTS_EPHEMERAL_STORAGE = "requests.ephemeral-storage";
export const REQUESTS_STORAGE = "requests.storage";
export const LIMITS_CPU = "limits.cpu";
export const LIMITS_MEMORY = "limits.memory";
export const LIMITS_EPHEMERAL_STORAGE = "limits.ephemeral-storage";
export const HUGEPAGES_PREFIX = "hugepages-";
export const REQUESTS_PREFIX = "requests.";
export const REQUESTS_HUGEPAGES_PREFIX = "requests.hugepages-";

/**
 * "<class><suffix>requests.storage": upstream's suffix, and the same with the
 * mirror StorageClass's group (storage.mirrorkube.dev), for per-class usage.
 */
export const STORAGE_CLASS_SUFFIXES = [".storageclass.storage.k8s.io/", ".storageclass.storage.mirrorkube.dev/"];

/** The built-in group a mirror group stands for: core.mirrorkube.dev → "", apps.mirrorkube.dev → "apps". */
export function upstreamGroup(kind: Pick<KindInfo, "group">): string {
  const group = kind.group.replace(/\.mirrorkube\.dev$/, "");
  return group === "core" ? "" : group;
}

/**
 * The object count names of a mirror kind: count/<plural>.<mirror group>,
 * and the built-in spelling (count/pods, count/replicasets.apps), since the
 * mirror quota counts mirror objects wherever a manifest copied from a
 * built-in quota names them.
 */
export function objectCountNames(kind: Pick<KindInfo, "group" | "plural">): string[] {
  const builtIn = upstreamGroup(kind);
  return [`count/${kind.plural}.${kind.group}`, builtIn ? `count/${kind.plural}.${builtIn}` : `count/${kind.plural}`];
}
