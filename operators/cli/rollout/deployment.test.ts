import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../runtime/client/index.ts";
import { deploymentRollout, rfc3339 } from "./deployment.ts";

const d = (paused: boolean) => ({ metadata: { name: "web" }, spec: { paused, template: { spec: { containers: [] } } } }) as unknown as KubeObject;

describe("the Deployment's rollout plugin", () => {
  it("answers to kubectl's names for the kind, with and without the group", () => {
    expect(deploymentRollout.names).toEqual(expect.arrayContaining(["deployment", "deployments", "deploy", "mdeploy", "deployment.apps.mirrorkube.dev", "deploy.apps.mirrorkube.dev"]));
    expect([deploymentRollout.kindGroup, deploymentRollout.resourceGroup]).toEqual(["deployment.apps.mirrorkube.dev", "deployments.apps.mirrorkube.dev"]);
  });

  it("pauses and resumes through spec.paused, refusing what is already so", () => {
    expect(deploymentRollout.pause?.(d(false))).toEqual({ type: "merge", patch: { spec: { paused: true } } });
    expect(() => deploymentRollout.pause?.(d(true))).toThrow("is already paused");
    expect(deploymentRollout.resume?.(d(true))).toEqual({ type: "merge", patch: { spec: { paused: false } } });
    expect(() => deploymentRollout.resume?.(d(false))).toThrow("is not paused");
  });

  it("restarts by stamping the template with kubectl's restartedAt annotation, never while paused", () => {
    const now = new Date("2026-11-23T15:47:05.123Z");
    expect(deploymentRollout.restart(d(false), now)).toEqual({
      type: "merge",
      patch: { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": rfc3339(now) } } } } },
    });
    expect(() => deploymentRollout.restart(d(true), now)).toThrow("can't restart paused deployment (run rollout resume first)");
  });

  it("formats time as Go's RFC3339 in local time, seconds only", () => {
    const text = rfc3339(new Date("2026-11-23T15:47:05.999Z"));
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
    expect(Date.parse(text)).toBe(Date.parse("2026-11-23T15:47:05Z"));
  });
});
