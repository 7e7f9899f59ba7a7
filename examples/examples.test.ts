import { readdirSync, readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { allKinds, lookupKind, parseObject } from "../operators/api/index.ts";

// The manifests a user applies first: each is valid against the schema the
// CRDs are generated from, and every mirror kind has one.

const dir = new URL("./", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));

function documents(file: string | URL): Record<string, unknown>[] {
  return parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS() as Record<string, unknown>);
}

describe("examples/", () => {
  it.each(files)("%s parses as mirror kinds", (file) => {
    const docs = documents(new URL(file, dir));
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) {
      const info = lookupKind(String(doc.apiVersion), String(doc.kind));
      expect(info, `${file}: ${String(doc.apiVersion)} ${String(doc.kind)} is not a mirror kind`).toBeDefined();
      if (!info) continue;
      const result = parseObject(info, doc);
      expect(result.ok ? "" : result.error.message, file).toBe("");
      // Namespaced examples follow the current namespace (kubectl -n, or the context's).
      expect((doc.metadata as { namespace?: string }).namespace, file).toBeUndefined();
    }
  });

  it("has a manifest for every mirror kind, named after it", () => {
    expect(files.map((f) => f.replace(/\.yaml$/, "")).sort()).toEqual(allKinds.map((k) => k.singular).sort());
    for (const k of allKinds) expect(documents(new URL(`${k.singular}.yaml`, dir)).map((d) => d.kind)).toContain(k.kind);
  });

  it("keeps what only the local control plane can run in local/", () => {
    const nodes = documents(new URL("local/spare-nodes.yaml", dir));
    expect(nodes.map((n) => [n.apiVersion, n.kind])).toEqual([
      ["v1", "Node"],
      ["v1", "Node"],
    ]);
    for (const n of nodes) expect((n.metadata as { annotations: Record<string, string> }).annotations["kwok.x-k8s.io/node"]).toBe("fake");
  });
});
