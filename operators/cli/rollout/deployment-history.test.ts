import { describe, expect, it } from "vitest";
import type { PodTemplateSpec } from "../../api/index.ts";
import { historyTable, replicaSetForRevision, revisionDetail, revisionTemplates, rollbackPatch, type ReplicaSetObject } from "./deployment-history.ts";
import type { DeploymentObject } from "./deployment-status.ts";

const template = (image: string, annotations?: Record<string, string>): PodTemplateSpec =>
  ({ metadata: { labels: { app: "web", "pod-template-hash": `h-${image}` }, ...(annotations && { annotations }) }, spec: { containers: [{ name: "app", image }] } }) as unknown as PodTemplateSpec;

function rs(name: string, revision: string | undefined, image: string, annotations: Record<string, string> = {}): ReplicaSetObject {
  return { metadata: { name, annotations: { ...(revision !== undefined && { "deployment.kubernetes.io/revision": revision }), ...annotations } }, spec: { template: template(image) } };
}

describe("rollout history", () => {
  const replicaSets = [rs("web-c", "3", "app:3"), rs("web-a", "1", "app:1", { "kubernetes.io/change-cause": "first" }), rs("web-x", "bad", "app:x"), rs("web-b", "10", "app:10")];

  it("lists revisions in numeric order with their change-cause, as kubectl's tabwriter aligns them", () => {
    expect(historyTable(revisionTemplates(replicaSets))).toBe(["REVISION  CHANGE-CAUSE", "1         first", "3         <none>", "10        <none>", ""].join("\n"));
    expect(historyTable(new Map())).toBe("No rollout history found.");
  });

  it("shows one revision's template, change-cause included", () => {
    const text = revisionDetail(revisionTemplates(replicaSets), 1);
    expect(text).toContain("  Annotations:\tkubernetes.io/change-cause: first\n");
    expect(text).toContain("    Image:\tapp:1\n");
    expect(() => revisionDetail(revisionTemplates(replicaSets), 2)).toThrow("unable to find the specified revision");
  });

  it("finds the revision to roll back to: the given one, or the one before the newest", () => {
    expect(replicaSetForRevision(replicaSets, 3, "web").metadata?.name).toBe("web-c");
    expect(replicaSetForRevision(replicaSets, 0, "web").metadata?.name).toBe("web-c");
    expect(replicaSetForRevision([rs("a", "2", "x"), rs("b", "1", "y"), rs("c", "5", "z")], 0, "web").metadata?.name).toBe("a");
    expect(() => replicaSetForRevision(replicaSets, 7, "web")).toThrow("unable to find specified revision 7 in history");
    expect(() => replicaSetForRevision([rs("a", "1", "x")], 0, "web")).toThrow('no rollout history found for deployment "web"');
  });

  it("rolls back by replacing the template (without the hash label) and taking the ReplicaSet's annotations", () => {
    const d: DeploymentObject = {
      metadata: {
        name: "web",
        annotations: { "deployment.kubernetes.io/revision": "3", "kubectl.kubernetes.io/last-applied-configuration": "{}", "kubernetes.io/change-cause": "third", team: "a" },
      },
      spec: { template: template("app:3") },
    };
    const old = rs("web-a", "1", "app:1", { "kubernetes.io/change-cause": "first", "deployment.kubernetes.io/desired-replicas": "3" });
    expect(rollbackPatch(d, old)).toEqual([
      { op: "replace", path: "/spec/template", value: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "app:1" }] } } },
      { op: "add", path: "/metadata/annotations", value: { "deployment.kubernetes.io/revision": "3", "kubectl.kubernetes.io/last-applied-configuration": "{}", "kubernetes.io/change-cause": "first" } },
    ]);
  });
});
