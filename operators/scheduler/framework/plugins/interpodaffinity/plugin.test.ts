import { describe, expect, it } from "vitest";
import type { AffinityLike, PodAffinityTermLike } from "../../objects.ts";
import { snapshotFromObjects } from "../../snapshot.ts";
import { filterWith, makeNode, makePod, scoreWith } from "../../testing.ts";
import { interPodAffinity } from "./plugin.ts";

const AFFINITY = "UnschedulableAndUnresolvable: node(s) didn't match pod affinity rules";
const ANTI = "Unschedulable: node(s) didn't match pod anti-affinity rules";
const EXISTING = "Unschedulable: node(s) didn't satisfy existing pods anti-affinity rules";

const term = (app: string, topologyKey = "kubernetes.io/hostname", extra: Partial<PodAffinityTermLike> = {}): PodAffinityTermLike => ({
  labelSelector: { matchLabels: { app } },
  topologyKey,
  ...extra,
});
const requiredAffinity = (...terms: PodAffinityTermLike[]): AffinityLike => ({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } });
const requiredAnti = (...terms: PodAffinityTermLike[]): AffinityLike => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } });

const nodes = [makeNode("n1", { labels: { zone: "z1" } }), makeNode("n2", { labels: { zone: "z1" } }), makeNode("n3", { labels: { zone: "z2" } })];

describe("InterPodAffinity filter", () => {
  it("required anti-affinity keeps replicas apart, so a third has nowhere to go on two nodes", () => {
    const two = [nodes[0], nodes[1]].flatMap((n) => (n ? [n] : []));
    const snapshot = snapshotFromObjects(two, [
      makePod("w1", { nodeName: "n1", labels: { app: "web" }, affinity: requiredAnti(term("web")) }),
      makePod("w2", { nodeName: "n2", labels: { app: "web" }, affinity: requiredAnti(term("web")) }),
    ]);
    const third = makePod("w3", { labels: { app: "web" }, affinity: requiredAnti(term("web")) });
    expect(filterWith(interPodAffinity(), third, snapshot)).toEqual({ n1: ANTI, n2: ANTI });
  });

  it("required affinity wants a matching pod in the same topology", () => {
    const snapshot = snapshotFromObjects([...nodes, makeNode("nozone")], [makePod("db", { nodeName: "n1", labels: { app: "db" } })]);
    const pod = makePod("p", { affinity: requiredAffinity(term("db", "zone")) });
    expect(filterWith(interPodAffinity(), pod, snapshot)).toEqual({ n1: null, n2: null, n3: AFFINITY, nozone: AFFINITY });
  });

  it("lets the first pod of a self-affine group go anywhere the topology key exists", () => {
    const snapshot = snapshotFromObjects([...nodes, makeNode("nozone")]);
    const first = makePod("p", { labels: { app: "db" }, affinity: requiredAffinity(term("db", "zone")) });
    expect(filterWith(interPodAffinity(), first, snapshot)).toEqual({ n1: null, n2: null, n3: null, nozone: AFFINITY });
    const stranger = makePod("q", { labels: { app: "web" }, affinity: requiredAffinity(term("db", "zone")) });
    expect(filterWith(interPodAffinity(), stranger, snapshot).n1).toBe(AFFINITY);
  });

  it("respects existing pods' anti-affinity against the incoming pod", () => {
    const snapshot = snapshotFromObjects(nodes, [makePod("loner", { nodeName: "n1", labels: { app: "db" }, affinity: requiredAnti(term("web", "zone")) })]);
    expect(filterWith(interPodAffinity(), makePod("p", { labels: { app: "web" } }), snapshot)).toEqual({ n1: EXISTING, n2: EXISTING, n3: null });
    expect(filterWith(interPodAffinity(), makePod("q", { labels: { app: "api" } }), snapshot)).toEqual({ n1: null, n2: null, n3: null });
  });

  it("matches the term's namespaces, or its namespaceSelector against namespace labels", () => {
    const db = makePod("db", { nodeName: "n1", namespace: "data", labels: { app: "db" } });
    const snapshot = snapshotFromObjects(nodes, [db], (ns) => (ns === "data" ? { team: "storage" } : undefined));
    const sameNs = makePod("p", { affinity: requiredAffinity(term("db")) });
    expect(filterWith(interPodAffinity(), sameNs, snapshot).n1).toBe(AFFINITY);
    const named = makePod("p", { affinity: requiredAffinity(term("db", "kubernetes.io/hostname", { namespaces: ["data"] })) });
    expect(filterWith(interPodAffinity(), named, snapshot)).toEqual({ n1: null, n2: AFFINITY, n3: AFFINITY });
    const selected = makePod("p", { affinity: requiredAffinity(term("db", "kubernetes.io/hostname", { namespaceSelector: { matchLabels: { team: "storage" } } })) });
    expect(filterWith(interPodAffinity(), selected, snapshot).n1).toBeNull();
    const all = makePod("p", { affinity: requiredAffinity(term("db", "kubernetes.io/hostname", { namespaceSelector: {} })) });
    expect(filterWith(interPodAffinity(), all, snapshot).n1).toBeNull();
  });

  it("skips pods with no required terms when no existing anti-affinity applies", () => {
    const snapshot = snapshotFromObjects(nodes, [makePod("x", { nodeName: "n1", labels: { app: "web" } })]);
    expect(filterWith(interPodAffinity(), makePod("p"), snapshot)).toEqual({ n1: null, n2: null, n3: null });
  });
});

describe("InterPodAffinity score", () => {
  it("adds preferred affinity weight to the topology of matching pods and normalizes min–max", () => {
    const snapshot = snapshotFromObjects(nodes, [makePod("db", { nodeName: "n1", labels: { app: "db" } })]);
    const pod = makePod("p", { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term("db", "zone") }] } } });
    expect(scoreWith(interPodAffinity(), pod, snapshot)).toEqual({ n1: 100, n2: 100, n3: 0 });
  });

  it("subtracts preferred anti-affinity weight", () => {
    const snapshot = snapshotFromObjects(nodes, [makePod("web", { nodeName: "n3", labels: { app: "web" } })]);
    const pod = makePod("p", { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term("web", "zone") }] } } });
    expect(scoreWith(interPodAffinity(), pod, snapshot)).toEqual({ n1: 100, n2: 100, n3: 0 });
  });

  it("counts existing pods' required affinity (hardPodAffinityWeight) and preferred terms towards the incoming pod", () => {
    const snapshot = snapshotFromObjects(nodes, [
      makePod("fan", { nodeName: "n3", labels: { app: "fan" }, affinity: requiredAffinity(term("web")) }),
      makePod("hater", {
        nodeName: "n1",
        affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: term("web") }] } },
      }),
    ]);
    expect(scoreWith(interPodAffinity(), makePod("p", { labels: { app: "web" } }), snapshot)).toEqual({ n1: 0, n2: 50, n3: 100 });
    expect(scoreWith(interPodAffinity({ hardPodAffinityWeight: 0 }), makePod("p", { labels: { app: "web" } }), snapshot)).toEqual({ n1: 0, n2: 100, n3: 100 });
    expect(scoreWith(interPodAffinity(), makePod("q", { labels: { app: "db" } }), snapshot)).toBe("skip");
  });
});
