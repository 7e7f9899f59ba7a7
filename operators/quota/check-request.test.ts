import { describe, expect, it } from "vitest";
import { kinds, mustParse, type ResourceQuota } from "../api/index.ts";
import { checkRequest } from "./check-request.ts";
import type { QuotaObject } from "./evaluators/evaluator.ts";
import { podEvaluator } from "./evaluators/pods.ts";
import { serviceEvaluator } from "./evaluators/services.ts";

const NOW = new Date("2024-05-01T12:00:00Z");

function quota(name: string, hard: Record<string, string | number>, used?: Record<string, string>, scopes?: string[]): ResourceQuota {
  return mustParse(kinds.ResourceQuota, { metadata: { name, namespace: "ns", resourceVersion: "1" }, spec: { hard, ...(scopes && { scopes }) }, ...(used && { status: { hard, used } }) });
}

function pod(containers: Record<string, unknown>[], spec: Record<string, unknown> = {}): QuotaObject {
  return podEvaluator.normalize({ apiVersion: kinds.Pod.apiVersion, kind: "Pod", metadata: { name: "p", namespace: "ns" }, spec: { containers, ...spec } } as QuotaObject);
}

const c = (name: string, resources?: Record<string, Record<string, string>>) => ({ name, image: "x", ...(resources && { resources }) });

describe("checkRequest", () => {
  it("charges every matching quota and says what its usage becomes", () => {
    const result = checkRequest([quota("q", { pods: 5, "requests.cpu": "2" }, { pods: "1", "requests.cpu": "500m" })], podEvaluator, { operation: "CREATE", object: pod([c("a", { requests: { cpu: "250m" } })]) }, NOW);
    expect(result.allowed).toBe(true);
    if (!result.allowed) return;
    expect(Object.fromEntries([...(result.charges[0]?.used ?? [])].map(([k, q]) => [k, q.toString()]))).toEqual({ pods: "2", "requests.cpu": "750m" });
  });

  it("lists only the exceeded resources, sorted, in canonical quantities", () => {
    const q = quota("compute", { pods: 10, "requests.memory": "1Gi", "requests.cpu": "1" }, { pods: "1", "requests.memory": "900Mi", "requests.cpu": "900m" });
    const result = checkRequest([q], podEvaluator, { operation: "CREATE", object: pod([c("a", { requests: { cpu: "200m", memory: "256Mi" } })]) }, NOW);
    expect(result).toEqual({
      allowed: false,
      message: "exceeded quota: compute, requested: requests.cpu=200m,requests.memory=256Mi, used: requests.cpu=900m,requests.memory=900Mi, limited: requests.cpu=1,requests.memory=1Gi",
    });
  });

  it("demands cpu and memory declarations per container, the memory limit defaulting the request", () => {
    const q = quota("q", { "requests.cpu": "1", "requests.memory": "1Gi", "limits.memory": "1Gi" }, { "requests.cpu": "0", "requests.memory": "0", "limits.memory": "0" });
    const result = checkRequest([q], podEvaluator, { operation: "CREATE", object: pod([c("b"), c("a", { limits: { memory: "1Mi" } })], { initContainers: [c("init")] }) }, NOW);
    expect(result).toEqual({ allowed: false, message: "failed quota: q: must specify limits.memory for: b,init; requests.cpu for: a,b,init; requests.memory for: b,init" });
  });

  it("refuses while usage is unknown for a tracked resource", () => {
    expect(checkRequest([quota("fresh", { pods: 1, services: 1 })], podEvaluator, { operation: "CREATE", object: pod([c("a")]) }, NOW)).toEqual({
      allowed: false,
      message: "status unknown for quota: fresh, resources: pods",
    });
  });

  it("ignores quotas whose scopes the object falls outside, and other kinds' resources", () => {
    const quotas = [quota("be", { pods: 0 }, { pods: "0" }, ["NotBestEffort"]), quota("svc", { services: 0 }, { services: "0" })];
    expect(checkRequest(quotas, podEvaluator, { operation: "CREATE", object: pod([c("a")]) }, NOW)).toEqual({ allowed: true, charges: [] });
  });

  it("charges an update its growth only: a Service turned LoadBalancer", () => {
    const q = quota("q", { "services.loadbalancers": 1, services: 5 }, { "services.loadbalancers": "0", services: "1" });
    const old = { metadata: { name: "s", resourceVersion: "3" }, spec: { type: "ClusterIP", ports: [{ port: 80 }] } } as QuotaObject;
    const result = checkRequest([q], serviceEvaluator, { operation: "UPDATE", object: { ...old, spec: { type: "LoadBalancer", ports: [{ port: 80 }] } } as QuotaObject, oldObject: old }, NOW);
    expect(result.allowed && Object.fromEntries([...(result.charges[0]?.delta ?? [])].map(([k, v]) => [k, v.toString()]))).toEqual({ "services.loadbalancers": "1" });
    expect(checkRequest([q], serviceEvaluator, { operation: "UPDATE", object: old, oldObject: old }, NOW)).toEqual({ allowed: true, charges: [] });
  });

  it("reports the first refusing quota by name", () => {
    const quotas = [quota("z", { pods: 1 }, { pods: "1" }), quota("a", { pods: 1 }, { pods: "1" })];
    const result = checkRequest(quotas, podEvaluator, { operation: "CREATE", object: pod([c("a")]) }, NOW);
    expect(!result.allowed && result.message).toBe("exceeded quota: a, requested: pods=1, used: pods=1, limited: pods=1");
  });
});
