import { describe, expect, it } from "vitest";
import { kinds, mustParse, type Service } from "../api/index.ts";
import { clusterIPPatch, desiredRealService, needsApply, SPEC_HASH_ANNOTATION, type RealService } from "./real-service.ts";

function mirror(spec: Record<string, unknown> = {}): Service {
  return mustParse(kinds.Service, {
    metadata: { name: "web", namespace: "ns", uid: "svc-uid", labels: { tier: "a" } },
    spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http" }], ...spec },
  });
}

/** What the API server makes of an applied Service: defaults and allocations filled in. */
function asServed(desired: RealService): RealService {
  return {
    ...desired,
    spec: {
      ...desired.spec,
      clusterIP: "10.96.0.10",
      clusterIPs: ["10.96.0.10"],
      ipFamilies: ["IPv4"],
      ports: desired.spec?.ports?.map((p) => ({ ...p, protocol: p.protocol ?? "TCP", nodePort: 30080 })),
    },
  };
}

describe("desiredRealService", () => {
  it("copies the spec, selects by the mirror's selector and is controlled by the mirror Service", () => {
    const real = desiredRealService(mirror({ sessionAffinity: "ClientIP", type: "NodePort" }));
    expect(real.spec).toMatchObject({ type: "NodePort", selector: { app: "web" }, sessionAffinity: "ClientIP", ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] });
    expect(real.metadata?.labels).toEqual({ tier: "a" });
    expect(real.metadata?.ownerReferences).toEqual([
      { apiVersion: kinds.Service.apiVersion, kind: "Service", name: "web", uid: "svc-uid", controller: true, blockOwnerDeletion: true },
    ]);
  });

  it("has no selector without one, and no cluster IP for ExternalName", () => {
    expect(desiredRealService(mirror({ selector: {} })).spec?.selector).toBeUndefined();
    const ext = desiredRealService(mirror({ type: "ExternalName", externalName: "db.example", clusterIP: "10.0.0.1", selector: undefined }));
    expect(ext.spec).toMatchObject({ type: "ExternalName", externalName: "db.example" });
    expect(ext.spec?.clusterIP).toBeUndefined();
  });
});

describe("needsApply", () => {
  it("is false for what the API server made of the same spec", () => {
    const desired = desiredRealService(mirror());
    expect(needsApply(desired, asServed(desired))).toBe(false);
  });

  it("is true when the mirror changed, or someone changed what we set", () => {
    const served = asServed(desiredRealService(mirror()));
    expect(needsApply(desiredRealService(mirror({ sessionAffinity: "ClientIP" })), served)).toBe(true);
    const desired = desiredRealService(mirror());
    expect(needsApply(desired, { ...served, spec: { ...served.spec, selector: { app: "other" } } })).toBe(true);
    expect(needsApply(desired, { ...served, spec: { ...served.spec, ports: [] } })).toBe(true);
    expect(needsApply(desired, { ...served, metadata: { ...served.metadata, annotations: { [SPEC_HASH_ANNOTATION]: "old" } } })).toBe(true);
  });
});

describe("clusterIPPatch", () => {
  const real: RealService = { spec: { clusterIP: "10.96.0.10", clusterIPs: ["10.96.0.10"] } };
  it("copies the allocated cluster IPs into a mirror that left them empty, and only then", () => {
    expect(clusterIPPatch(mirror(), real)).toEqual({ clusterIP: "10.96.0.10", clusterIPs: ["10.96.0.10"] });
    expect(clusterIPPatch(mirror({ clusterIP: "None" }), { spec: { clusterIP: "None" } })).toBeUndefined();
    expect(clusterIPPatch(mirror(), { spec: {} })).toBeUndefined();
  });
});
