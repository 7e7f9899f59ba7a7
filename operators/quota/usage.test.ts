import { describe, expect, it } from "vitest";
import { kinds, mustParse, type ResourceQuota } from "../api/index.ts";
import { Quantity } from "../common/quantity.ts";
import type { Evaluator, QuotaObject } from "./evaluators/evaluator.ts";
import { evaluators } from "./evaluators/registry.ts";
import { calculateUsage, quotaStatus } from "./usage.ts";

const NOW = new Date("2024-05-01T12:00:00Z");

function quota(hard: Record<string, string | number>, scopes?: string[]): ResourceQuota {
  return mustParse(kinds.ResourceQuota, { metadata: { name: "q", namespace: "ns" }, spec: { hard, ...(scopes && { scopes }) } });
}

function objectsOf(byKind: Partial<Record<string, QuotaObject[]>>) {
  return { objectsOf: (e: Evaluator) => (byKind[e.kind.kind] ?? []).map((o) => e.normalize(o)) };
}

const pod = (name: string, spec: Record<string, unknown>, status: Record<string, unknown> = {}): QuotaObject =>
  ({ metadata: { name, namespace: "ns" }, spec: { containers: [{ name: "c", image: "x" }], ...spec }, status }) as QuotaObject;

const show = (u: Map<string, Quantity>) => Object.fromEntries([...u].map(([k, q]) => [k, q.toString()]));

describe("calculateUsage", () => {
  it("holds exactly the hard keys, zeros included, whatever tracks them", () => {
    const used = calculateUsage(quota({ pods: 2, "count/widgets.example.com": 3, "count/replicasets.apps": 4 }), evaluators, objectsOf({ ReplicaSet: [{ metadata: { name: "r" } }] }), [], NOW);
    expect(show(used)).toEqual({ pods: "0", "count/widgets.example.com": "0", "count/replicasets.apps": "1" });
  });

  it("sums requests and limits (init containers as maxima, overhead on top) of non-terminal pods only", () => {
    const withInit = pod("a", {
      containers: [{ name: "c", image: "x", resources: { requests: { cpu: "100m" }, limits: { cpu: "200m", memory: "128Mi" } } }],
      initContainers: [{ name: "i", image: "x", resources: { requests: { cpu: "500m" } } }],
      overhead: { cpu: "10m" },
    });
    const done = pod("b", { containers: [{ name: "c", image: "x", resources: { requests: { cpu: "1" } } }] }, { phase: "Succeeded" });
    const used = calculateUsage(quota({ pods: 9, "count/pods": 9, "requests.cpu": 9, "limits.cpu": 9, "requests.memory": "1Gi", "limits.memory": "1Gi" }), evaluators, objectsOf({ Pod: [withInit, done] }), [], NOW);
    // The memory limit defaults the memory request (the Pod's defaulting).
    expect(show(used)).toEqual({ pods: "1", "count/pods": "2", "requests.cpu": "510m", "limits.cpu": "210m", "requests.memory": "128Mi", "limits.memory": "128Mi" });
  });

  it("does not charge a pod stuck past its deletion grace period", () => {
    const stuck = { ...pod("a", {}), metadata: { name: "a", deletionTimestamp: "2024-05-01T11:00:00Z", deletionGracePeriodSeconds: 30 } } as QuotaObject;
    const leaving = { ...pod("b", {}), metadata: { name: "b", deletionTimestamp: "2024-05-01T11:59:50Z", deletionGracePeriodSeconds: 30 } } as QuotaObject;
    expect(show(calculateUsage(quota({ pods: 5 }), evaluators, objectsOf({ Pod: [stuck, leaving] }), [], NOW))).toEqual({ pods: "1" });
  });

  it("counts only pods in the quota's scopes", () => {
    const pods = objectsOf({ Pod: [pod("be", {}), pod("burst", { containers: [{ name: "c", image: "x", resources: { requests: { memory: "1Mi" } } }], activeDeadlineSeconds: 10 })] });
    expect(show(calculateUsage(quota({ pods: 5 }, ["BestEffort"]), evaluators, pods, [], NOW))).toEqual({ pods: "1" });
    expect(show(calculateUsage(quota({ pods: 5 }, ["NotBestEffort", "Terminating"]), evaluators, pods, [], NOW))).toEqual({ pods: "1" });
    expect(show(calculateUsage(quota({ pods: 5 }, ["NotTerminating", "NotBestEffort"]), evaluators, pods, [], NOW))).toEqual({ pods: "0" });
  });

  it("counts node ports, load balancers, and storage per class", () => {
    const svc = (type: string, ports: number) => ({ metadata: { name: type }, spec: { type, ports: Array.from({ length: ports }, (_, i) => ({ port: 80 + i })) } }) as QuotaObject;
    const claim = (cls: string, size: string) => ({ metadata: { name: cls }, spec: { storageClassName: cls, resources: { requests: { storage: size } } } }) as QuotaObject;
    const hard = { "services.nodeports": 9, "services.loadbalancers": 9, "requests.storage": "9Gi", "fast.storageclass.storage.k8s.io/requests.storage": "9Gi", "fast.storageclass.storage.k8s.io/persistentvolumeclaims": 9 };
    const used = calculateUsage(quota(hard), evaluators, objectsOf({ Service: [svc("NodePort", 2), svc("LoadBalancer", 1), svc("ClusterIP", 3)], PersistentVolumeClaim: [claim("fast", "1Gi"), claim("slow", "512Mi")] }), [], NOW);
    expect(show(used)).toEqual({
      "services.nodeports": "3",
      "services.loadbalancers": "1",
      "requests.storage": "1536Mi",
      "fast.storageclass.storage.k8s.io/requests.storage": "1Gi",
      "fast.storageclass.storage.k8s.io/persistentvolumeclaims": "1",
    });
  });

  it("adds what was reserved for objects the caches do not show yet", () => {
    const reserved = [new Map([["pods", Quantity.fromValue(2)]])];
    expect(show(calculateUsage(quota({ pods: 5 }), evaluators, objectsOf({ Pod: [pod("a", {})] }), reserved, NOW))).toEqual({ pods: "3" });
  });
});

describe("quotaStatus", () => {
  it("writes hard = spec.hard in canonical form and kubectl's REQUEST and LIMIT columns", () => {
    const q = quota({ pods: 10, "requests.cpu": "1000m", "limits.memory": "2Gi", "limits.cpu": "2" });
    const status = quotaStatus(q, new Map([["pods", Quantity.fromValue(1)], ["requests.cpu", Quantity.parse("500m")], ["limits.cpu", Quantity.zero()], ["limits.memory", Quantity.parse("256Mi")]]));
    expect(status).toEqual({
      hard: { pods: "10", "requests.cpu": "1", "limits.memory": "2Gi", "limits.cpu": "2" },
      used: { pods: "1", "requests.cpu": "500m", "limits.cpu": "0", "limits.memory": "256Mi" },
      request: "pods: 1/10, requests.cpu: 500m/1",
      limit: "limits.cpu: 0/2, limits.memory: 256Mi/2Gi",
    });
  });
});
