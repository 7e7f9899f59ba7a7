import { describe, expect, it } from "vitest";
import { kinds } from "../../api/index.ts";
import { podFromTemplate } from "./pod-template.ts";
import { makeReplicaSet, rsRef } from "./testing.ts";

describe("podFromTemplate", () => {
  it("stamps labels, annotations, finalizers and spec, with generateName and the controller reference", () => {
    const rs = makeReplicaSet();
    const template = {
      ...rs.spec.template,
      metadata: { labels: { app: "web" }, annotations: { note: "x" }, finalizers: ["example.com/f"], name: "ignored" },
    };
    const pod = podFromTemplate(template, { name: "web", namespace: "ns" }, rsRef());
    expect(pod).toEqual({
      apiVersion: kinds.Pod.apiVersion,
      kind: "Pod",
      metadata: {
        generateName: "web-",
        namespace: "ns",
        labels: { app: "web" },
        annotations: { note: "x" },
        finalizers: ["example.com/f"],
        ownerReferences: [rsRef()],
      },
      spec: rs.spec.template.spec,
    });
  });

  it("copies, so the pod never aliases the template", () => {
    const rs = makeReplicaSet();
    const pod = podFromTemplate(rs.spec.template, { name: "web", namespace: "ns" }, rsRef());
    pod.metadata!.labels!.extra = "1";
    pod.spec.containers[0]!.image = "changed";
    expect(rs.spec.template.metadata?.labels).toEqual({ app: "web" });
    expect(rs.spec.template.spec.containers[0]?.image).toBe("registry.invalid/app:1");
  });
});
