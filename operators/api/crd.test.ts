import { describe, expect, it } from "vitest";
import type { KindInfo, SchemaNode, ValidationRule } from "./index.ts";
import { allKinds, buildCRD, checkStructural, crdSchema, kinds, SCALE, VALIDATIONS } from "./index.ts";

// DESIGN.md's API table.
const DESIGN = [
  ["Pod", "core.mirrorkube.dev", "mpod,mpods", "Namespaced"],
  ["Service", "core.mirrorkube.dev", "msvc", "Namespaced"],
  ["PersistentVolume", "core.mirrorkube.dev", "mpv", "Cluster"],
  ["PersistentVolumeClaim", "core.mirrorkube.dev", "mpvc", "Namespaced"],
  ["ResourceQuota", "core.mirrorkube.dev", "mquota", "Namespaced"],
  ["StorageClass", "storage.mirrorkube.dev", "msc", "Cluster"],
  ["ReplicaSet", "apps.mirrorkube.dev", "mrs", "Namespaced"],
  ["Deployment", "apps.mirrorkube.dev", "mdeploy", "Namespaced"],
  ["StatefulSet", "apps.mirrorkube.dev", "msts", "Namespaced"],
] as const;

const SCALABLE = ["ReplicaSet", "Deployment", "StatefulSet"];

type Version = {
  subresources: Record<string, unknown>;
  additionalPrinterColumns: { jsonPath: string }[];
  schema: { openAPIV3Schema: SchemaNode };
};
const versionOf = (info: KindInfo) => (buildCRD(info).spec as { versions: Version[] }).versions[0] as Version;

/** The schema node a simple JSONPath (.a.b[0].c, or a map key: .capacity.storage) names, or undefined. */
function resolve(node: SchemaNode | undefined, path: string): SchemaNode | undefined {
  for (const step of path.split(".").filter(Boolean)) {
    const [, name, index] = /^([^[]*)(\[\d+\])?$/.exec(step) ?? [];
    node =
      (node?.properties as Record<string, SchemaNode> | undefined)?.[name ?? ""] ??
      (node?.additionalProperties as SchemaNode | undefined);
    if (index) node = node?.items as SchemaNode | undefined;
  }
  return node;
}

/** Every node carrying CEL rules, with its path. */
function ruleNodes(node: SchemaNode, path = ""): [string, SchemaNode][] {
  const here: [string, SchemaNode][] = node[VALIDATIONS] ? [[path, node]] : [];
  const children: [string, SchemaNode][] = Object.entries((node.properties ?? {}) as Record<string, SchemaNode>).map(
    ([k, v]) => [`${path}.${k}`, v],
  );
  if (node.items) children.push([`${path}[*]`, node.items as SchemaNode]);
  return [...here, ...children.flatMap(([p, child]) => ruleNodes(child, p))];
}

describe("the registry", () => {
  it("has the kinds, groups, short names and scopes of DESIGN.md", () => {
    expect(allKinds.map((k) => [k.kind, k.group, k.shortNames.join(), k.scope])).toEqual(DESIGN);
  });

  it("puts every kind in v1alpha1 and the mirrorkube category", () => {
    for (const k of allKinds) {
      expect(k.apiVersion).toBe(`${k.group}/v1alpha1`);
      expect(k.categories).toEqual(["mirrorkube"]);
      expect(k.singular).toBe(k.kind.toLowerCase());
    }
  });
});

describe.each(allKinds.map((k) => [k.kind, k] as const))("the %s CRD", (_, info) => {
  const version = versionOf(info);
  const schema = version.schema.openAPIV3Schema;

  it("is structural", () => {
    expect(checkStructural(crdSchema(info))).toEqual([]);
  });

  it("is named <plural>.<group> and served and stored at v1alpha1", () => {
    const crd = buildCRD(info) as { metadata: { name: string }; spec: { versions: { name: string; storage: boolean }[] } };
    expect(crd.metadata.name).toBe(`${info.plural}.${info.group}`);
    expect(crd.spec.versions).toMatchObject([{ name: "v1alpha1", served: true, storage: true }]);
  });

  it("has the status subresource, and scale exactly where the built-in kind has it", () => {
    expect(version.subresources.status).toEqual({});
    if (SCALABLE.includes(info.kind)) expect(version.subresources.scale).toEqual(SCALE);
    else expect(version.subresources).not.toHaveProperty("scale");
  });

  it("has printer columns that name fields of the schema, and an Age column", () => {
    for (const column of version.additionalPrinterColumns)
      expect(resolve(schema, column.jsonPath) ?? column.jsonPath.startsWith(".metadata.")).toBeTruthy();
    expect(version.additionalPrinterColumns).toContainEqual(expect.objectContaining({ name: "Age", type: "date" }));
  });

  it("has CEL rules with messages and valid field paths", () => {
    for (const [path, node] of ruleNodes(schema))
      for (const rule of node[VALIDATIONS] as ValidationRule[]) {
        expect(rule.message, `${path}: ${rule.rule}`).not.toBe("");
        if (rule.fieldPath) expect(resolve(node, rule.fieldPath), `${path} -> ${rule.fieldPath}`).toBeDefined();
      }
  });

  it("prunes unknown fields everywhere but in the preserve-unknown sub-objects", () => {
    expect(schema).not.toHaveProperty("x-kubernetes-preserve-unknown-fields");
    for (const top of ["spec", "status"])
      expect(resolve(schema, `.${top}`) ?? {}).not.toHaveProperty("x-kubernetes-preserve-unknown-fields");
  });
});

describe("scale", () => {
  it.each(SCALABLE)("%s has the paths the scale subresource points at", (kind) => {
    const schema = versionOf(kinds[kind as keyof typeof kinds]).schema.openAPIV3Schema;
    expect(resolve(schema, SCALE.specReplicasPath)).toMatchObject({ type: "integer", minimum: 0 });
    expect(resolve(schema, SCALE.statusReplicasPath)).toMatchObject({ type: "integer" });
    expect(resolve(schema, SCALE.labelSelectorPath)).toMatchObject({ type: "string" });
  });
});

describe("Deployment CRD", () => {
  const schema = versionOf(kinds.Deployment).schema.openAPIV3Schema;

  it("carries upstream's defaults", () => {
    expect(resolve(schema, ".spec.replicas")?.default).toBe(1);
    expect(resolve(schema, ".spec.revisionHistoryLimit")?.default).toBe(10);
    expect(resolve(schema, ".spec.progressDeadlineSeconds")?.default).toBe(600);
    expect(resolve(schema, ".spec.strategy")?.default).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" },
    });
    expect(resolve(schema, ".spec.template.spec.restartPolicy")?.default).toBe("Always");
  });

  it("makes the selector immutable and checks it against the template", () => {
    expect(resolve(schema, ".spec.selector")?.[VALIDATIONS]).toEqual([{ rule: "self == oldSelf", message: "field is immutable" }]);
    const rules = resolve(schema, ".spec")?.[VALIDATIONS] as ValidationRule[];
    expect(rules).toContainEqual(
      expect.objectContaining({ message: "`selector` does not match template `labels`", fieldPath: ".template.metadata.labels" }),
    );
  });

  it("has the kubectl get columns", () => {
    expect(versionOf(kinds.Deployment).additionalPrinterColumns.map((c) => c)).toMatchObject([
      { name: "Ready", jsonPath: ".status.ready" },
      { name: "Up-to-date", jsonPath: ".status.updatedReplicas" },
      { name: "Available", jsonPath: ".status.availableReplicas" },
      { name: "Age" },
      { name: "Selector", priority: 1 },
    ]);
  });
});

describe("Pod CRD", () => {
  it("has READY, STATUS, RESTARTS, AGE, and IP and NODE for -o wide", () => {
    expect(versionOf(kinds.Pod).additionalPrinterColumns).toMatchObject([
      { name: "Ready", jsonPath: ".status.ready" },
      { name: "Status", jsonPath: ".status.display" },
      { name: "Restarts", jsonPath: ".status.restarts" },
      { name: "Age" },
      { name: "IP", jsonPath: ".status.podIP", priority: 1 },
      { name: "Node", jsonPath: ".spec.nodeName", priority: 1 },
      { name: "Nominated Node", priority: 1 },
    ]);
  });
});
