import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { loadKubeConfig, ResourceClient, RestClient, type KubeObject } from "../operators/runtime/client/index.ts";
import { repoRoot } from "./cluster/paths.ts";

type CRD = KubeObject & { status?: { conditions?: { type: string; status: string }[] } };

const crdsDir = join(repoRoot, "crds");

/** The CRDs in crds/, as written by `npm run generate`. */
export function readCrds(): CRD[] {
  if (!existsSync(crdsDir)) return [];
  return readdirSync(crdsDir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(crdsDir, f), "utf8")).map((d) => d.toJS() as CRD))
    .filter((crd) => crd?.kind === "CustomResourceDefinition");
}

/** Server-side applies every CRD and waits until the API server serves them (Established). */
export async function applyCrds(kubeconfig: string, timeoutMs = 60_000): Promise<number> {
  const crds = readCrds();
  const client = new ResourceClient<CRD>(new RestClient(loadKubeConfig(kubeconfig)), {
    group: "apiextensions.k8s.io",
    version: "v1",
    plural: "customresourcedefinitions",
    namespaced: false,
  });
  for (const crd of crds) await client.apply(crd, { fieldManager: "mirrorkube", force: true });
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    const name = crd.metadata?.name ?? "";
    for (;;) {
      const live = await client.get({ name });
      if (live.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} not Established after ${timeoutMs / 1000}s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return crds.length;
}
