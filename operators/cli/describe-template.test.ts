import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { PodTemplateSpec } from "../api/index.ts";
import { describePodTemplate } from "./describe-template.ts";

const testdata = (f: string) => readFileSync(new URL(`./testdata/${f}`, import.meta.url), "utf8");

describe("describePodTemplate", () => {
  it("prints a template exactly as kubectl 1.34 printed the same one (rollout history --revision)", () => {
    // pod-template.json is the ReplicaSet template the API server stored for
    // an apps/v1 Deployment; the .txt is kubectl's output for it.
    const template = JSON.parse(testdata("pod-template.json")) as PodTemplateSpec;
    expect(describePodTemplate(template)).toBe(testdata("pod-template.describe.txt"));
  });

  it("says <none> for what a bare template lacks", () => {
    const text = describePodTemplate({ metadata: {}, spec: { containers: [{ name: "app", image: "nginx" }] } } as unknown as PodTemplateSpec);
    expect(text).toBe(
      [
        "Pod Template:",
        "  Labels:\t<none>",
        "  Containers:",
        "   app:",
        "    Image:\tnginx",
        "    Port:\t<none>",
        "    Host Port:\t<none>",
        "    Environment:\t<none>",
        "    Mounts:\t<none>",
        "  Volumes:\t<none>",
        "  Node-Selectors:\t<none>",
        "  Tolerations:\t<none>",
        "",
      ].join("\n"),
    );
  });

  it("puts long annotations on lines of their own and leaves out kubectl's last-applied-configuration", () => {
    const long = "x".repeat(150);
    const text = describePodTemplate({
      metadata: { annotations: { long, "kubectl.kubernetes.io/last-applied-configuration": "{}" } },
      spec: { containers: [] },
    } as unknown as PodTemplateSpec);
    expect(text).toContain(`  Annotations:\tlong:\n\t  ${"x".repeat(138)}...\n`);
    expect(text).not.toContain("last-applied");
    expect(text).toContain("  Containers: <none>\n");
  });

  it("describes exec and grpc probes and unknown volume sources", () => {
    const text = describePodTemplate({
      spec: {
        containers: [{ name: "c", image: "i", livenessProbe: { exec: { command: ["cat", "/ok"] }, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 } }],
        volumes: [{ name: "p", projected: { sources: [] } }],
      },
    } as unknown as PodTemplateSpec);
    expect(text).toContain("    Liveness:\texec [cat /ok] delay=0s timeout=1s period=5s #success=1 #failure=3\n");
    expect(text).toContain("   p:\n    Type:\tProjected\n");
  });
});
