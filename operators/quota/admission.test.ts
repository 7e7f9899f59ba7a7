import { describe, expect, it } from "vitest";
import { kinds } from "../api/index.ts";
import { ApiError, type KubeObject, type ResourceClient } from "../runtime/client/index.ts";
import type { ReadonlyStore } from "../runtime/informer/index.ts";
import type { AdmissionRequest } from "../runtime/webhook/index.ts";
import { QuotaAdmission } from "./admission.ts";
import { NamespaceLock } from "./namespace-lock.ts";
import { QuotaSource } from "./quota-source.ts";
import type { QuotaState } from "./resource-quota-controller.ts";
import { Reservations } from "./reservations.ts";

/** An API server's quota storage: status writes succeed only on the current resourceVersion. */
class FakeQuotas {
  rv = 1;
  stored: KubeObject & { status?: { used?: Record<string, string> } };
  writes = 0;
  conflicts = 0;

  constructor(hard: Record<string, string>, used: Record<string, string>) {
    this.stored = { apiVersion: kinds.ResourceQuota.apiVersion, kind: "ResourceQuota", metadata: { name: "q", namespace: "ns", resourceVersion: "1" }, spec: { hard }, status: { hard, used } } as KubeObject;
  }

  async updateStatus(obj: KubeObject & { status?: unknown }): Promise<KubeObject> {
    await Promise.resolve();
    if (obj.metadata?.resourceVersion !== this.stored.metadata?.resourceVersion) {
      this.conflicts++;
      throw new ApiError(409, "Conflict", "the object has been modified");
    }
    this.writes++;
    this.stored = { ...this.stored, metadata: { ...this.stored.metadata, resourceVersion: String(++this.rv) }, status: obj.status as never };
    return this.stored;
  }

  async list(): Promise<{ items: KubeObject[] }> {
    await Promise.resolve();
    return { items: [this.stored] };
  }

  /** Someone else (the usage controller of another replica, a user) writes. */
  bump(used: Record<string, string>): void {
    this.stored = { ...this.stored, metadata: { ...this.stored.metadata, resourceVersion: String(++this.rv) }, status: { ...this.stored.status, used } };
  }
}

/** A cache that lags: it shows what it was given, not the API server's latest. */
function staleCache(obj: () => KubeObject): ReadonlyStore<KubeObject> {
  const first = obj();
  return { get: () => first, list: () => [first], keys: () => ["ns/q"], byIndex: () => [first], size: 1 };
}

function setup(hard: Record<string, string>, used: Record<string, string>) {
  const api = new FakeQuotas(hard, used);
  const state: QuotaState = {
    source: new QuotaSource(staleCache(() => api.stored)),
    lock: new NamespaceLock(),
    reservations: new Reservations(),
    quotas: api as unknown as ResourceClient<KubeObject>,
    inScope: () => true,
    recompute: () => undefined,
  };
  return { api, state, admission: new QuotaAdmission(state) };
}

let uid = 0;
function createPod(name: string): AdmissionRequest {
  return {
    uid: `req-${name}`,
    kind: { group: kinds.Pod.group, version: "v1alpha1", kind: "Pod" },
    resource: { group: kinds.Pod.group, version: "v1alpha1", resource: "pods" },
    name,
    namespace: "ns",
    operation: "CREATE",
    object: { apiVersion: kinds.Pod.apiVersion, kind: "Pod", metadata: { name, namespace: "ns", uid: `uid-${++uid}` }, spec: { containers: [{ name: "c", image: "x" }] } } as KubeObject,
  };
}

describe("QuotaAdmission", () => {
  it("admits exactly the quota under a burst of concurrent creates, reserving before each yes", async () => {
    const { api, state, admission } = setup({ pods: "10" }, { pods: "0" });
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => admission.handle(createPod(`p${i}`))));
    expect(answers.filter((a) => a.allowed)).toHaveLength(10);
    expect(api.stored.status?.used).toEqual({ pods: "10" });
    expect(api.writes).toBe(10);
    expect(state.reservations.pending("ns", "q")).toHaveLength(10);
    const denial = answers.find((a) => !a.allowed);
    expect(denial?.status).toEqual({
      status: "Failure",
      code: 403,
      reason: "Forbidden",
      message: expect.stringMatching(/^pods\.core\.mirrorkube\.dev "p\d+" is forbidden: exceeded quota: q, requested: pods=1, used: pods=10, limited: pods=10$/),
      details: { name: expect.any(String), group: kinds.Pod.group, kind: "pods" },
    });
  });

  it("decides again on a conflict, with the usage someone else wrote", async () => {
    const { api, admission } = setup({ pods: "2" }, { pods: "0" });
    api.bump({ pods: "1" });
    expect((await admission.handle(createPod("a"))).allowed).toBe(true);
    expect(api.conflicts).toBe(1);
    expect(api.stored.status?.used).toEqual({ pods: "2" });
    expect((await admission.handle(createPod("b"))).allowed).toBe(false);
  });

  it("confirms a denial against a live read before refusing", async () => {
    // The cache says full; the API server says someone freed a unit since.
    const { api, admission } = setup({ pods: "1" }, { pods: "1" });
    api.bump({ pods: "0" });
    expect((await admission.handle(createPod("a"))).allowed).toBe(true);
    expect(api.stored.status?.used).toEqual({ pods: "1" });
  });

  it("charges nothing for a dry run", async () => {
    const { api, admission } = setup({ pods: "1" }, { pods: "0" });
    expect((await admission.handle({ ...createPod("a"), dryRun: true })).allowed).toBe(true);
    expect(api.writes).toBe(0);
  });
});
