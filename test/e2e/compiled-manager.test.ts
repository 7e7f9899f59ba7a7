import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import { CoordinationV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { repoRoot } from "../../hack/cluster/paths.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { metricValue, startManager, type ManagerProcess } from "./support/manager-process.ts";

// What the Dockerfile's build stage does, without Docker: `npm run build`
// compiles the manager to dist/, which imports production dependencies only
// and runs under plain node (no tsx) against the cluster.

const dist = join(repoRoot, "dist");

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".js"))
    .map((e) => join(e.parentPath, e.name));
}

/** The package a bare specifier names: "@scope/pkg/sub" → "@scope/pkg", "pkg/sub" → "pkg". */
const packageOf = (specifier: string) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");

describe("the compiled manager (npm run build)", () => {
  let ns: Awaited<ReturnType<typeof testNamespace>>;
  let manager: ManagerProcess | undefined;
  const leaseName = "mirrorkube-compiled";

  beforeAll(async () => {
    await promisify(execFile)("npm", ["run", "-s", "build"], { cwd: repoRoot });
    ns = await testNamespace(kubeConfig(), "compiled");
  }, 180_000);
  afterAll(async () => {
    manager?.child.kill("SIGKILL");
    await ns?.remove();
  });

  it("imports nothing outside node's built-ins and the production dependencies", () => {
    const { dependencies } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const files = jsFiles(dist);
    expect(files).toContain(join(dist, "operators", "main.js"));
    const imported = new Set<string>();
    for (const file of files) {
      for (const m of readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|^\s*import\s+"([^"]+)"|import\("([^"]+)"\)/gm)) {
        const specifier = m[1] ?? m[2] ?? m[3] ?? "";
        if (specifier.startsWith(".")) expect(specifier, `${file} imports ${specifier}`).toMatch(/\.js$/);
        else imported.add(packageOf(specifier));
      }
    }
    const outside = [...imported].filter((p) => !p.startsWith("node:") && !builtinModules.includes(p) && !(p in dependencies));
    expect(outside).toEqual([]);
    expect(imported).toContain("@kubernetes/client-node");
  });

  it("runs under plain node: leads its Lease, healthy and ready, and stops cleanly on SIGTERM", async () => {
    manager = await startManager(inject("kubeconfig"), ["--controllers=", "--leader-elect", `--leader-election-id=${leaseName}`, `--leader-election-namespace=${ns.name}`], "manager-compiled", {}, [join(dist, "operators", "main.js")]);
    const leases = kubeConfig().makeApiClient(CoordinationV1Api);
    await eventually(async () => (await leases.readNamespacedLease({ name: leaseName, namespace: ns.name })).spec?.holderIdentity?.endsWith(`_${manager?.child.pid}`), { what: "the compiled manager holds its lease" });
    await eventually(async () => metricValue((await manager?.metrics()) ?? "", `leader_election_master_status{name="${leaseName}"}`) === 1, { what: "leader metric 1" });
    expect((await fetch(`http://127.0.0.1:${manager.healthPort}/readyz`)).status).toBe(200);
    manager.child.kill("SIGTERM");
    expect(await manager.exited).toBe(0);
  });
});
