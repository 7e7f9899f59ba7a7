import type { KubeObject } from "../client/index.ts";

/** A coordination.k8s.io/v1 Lease as leader election reads and writes it. */
export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

export const leaseResource = { group: "coordination.k8s.io", version: "v1", plural: "leases", namespaced: true } as const;

/** MicroTime as the API server wants it: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}
