import { describe, expect, it } from "vitest";
import { splitCommand } from "../run.ts";
import { resolveTargets } from "./targets.ts";

describe("resolveTargets", () => {
  const names = (args: string[]) => resolveTargets(args).map((t) => [t.kind.kindGroup, t.name]);

  it("reads TYPE/NAME, TYPE NAME... and a bare NAME (a Deployment)", () => {
    const d = "deployment.apps.mirrorkube.dev";
    expect(names(["deployment/web"])).toEqual([[d, "web"]]);
    expect(names(["deployment.apps.mirrorkube.dev/web", "mdeploy/api"])).toEqual([[d, "web"], [d, "api"]]);
    expect(names(["Deployments", "web", "api"])).toEqual([[d, "web"], [d, "api"]]);
    expect(names(["web"])).toEqual([[d, "web"]]);
    expect(names(["sts/db", "msts/cache", "statefulset.apps.mirrorkube.dev/queue"])).toEqual([
      ["statefulset.apps.mirrorkube.dev", "db"],
      ["statefulset.apps.mirrorkube.dev", "cache"],
      ["statefulset.apps.mirrorkube.dev", "queue"],
    ]);
  });

  it("refuses what kubectl refuses", () => {
    expect(() => resolveTargets([])).toThrow("required resource not specified");
    expect(() => resolveTargets(["daemonset/db"])).toThrow('the server doesn\'t have a resource type "daemonset"');
    expect(() => resolveTargets(["deploy", "deploy/web"])).toThrow(/no need to specify a resource type as a separate argument/);
    expect(() => resolveTargets(["deploy/"])).toThrow("arguments in resource/name form must have a single resource and name");
  });
});

describe("splitCommand", () => {
  it("finds the command words after global flags and their values", () => {
    expect(splitCommand(["-n", "ns", "rollout", "--kubeconfig", "/k", "status", "web", "-w=false"])).toEqual({
      command: ["rollout", "status"],
      rest: ["-n", "ns", "--kubeconfig", "/k", "web", "-w=false"],
    });
    expect(splitCommand(["rollout"])).toEqual({ command: ["rollout"], rest: [] });
  });
});
