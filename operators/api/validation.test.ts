import { describe, expect, it } from "vitest";
import type { KindInfo } from "./index.ts";
import {
  DeploymentKind,
  InvalidObjectError,
  mustParse,
  parseObject,
  PersistentVolumeClaimKind,
  PodKind,
  QuantitySchema,
  ResourceQuotaKind,
  StatefulSetKind,
} from "./index.ts";
import { manifest } from "./testdata/manifests.ts";

// Each case: a mutation of an upstream example, and the field-level problem
// parse() must report (the CRD carries the same rule; see crd.test.ts).

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function issues(info: KindInfo, obj: unknown): string[] {
  const result = parseObject(info, obj);
  return result.ok ? [] : result.error.issues.map((i) => `${i.field}: ${i.message}`);
}

function deployment(mutate: (spec: Spec) => void): unknown {
  const m = manifest("nginx-deployment.yaml", "Deployment");
  mutate(m.spec as Spec);
  return m;
}

function statefulSet(mutate: (spec: Spec) => void): unknown {
  const m = manifest("web-statefulset.yaml", "StatefulSet");
  mutate(m.spec as Spec);
  return m;
}

function pod(mutate: (spec: Spec) => void): unknown {
  const m = manifest("pod-probes-affinity.yaml", "Pod");
  mutate(m.spec as Spec);
  return m;
}

describe("replicas", () => {
  it("rejects negative replicas", () => {
    expect(issues(DeploymentKind, deployment((s) => (s.replicas = -1)))).toEqual([
      expect.stringMatching(/^spec\.replicas: Too small/),
    ]);
    expect(issues(StatefulSetKind, statefulSet((s) => (s.replicas = -3)))).toHaveLength(1);
  });

  it("rejects a fractional or out-of-range replica count", () => {
    expect(issues(DeploymentKind, deployment((s) => (s.replicas = 1.5)))).toHaveLength(1);
    expect(issues(DeploymentKind, deployment((s) => (s.replicas = 2 ** 31)))).toHaveLength(1);
  });
});

describe("rolling update", () => {
  const strategy = (rollingUpdate: object) => deployment((s) => (s.strategy = { type: "RollingUpdate", rollingUpdate }));

  it("rejects maxSurge and maxUnavailable both 0, in any spelling", () => {
    for (const [maxSurge, maxUnavailable] of [
      [0, 0],
      ["0%", 0],
      [0, "00%"],
    ])
      expect(issues(DeploymentKind, strategy({ maxSurge, maxUnavailable }))).toEqual([
        "spec.strategy.rollingUpdate.maxUnavailable: may not be 0 when `maxSurge` is 0",
      ]);
  });

  it("accepts one of them 0", () => {
    expect(issues(DeploymentKind, strategy({ maxSurge: 1, maxUnavailable: 0 }))).toEqual([]);
    expect(issues(DeploymentKind, strategy({ maxSurge: "0%", maxUnavailable: "10%" }))).toEqual([]);
  });

  it("rejects bad percentages and negative numbers", () => {
    expect(issues(DeploymentKind, strategy({ maxSurge: "25" }))).toHaveLength(1);
    expect(issues(DeploymentKind, strategy({ maxSurge: -1 }))).toHaveLength(1);
    expect(issues(DeploymentKind, strategy({ maxUnavailable: "101%" }))).toHaveLength(1);
    expect(issues(DeploymentKind, strategy({ maxSurge: "300%", maxUnavailable: "100%" }))).toEqual([]);
  });

  it("rejects rollingUpdate with Recreate", () => {
    const recreate = deployment((s) => (s.strategy = { type: "Recreate", rollingUpdate: { maxSurge: 1 } }));
    expect(issues(DeploymentKind, recreate)).toEqual([
      "spec.strategy.rollingUpdate: may not be specified when strategy `type` is 'Recreate'",
    ]);
  });

  it("rejects progressDeadlineSeconds not above minReadySeconds", () => {
    expect(issues(DeploymentKind, deployment((s) => (s.minReadySeconds = 600)))).toEqual([
      "spec.progressDeadlineSeconds: must be greater than minReadySeconds",
    ]);
  });
});

describe("selector", () => {
  const selectorMismatch = "spec.template.metadata.labels: `selector` does not match template `labels`";

  it("rejects a matchLabels pair the template lacks", () => {
    expect(issues(DeploymentKind, deployment((s) => (s.selector.matchLabels = { app: "web" })))).toEqual([
      selectorMismatch,
    ]);
    expect(
      issues(DeploymentKind, deployment((s) => (s.selector.matchLabels = { app: "nginx", tier: "a" }))),
    ).toEqual([selectorMismatch]);
  });

  it("rejects a template without labels", () => {
    expect(issues(StatefulSetKind, statefulSet((s) => delete s.template.metadata))).toEqual([selectorMismatch]);
  });

  it("evaluates matchExpressions against the template labels", () => {
    const withExpressions = (matchExpressions: object[]) =>
      deployment((s) => (s.selector = { matchLabels: { app: "nginx" }, matchExpressions }));
    expect(
      issues(
        DeploymentKind,
        withExpressions([
          { key: "app", operator: "In", values: ["nginx", "web"] },
          { key: "tier", operator: "DoesNotExist" },
          { key: "tier", operator: "NotIn", values: ["db"] },
        ]),
      ),
    ).toEqual([]);
    expect(issues(DeploymentKind, withExpressions([{ key: "app", operator: "NotIn", values: ["nginx"] }]))).toEqual([
      selectorMismatch,
    ]);
    expect(issues(DeploymentKind, withExpressions([{ key: "tier", operator: "Exists" }]))).toEqual([selectorMismatch]);
  });

  it("rejects an empty selector, with upstream's message", () => {
    expect(issues(DeploymentKind, deployment((s) => (s.selector = {})))).toEqual([
      "spec.selector: empty selector is invalid for deployment",
    ]);
    expect(issues(StatefulSetKind, statefulSet((s) => (s.selector = { matchLabels: {} })))).toContain(
      "spec.selector: empty selector is invalid for statefulset",
    );
  });

  it("rejects In without values and Exists with values", () => {
    const bad = (e: object) => deployment((s) => (s.selector.matchExpressions = [e]));
    expect(issues(DeploymentKind, bad({ key: "app", operator: "In" }))).toContainEqual(
      expect.stringMatching(/^spec\.selector\.matchExpressions\[0\]\.values: values must be non-empty/),
    );
    expect(issues(DeploymentKind, bad({ key: "app", operator: "Exists", values: ["x"] }))).toHaveLength(1);
  });

  it("rejects a selector larger than the CEL cost bounds", () => {
    const labels = Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`k${i}`, "v"]));
    const big = deployment((s) => {
      s.selector.matchLabels = labels;
      s.template.metadata.labels = labels;
    });
    expect(issues(DeploymentKind, big)).toEqual(["spec.selector.matchLabels: must have at most 256 entries"]);
  });

  it("rejects an invalid template label value", () => {
    expect(issues(DeploymentKind, deployment((s) => (s.template.metadata.labels.bad = "-x-")))).toHaveLength(1);
  });
});

describe("pod template", () => {
  it("requires restartPolicy Always in an apps template", () => {
    expect(issues(DeploymentKind, deployment((s) => (s.template.spec.restartPolicy = "Never")))).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: supported values: "Always"',
    ]);
  });

  it("requires containers, a container image and a DNS-label container name", () => {
    expect(issues(DeploymentKind, deployment((s) => (s.template.spec.containers = [])))).toHaveLength(1);
    expect(issues(DeploymentKind, deployment((s) => delete s.template.spec.containers[0].image))).toHaveLength(1);
    expect(issues(DeploymentKind, deployment((s) => (s.template.spec.containers[0].name = "Nginx_1")))).toHaveLength(1);
  });

  it("rejects a probe with no handler or two", () => {
    const message = "must specify exactly 1 handler type (exec, httpGet, tcpSocket or grpc)";
    expect(issues(PodKind, pod((s) => (s.containers[0].livenessProbe = { periodSeconds: 3 })))).toEqual([
      `spec.containers[0].livenessProbe: ${message}`,
    ]);
    const two = { exec: { command: ["true"] }, tcpSocket: { port: 80 } };
    expect(issues(PodKind, pod((s) => (s.containers[0].readinessProbe = two)))).toEqual([
      `spec.containers[0].readinessProbe: ${message}`,
    ]);
  });

  it("rejects inconsistent tolerations", () => {
    expect(issues(PodKind, pod((s) => (s.tolerations = [{ operator: "Equal", value: "x" }])))).toHaveLength(1);
    expect(issues(PodKind, pod((s) => (s.tolerations = [{ key: "k", operator: "Exists", value: "x" }])))).toHaveLength(
      1,
    );
    expect(issues(PodKind, pod((s) => (s.tolerations = [{ operator: "Exists" }])))).toEqual([]);
  });

  it("rejects an unknown enum value", () => {
    expect(issues(PodKind, pod((s) => (s.restartPolicy = "Sometimes")))).toHaveLength(1);
  });
});

describe("quantities", () => {
  it.each(["1", "0", "100m", "1.5", ".5", "128Mi", "2Gi", "1e3", "1E-2", "+3k", "5n", "7u"])("accepts %s", (q) => {
    expect(QuantitySchema.safeParse(q).success).toBe(true);
  });

  it.each(["", "1x", "-1", "-1Gi", "1.2.3", "Gi", "1 Gi", "1mi", "1KiB", "e3"])("rejects %j", (q) => {
    expect(QuantitySchema.safeParse(q).success).toBe(false);
  });

  it("accepts non-negative integers only", () => {
    expect(QuantitySchema.safeParse(2).success).toBe(true);
    expect(QuantitySchema.safeParse(-2).success).toBe(false);
    expect(QuantitySchema.safeParse(0.5).success).toBe(false);
  });

  it("reports a bad quantity at its field", () => {
    const bad = pod((s) => (s.containers[0].resources = { requests: { cpu: "lots" } }));
    expect(issues(PodKind, bad)).toEqual([
      expect.stringMatching(/^spec\.containers\[0\]\.resources\.requests\.cpu: must be a non-negative quantity/),
    ]);
    const quota = manifest("quota.yaml", "ResourceQuota");
    (quota.spec as Spec).hard["requests.cpu"] = "-1";
    expect(issues(ResourceQuotaKind, quota)).toEqual([
      expect.stringMatching(/^spec\.hard\[requests\.cpu\]: must be a non-negative quantity/),
    ]);
  });
});

describe("volume claims", () => {
  it("requires a storage request and an access mode", () => {
    const claim = manifest("storage.yaml", "PersistentVolumeClaim");
    (claim.spec as Spec).resources = {};
    (claim.spec as Spec).accessModes = [];
    expect(issues(PersistentVolumeClaimKind, claim)).toEqual([
      "spec.accessModes: at least 1 access mode is required",
      "spec.resources: a storage request is required (resources.requests.storage)",
    ]);
  });

  it("applies the same rules to a StatefulSet's volumeClaimTemplates", () => {
    const sts = statefulSet((s) => delete s.volumeClaimTemplates[0].spec.resources.requests);
    expect(issues(StatefulSetKind, sts)).toEqual([
      "spec.volumeClaimTemplates[0].spec.resources: a storage request is required (resources.requests.storage)",
    ]);
  });
});

describe("parseObject", () => {
  it("names the object and every problem", () => {
    const bad = deployment((s) => {
      s.replicas = -1;
      s.template.spec.containers[0].image = "";
    });
    const result = parseObject(DeploymentKind, bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(InvalidObjectError);
    expect(result.error.message).toMatch(/^Deployment "nginx-deployment" is invalid: spec\.replicas: .*; spec\.template/);
    expect(result.error.issues.map((i) => i.field)).toEqual(["spec.replicas", "spec.template.spec.containers[0].image"]);
  });

  it("names a namespaced object namespace/name", () => {
    const bad = pod((s) => (s.containers = []));
    const result = parseObject(PodKind, bad);
    expect(result.ok ? "" : result.error.objectKey).toBe("default/with-affinity");
  });

  it("rejects another kind, and what is not an object at all", () => {
    expect(issues(DeploymentKind, manifest("web-statefulset.yaml", "StatefulSet"))).toContainEqual(
      expect.stringMatching(/^kind: /),
    );
    expect(issues(DeploymentKind, null)).toEqual([expect.stringMatching(/^<object>: /)]);
    expect(() => mustParse(DeploymentKind, "nope")).toThrow(InvalidObjectError);
  });
});
