// The real v1 Service behind a mirror Service: the same spec, whose selector
// (the mirror's labels, which the realizer copies onto every real Pod)
// picks the realized Pods, so cluster DNS, the built-in EndpointSlice
// controller and kube-proxy route to them. Owned by the mirror Service, so
// garbage collection removes it with it.
import { createHash } from "node:crypto";
import { kindRef, kinds, type Service, type ServicePort } from "../api/index.ts";
import type { KubeObject } from "../runtime/client/index.ts";
import { newControllerRef, semanticEqual } from "../workloads/common/index.ts";

export const realServices = { group: "", version: "v1", plural: "services", namespaced: true, kind: "Service" };
export const mirrorServices = kindRef(kinds.Service);

/** On the real Service: a digest of the spec last applied, so a field removed from the mirror is removed from it too. */
export const SPEC_HASH_ANNOTATION = "mirrorkube.dev/service-spec-hash";

export interface RealService extends KubeObject {
  spec?: Record<string, unknown> & { clusterIP?: string; clusterIPs?: string[]; ports?: Partial<ServicePort>[]; selector?: Record<string, string> };
  status?: { loadBalancer?: unknown; conditions?: unknown[] };
}

/** The spec of the real Service: the mirror's, its selector only when non-empty. */
function realSpec(mirror: Service): RealService["spec"] {
  const spec: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(mirror.spec)) if (v !== undefined) spec[k] = v;
  if (Object.keys(mirror.spec.selector ?? {}).length === 0) delete spec.selector;
  // An ExternalName Service has no cluster IP; the API server refuses one.
  if (mirror.spec.type === "ExternalName") {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  }
  return spec;
}

export function desiredRealService(mirror: Service): RealService {
  const spec = realSpec(mirror);
  const hash = createHash("sha256").update(JSON.stringify(spec)).digest("hex").slice(0, 16);
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: mirror.metadata.name,
      namespace: mirror.metadata.namespace,
      labels: { ...mirror.metadata.labels },
      annotations: { [SPEC_HASH_ANNOTATION]: hash },
      ownerReferences: [newControllerRef(mirror, { apiVersion: kinds.Service.apiVersion, kind: kinds.Service.kind })],
    },
    spec,
  };
}

const portKey = (p: Partial<ServicePort>) => `${p.port}/${p.protocol ?? "TCP"}`;

/** Whether the real Service drifted from `desired`: another spec was applied, or someone changed what we set. */
export function needsApply(desired: RealService, existing: RealService): boolean {
  if (existing.metadata?.annotations?.[SPEC_HASH_ANNOTATION] !== desired.metadata?.annotations?.[SPEC_HASH_ANNOTATION]) return true;
  if (!semanticEqual(existing.metadata?.labels ?? {}, desired.metadata?.labels ?? {})) return true;
  const want = desired.spec ?? {};
  const have = existing.spec ?? {};
  for (const [k, v] of Object.entries(want)) {
    if (k === "ports") continue;
    if (!semanticEqual(have[k], v)) return true;
  }
  // Ports: the API server fills in targetPort, protocol and node ports; compare what we set.
  const existingPorts = new Map((have.ports ?? []).map((p) => [portKey(p), p]));
  for (const p of want.ports ?? []) {
    const e = existingPorts.get(portKey(p));
    if (!e) return true;
    for (const [k, v] of Object.entries(p)) if (v !== undefined && !semanticEqual((e as Record<string, unknown>)[k], v)) return true;
  }
  return (want.ports ?? []).length !== (have.ports ?? []).length;
}

/** The mirror's spec.clusterIP(s) from the real Service, when the user left them to the API server. */
export function clusterIPPatch(mirror: Service, real: RealService): { clusterIP: string; clusterIPs?: string[] } | undefined {
  if (mirror.spec.clusterIP || mirror.spec.type === "ExternalName") return undefined;
  const clusterIP = real.spec?.clusterIP;
  if (!clusterIP) return undefined;
  return { clusterIP, ...(real.spec?.clusterIPs && { clusterIPs: real.spec.clusterIPs }) };
}
