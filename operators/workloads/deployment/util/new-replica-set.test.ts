import { describe, expect, it } from "vitest";
import { deployment } from "../testdata/fixtures.ts";
import { computeHash } from "./hash.ts";
import { newReplicaSetFor } from "./new-replica-set.ts";

describe("newReplicaSetFor", () => {
  it("names, labels, selects and owns as upstream", () => {
    const d = deployment({ minReadySeconds: 5 });
    const hash = computeHash(d.spec.template);
    const rs = newReplicaSetFor(d, hash);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.namespace).toBe("ns");
    expect(rs.metadata.labels).toEqual({ app: "web", "pod-template-hash": hash });
    expect(rs.spec.selector).toEqual({ matchLabels: { app: "web", "pod-template-hash": hash } });
    expect(rs.spec.template.metadata?.labels).toEqual({ app: "web", "pod-template-hash": hash });
    expect(rs.spec.template.spec).toEqual(d.spec.template.spec);
    expect(rs.spec.minReadySeconds).toBe(5);
    expect(rs.metadata.ownerReferences).toEqual([
      { apiVersion: "apps.mirrorkube.dev/v1alpha1", kind: "Deployment", name: "web", uid: "uid-web", controller: true, blockOwnerDeletion: true },
    ]);
    // The Deployment's own template is left alone.
    expect(d.spec.template.metadata?.labels).toEqual({ app: "web" });
  });
});
