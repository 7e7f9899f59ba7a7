import { describe, expect, it } from "vitest";
import { kinds } from "../../api/index.ts";
import { NOW } from "../common/testing.ts";
import {
  endOrdinal,
  identityMatches,
  isMemberOf,
  isUnavailable,
  maxUnavailable,
  newStatefulSetPod,
  parentNameAndOrdinal,
  partition,
  storageMatches,
  withClaimVolumes,
} from "./stateful-set-utils.ts";
import { makeSet, member, setRef } from "./testing.ts";

describe("parentNameAndOrdinal", () => {
  it.each([
    ["web-0", "web", 0],
    ["web-12", "web", 12],
    ["my-db-3", "my-db", 3],
    ["web-0-1", "web-0", 1],
    ["web", "", -1],
    ["web-", "", -1],
    ["web-x", "", -1],
    ["web-2147483647", "web", 2147483647],
    ["web-2147483648", "web", -1],
  ])("%s is %s ordinal %i", (name, parent, ordinal) => {
    expect(parentNameAndOrdinal(name)).toEqual({ parent, ordinal });
  });

  it("makes a pod a member by its name alone", () => {
    const set = makeSet();
    expect(isMemberOf(set, { metadata: { name: "web-7" } })).toBe(true);
    expect(isMemberOf(set, { metadata: { name: "webby-7" } })).toBe(false);
    expect(isMemberOf(set, { metadata: { name: "web-a-7" } })).toBe(false);
  });
});

describe("identity and storage", () => {
  it("matches a pod with its name label, and not one without", () => {
    const set = makeSet();
    expect(identityMatches(set, member(1))).toBe(true);
    expect(identityMatches(set, member(1, { labels: { app: "web" } }))).toBe(false);
    expect(identityMatches(makeSet({ name: "db" }), member(1))).toBe(false);
  });

  it("matches storage when every template has its claim volume", () => {
    const set = makeSet({ claimTemplates: ["data", "logs"] });
    expect(storageMatches(set, member(2, { claims: ["data", "logs"] }))).toBe(true);
    expect(storageMatches(set, member(2, { claims: ["data"] }))).toBe(false);
    expect(storageMatches(makeSet(), member(2))).toBe(true);
  });

  it("puts the claim volumes first, in template order, replacing namesakes", () => {
    const set = makeSet({ claimTemplates: ["data", "logs"] });
    const volumes = withClaimVolumes(set, 4, [
      { name: "config", configMap: { name: "cm", defaultMode: 420 } },
      { name: "data", emptyDir: {} },
    ]);
    expect(volumes).toEqual([
      { name: "data", persistentVolumeClaim: { claimName: "data-web-4" } },
      { name: "logs", persistentVolumeClaim: { claimName: "logs-web-4" } },
      { name: "config", configMap: { name: "cm", defaultMode: 420 } },
    ]);
  });
});

describe("new pods", () => {
  it("stamp the name, identity and revision labels, hostname, subdomain, claims and controller", () => {
    const set = makeSet({ serviceName: "nginx", claimTemplates: ["data"], start: 5 });
    const pod = newStatefulSetPod(set, set.spec.template, 6, "web-abc");
    expect(pod.apiVersion).toBe(kinds.Pod.apiVersion);
    expect(pod.metadata).toEqual({
      name: "web-6",
      namespace: "ns",
      labels: { app: "web", "statefulset.kubernetes.io/pod-name": "web-6", "apps.kubernetes.io/pod-index": "6", "controller-revision-hash": "web-abc" },
      ownerReferences: [setRef()],
    });
    expect(pod.spec).toMatchObject({ hostname: "web-6", subdomain: "nginx", volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data-web-6" } }] });
  });

  it("have no subdomain without a governing Service", () => {
    const set = makeSet();
    const pod = newStatefulSetPod(set, set.spec.template, 0, "web-abc");
    expect(pod.spec.subdomain).toBeUndefined();
    expect(pod.spec.volumes).toBeUndefined();
  });
});

describe("ordinals, maxUnavailable and partition", () => {
  it("ends start + replicas - 1", () => {
    expect(endOrdinal(makeSet({ replicas: 3, start: 5 }))).toBe(7);
    expect(endOrdinal(makeSet({ replicas: 0 }))).toBe(-1);
  });

  it.each([
    [undefined, 10, 1],
    [3, 10, 3],
    ["25%", 10, 2],
    ["19%", 10, 1],
    ["1%", 10, 1],
    ["100%", 7, 7],
    ["50%", 0, 1],
  ])("maxUnavailable %s of %i replicas is %i (percentages round down, at least 1)", (value, replicas, expected) => {
    const rollingUpdate = value === undefined ? { partition: 0 } : { partition: 0, maxUnavailable: value };
    expect(maxUnavailable(makeSet({ replicas, updateStrategy: { type: "RollingUpdate", rollingUpdate } }))).toBe(expected);
  });

  it("has no partition under OnDelete", () => {
    expect(partition(makeSet({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 2 } } }))).toBe(2);
    expect(partition(makeSet({ updateStrategy: { type: "OnDelete" } }))).toBe(0);
  });

  it("counts a missing, unready, not yet available or terminating pod as unavailable", () => {
    expect(isUnavailable(undefined, 0, NOW)).toBe(true);
    expect(isUnavailable(member(0), 0, NOW)).toBe(false);
    expect(isUnavailable(member(0, { readySince: false }), 0, NOW)).toBe(true);
    expect(isUnavailable(member(0, { readySince: 5 }), 10, NOW)).toBe(true);
    expect(isUnavailable(member(0, { deleting: true }), 0, NOW)).toBe(true);
  });
});
