import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { kindRef, kinds, type DeploymentInput } from "../../operators/api/index.ts";
import { loadKubeConfig, ResourceClient, RestClient, type KubeObject } from "../../operators/runtime/client/index.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { kubectl } from "./support/kubectl.ts";

// How the CRDs feel from kubectl, and that the API server itself rejects bad
// objects with field-level messages (schema and CEL), before any controller sees them.
describe("mirrorkube API", () => {
  const kc = kubeConfig();
  const deployments = new ResourceClient<KubeObject & { spec?: unknown }>(new RestClient(loadKubeConfig(inject("kubeconfig"))), kindRef(kinds.Deployment));
  let ns: Awaited<ReturnType<typeof testNamespace>>;

  const deployment = (name: string, spec: Partial<NonNullable<DeploymentInput["spec"]>> = {}) => ({
    apiVersion: kinds.Deployment.apiVersion,
    kind: "Deployment",
    metadata: { name, namespace: ns.name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image: "registry.invalid/app:1" }] } },
      ...spec,
    },
  });

  /** The API server's rejection message for a create, or "" when it was accepted. */
  const rejection = async (obj: object): Promise<string> => {
    try {
      await deployments.create(obj as KubeObject);
      return "";
    } catch (err) {
      return (err as Error).message;
    }
  };

  beforeAll(async () => {
    ns = await testNamespace(kc, "api");
  });
  afterAll(async () => ns?.remove());

  it("installs nine CRDs in the mirrorkube category with the short names", async () => {
    const res = await kubectl(["api-resources", "--categories=mirrorkube", "-o", "name"]);
    expect(res.stderr).toBe("");
    expect(res.stdout.trim().split("\n").sort()).toEqual(
      Object.values(kinds)
        .map((k) => `${k.plural}.${k.group}`)
        .sort(),
    );
    const short = await kubectl(["api-resources", "--api-group=apps.mirrorkube.dev", "--no-headers"]);
    expect(short.stdout).toMatch(/^deployments\s+mdeploy\s/m);
  });

  it("lists every kind with `kubectl get mirrorkube -A`", async () => {
    await deployments.create(deployment("listed"));
    const res = await kubectl(["get", "mirrorkube", "-A"]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`${ns.name}\\s+deployment.apps.mirrorkube.dev/listed\\s`));
    const cols = await kubectl(["get", "mdeploy", "-n", ns.name]);
    expect(cols.stdout.split("\n")[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
  });

  it("scales through the scale subresource with `kubectl scale`", async () => {
    await deployments.create(deployment("scaled"));
    const res = await kubectl(["scale", "deployment.apps.mirrorkube.dev/scaled", "--replicas=3", "-n", ns.name]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("scaled");
    await eventually(async () => ((await deployments.get({ namespace: ns.name, name: "scaled" })).spec as { replicas: number }).replicas === 3, { what: "spec.replicas 3" });
  });

  it("rejects negative replicas", async () => {
    expect(await rejection(deployment("neg", { replicas: -1 }))).toMatch(/spec\.replicas: Invalid value: -1: spec\.replicas in body should be greater than or equal to 0/);
  });

  it("rejects maxSurge and maxUnavailable both 0 (CEL)", async () => {
    const msg = await rejection(deployment("zero", { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: "0%" } } }));
    expect(msg).toMatch(/spec\.strategy\.rollingUpdate\.maxUnavailable: Invalid value: .*may not be 0 when `maxSurge` is 0/);
  });

  it("rejects a selector that does not match the template labels (CEL)", async () => {
    const obj = deployment("mismatch");
    obj.spec.selector = { matchLabels: { app: "other" } };
    expect(await rejection(obj)).toMatch(/spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/);
  });

  it("rejects an invalid quantity", async () => {
    const obj = deployment("badqty");
    obj.spec.template.spec.containers[0] = { name: "app", image: "x", resources: { requests: { cpu: "lots" } } } as never;
    expect(await rejection(obj)).toMatch(/spec\.template\.spec\.containers\[0\]\.resources\.requests\.cpu: Invalid value: "lots"/);
  });

  it("rejects an unknown field under kubectl's strict validation, and prunes it otherwise", async () => {
    const obj = { ...deployment("unknown"), spec: { ...deployment("unknown").spec, bogus: true } };
    const strict = await kubectl(["create", "-f", "-"], JSON.stringify(obj));
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toMatch(/unknown field "spec\.bogus"/);
    await deployments.create(obj as KubeObject);
    const stored = await deployments.get({ namespace: ns.name, name: "unknown" });
    expect(stored.spec).not.toHaveProperty("bogus");
    expect((stored.spec as { revisionHistoryLimit: number }).revisionHistoryLimit).toBe(10);
  });
});
