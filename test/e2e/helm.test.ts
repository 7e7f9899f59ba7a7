import { X509Certificate } from "node:crypto";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { stringify } from "yaml";
import { ensureHelm, helmVersions, type HelmMajor } from "../../hack/helm.ts";
import { Progress } from "../../hack/cluster/progress.ts";
import { isNotFound, loadKubeConfig, ResourceClient, RestClient, type KubeObject, type ResourceRef } from "../../operators/runtime/client/index.ts";
import { chartDir, renderChart, runHelm, sharedRelease } from "./support/chart.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { kubectl } from "./support/kubectl.ts";

// The chart with Helm 3 and Helm 4 (both built by hack/helm.ts): lint,
// template, a server-side dry run of what it renders, install into a
// namespace of its own and uninstall without leftovers, and values the
// schema refuses. The manager image cannot be pulled here: the Pods are
// kwok's, so what is asserted is what the chart creates, not a running manager
// (the rest of the suite runs the manager on the chart's RBAC for that).

type Rule = { apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; verbs?: string[]; nonResourceURLs?: string[] };
type Role = KubeObject & { rules?: Rule[] };

const rest = () => new RestClient(loadKubeConfig(inject("kubeconfig")), "e2e-helm");
const ref = (group: string, plural: string, namespaced: boolean): ResourceRef => ({ group, version: "v1", plural, namespaced });
const resources = {
  Deployment: ref("apps", "deployments", true),
  Service: ref("", "services", true),
  ServiceAccount: ref("", "serviceaccounts", true),
  Secret: ref("", "secrets", true),
  Role: ref("rbac.authorization.k8s.io", "roles", true),
  RoleBinding: ref("rbac.authorization.k8s.io", "rolebindings", true),
  PodDisruptionBudget: ref("policy", "poddisruptionbudgets", true),
  ClusterRole: ref("rbac.authorization.k8s.io", "clusterroles", false),
  ClusterRoleBinding: ref("rbac.authorization.k8s.io", "clusterrolebindings", false),
  ValidatingWebhookConfiguration: ref("admissionregistration.k8s.io", "validatingwebhookconfigurations", false),
} satisfies Record<string, ResourceRef>;

/** Every API the chart's optional templates ask .Capabilities about. */
const everyOptionalApi = ["--api-versions", "monitoring.coreos.com/v1/ServiceMonitor", "--api-versions", "monitoring.coreos.com/v1/PrometheusRule", "--api-versions", "cert-manager.io/v1/Certificate"];

/** Values for an install whose Pods cannot pull an image: a local name, never pulled. */
const installValues = ["--set", "image.repository=mirrorkube.local/manager", "--set", "image.tag=e2e", "--set", "image.pullPolicy=Never"];

/** `kubectl auth can-i`; resource reads TYPE[/NAME][#SUBRESOURCE]. */
async function canI(verb: string, resource: string, as: string, namespace?: string): Promise<string> {
  const [target = "", subresource] = resource.split("#");
  const res = await kubectl(["auth", "can-i", verb, target, `--as=${as}`, ...(subresource ? [`--subresource=${subresource}`] : []), ...(namespace ? ["-n", namespace] : [])]);
  return res.stdout.trim();
}

describe.each([3, 4] as HelmMajor[])("the Helm chart with Helm %i", (major) => {
  let helm: string;
  let ns: Awaited<ReturnType<typeof testNamespace>>;
  const helmIn = (args: string[]) => runHelm(helm, args, inject("kubeconfig"));

  beforeAll(async () => {
    helm = await ensureHelm(new Progress("helm"), major);
    ns = await testNamespace(kubeConfig(), `helm${major}`);
  });
  afterAll(async () => {
    await ns?.remove();
  });

  it(`is helm ${helmVersions[major]}`, async () => {
    const res = await helmIn(["version", "--short"]);
    expect(res.stdout).toContain(helmVersions[major]);
  });

  it("passes helm lint --strict, for the oldest Kubernetes it supports too", async () => {
    for (const extra of [[], ["--kube-version", "1.30.0", "--set", "grafanaDashboard.enabled=true"]]) {
      const res = await helmIn(["lint", "--strict", chartDir, ...extra]);
      expect(res.stderr + res.stdout, `helm lint ${extra.join(" ")}`).toContain("1 chart(s) linted, 0 chart(s) failed");
      expect(res.code).toBe(0);
    }
  });

  it("renders the manager, its RBAC, Services and webhook; the monitoring objects only where their API exists", async () => {
    const kinds = (objects: KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort();
    const plain = await renderChart(helm, { name: "demo", namespace: "mk" });
    expect(kinds(plain)).toEqual(
      [
        "ClusterRole/demo-mirrorkube",
        "ClusterRoleBinding/demo-mirrorkube",
        "Deployment/demo-mirrorkube",
        "PodDisruptionBudget/demo-mirrorkube",
        "Role/demo-mirrorkube-leader-election",
        "RoleBinding/demo-mirrorkube-leader-election",
        "Secret/demo-mirrorkube-webhook-tls",
        "Service/demo-mirrorkube-extender",
        "Service/demo-mirrorkube-metrics",
        "Service/demo-mirrorkube-webhook",
        "ServiceAccount/demo-mirrorkube",
        "ValidatingWebhookConfiguration/demo-mirrorkube",
      ].sort(),
    );
    const monitored = await renderChart(helm, { name: "demo", namespace: "mk" }, [...everyOptionalApi, "--set", "webhook.certManager.enabled=true"]);
    const added = kinds(monitored).filter((k) => !kinds(plain).includes(k));
    expect(added).toEqual(["Certificate/demo-mirrorkube-webhook", "Certificate/demo-mirrorkube-webhook-ca", "Issuer/demo-mirrorkube-selfsigned", "Issuer/demo-mirrorkube-webhook-ca", "PrometheusRule/demo-mirrorkube", "ServiceMonitor/demo-mirrorkube"]);
    // cert-manager replaces the generated Secret; the PrometheusRule carries files/alerts.yaml's groups.
    expect(kinds(monitored)).not.toContain("Secret/demo-mirrorkube-webhook-tls");
    const rule = monitored.find((o) => o.kind === "PrometheusRule") as KubeObject & { spec: { groups: { rules: { alert?: string }[] }[] } };
    expect(rule.spec.groups.flatMap((g) => g.rules.map((r) => r.alert))).toContain("MirrorkubeNoLeader");

    const deployment = plain.find((o) => o.kind === "Deployment") as KubeObject & { spec: { replicas: number; template: { spec: { containers: Record<string, unknown>[]; securityContext: unknown } } } };
    expect(deployment.spec.replicas).toBe(2);
    const [container] = deployment.spec.template.spec.containers;
    expect(container).toMatchObject({
      livenessProbe: { httpGet: { path: "/healthz", port: "health" } },
      readinessProbe: { httpGet: { path: "/readyz", port: "health" } },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
    });
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(container?.env).toContainEqual({ name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } });
    expect(container?.args).toEqual(expect.arrayContaining(["--leader-elect", "--webhook-service=mk/demo-mirrorkube-webhook:443", "--webhook-configuration-name=demo-mirrorkube", "--leader-pod-label=mirrorkube.dev/leader"]));
  });

  it("grants no wildcard: every Role and ClusterRole names its groups, resources and verbs", async () => {
    const objects = await renderChart(helm, { name: "demo", namespace: "mk" }, [...everyOptionalApi, "--set", "webhook.certManager.enabled=true"]);
    const roles = objects.filter((o): o is Role => o.kind === "Role" || o.kind === "ClusterRole");
    expect(roles.map((r) => r.kind).sort()).toEqual(["ClusterRole", "Role"]);
    for (const role of roles) {
      expect(role.rules?.length, `${role.kind} ${role.metadata?.name} has rules`).toBeGreaterThan(0);
      for (const rule of role.rules ?? []) {
        const fields = [rule.apiGroups, rule.resources, rule.verbs, rule.resourceNames ?? [], rule.nonResourceURLs ?? []].flat();
        expect(fields.filter((f) => f === undefined || f.includes("*")), `${role.kind} rule ${JSON.stringify(rule)}`).toEqual([]);
        expect(rule.verbs?.length).toBeGreaterThan(0);
        // Nothing that reads credentials or grants more rights.
        expect(rule.resources?.filter((r) => ["secrets", "serviceaccounts/token", "roles", "clusterroles", "rolebindings", "clusterrolebindings"].includes(r))).toEqual([]);
        expect(rule.verbs?.filter((v) => ["escalate", "bind", "impersonate", "deletecollection"].includes(v))).toEqual([]);
      }
    }
  });

  it("renders manifests the API server accepts (server-side dry run)", async () => {
    const objects = await renderChart(helm, { name: `dry${major}`, namespace: ns.name }, ["--include-crds", ...installValues]);
    const res = await kubectl(["apply", "--server-side", "--dry-run=server", "-f", "-"], objects.map((o) => stringify(o)).join("---\n"));
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`deployment.apps/dry${major}-mirrorkube serverside-applied (server dry run)`);
    expect(res.stdout).toContain(`validatingwebhookconfiguration.admissionregistration.k8s.io/dry${major}-mirrorkube serverside-applied (server dry run)`);
  });

  it("refuses bad values at install with the schema's message, and installs nothing", async () => {
    const release = `bad${major}`;
    const negative = await helmIn(["install", release, chartDir, "-n", ns.name, "--set", "replicaCount=-1"]);
    expect(negative.code).not.toBe(0);
    expect(negative.stderr).toContain("values don't meet the specifications of the schema(s)");
    expect(negative.stderr).toContain("at '/replicaCount': minimum: got -1, want 1");
    const unknown = await helmIn(["install", release, chartDir, "-n", ns.name, "--set", "replicas=3", "--set", "webhook.sslPort=1"]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("additional properties 'replicas' not allowed");
    expect(unknown.stderr).toContain("at '/webhook': additional properties 'sslPort' not allowed");
    const wrongType = await helmIn(["install", release, chartDir, "-n", ns.name, "--set", "logLevel=loud"]);
    expect(wrongType.stderr).toContain("at '/logLevel'");
    const listed = await helmIn(["list", "-n", ns.name, "-a", "-q"]);
    expect(listed.stdout.split("\n")).not.toContain(release);
  });

  describe("install and uninstall", () => {
    const release = `mk${major}-${randomBytes(2).toString("hex")}`;
    const fullname = `${release}-mirrorkube`;
    let namespace: string;
    const account = () => `system:serviceaccount:${namespace}:${fullname}`;
    const get = (kind: keyof typeof resources, name: string) =>
      new ResourceClient<KubeObject>(rest(), resources[kind]).get({ name, ...(resources[kind].namespaced && { namespace }) });
    const gone = async (kind: keyof typeof resources, name: string) => {
      try {
        await get(kind, name);
        return false;
      } catch (err) {
        return isNotFound(err);
      }
    };

    beforeAll(() => {
      namespace = `${ns.name}-release`;
    });
    afterAll(async () => {
      await helmIn(["uninstall", release, "-n", namespace, "--ignore-not-found"]);
      await kubectl(["delete", "namespace", namespace, "--ignore-not-found", "--wait=false"]);
    });

    it("installs into its own namespace and prints what to try first", async () => {
      const res = await helmIn(["install", release, chartDir, "-n", namespace, "--create-namespace", ...installValues]);
      expect(res.stderr.replace(/^.*(insecure|world-readable).*\n/gm, "")).toBe("");
      expect(res.code).toBe(0);
      expect(res.stdout).toContain("STATUS: deployed");
      expect(res.stdout).toContain(`kubectl -n ${namespace} rollout status deployment/${fullname}`);
      expect(res.stdout).toContain("examples/");
    });

    it("creates the manager Deployment, its Services and the webhook configuration as rendered", async () => {
      const deployment = (await get("Deployment", fullname)) as KubeObject & { spec: { replicas: number; template: { spec: { serviceAccountName: string; containers: { image: string }[] } } } };
      expect(deployment.spec.replicas).toBe(2);
      expect(deployment.spec.template.spec.serviceAccountName).toBe(fullname);
      expect(deployment.spec.template.spec.containers[0]?.image).toBe("mirrorkube.local/manager:e2e");

      const webhookService = (await get("Service", `${fullname}-webhook`)) as KubeObject & { spec: { selector: Record<string, string>; ports: { port: number; targetPort: string }[] } };
      expect(webhookService.spec.selector).toEqual({ "app.kubernetes.io/name": "mirrorkube", "app.kubernetes.io/instance": release, "mirrorkube.dev/leader": "true" });
      expect(webhookService.spec.ports).toEqual([expect.objectContaining({ port: 443, targetPort: "webhook" })]);
      for (const service of [`${fullname}-metrics`, `${fullname}-extender`]) expect(await get("Service", service)).toBeDefined();

      // The leader writes the webhooks into it; until a manager runs it is empty and refuses nothing.
      const configuration = (await get("ValidatingWebhookConfiguration", fullname)) as KubeObject & { webhooks?: unknown[] };
      expect(configuration.webhooks ?? []).toEqual([]);

      // The generated certificate is for the webhook Service and signed by the CA in the same Secret.
      const secret = (await get("Secret", `${fullname}-webhook-tls`)) as KubeObject & { type: string; data: Record<string, string> };
      expect(secret.type).toBe("kubernetes.io/tls");
      const pem = (key: string) => Buffer.from(secret.data[key] ?? "", "base64").toString();
      const cert = new X509Certificate(pem("tls.crt"));
      expect(cert.checkHost(`${fullname}-webhook.${namespace}.svc`)).toBe(`${fullname}-webhook.${namespace}.svc`);
      expect(cert.verify(new X509Certificate(pem("ca.crt")).publicKey)).toBe(true);
    });

    it("grants the ServiceAccount what the manager needs and nothing beyond", async () => {
      const as = account();
      expect(await canI("patch", "pods.core.mirrorkube.dev", as, "default")).toBe("yes");
      expect(await canI("update", "statefulsets.apps.mirrorkube.dev#status", as, "default")).toBe("yes");
      expect(await canI("update", "deployments.apps.mirrorkube.dev#finalizers", as, "default")).toBe("yes");
      expect(await canI("create", "controllerrevisions.apps", as, "default")).toBe("yes");
      expect(await canI("patch", `validatingwebhookconfigurations/${fullname}`, as)).toBe("yes");
      expect(await canI("patch", "validatingwebhookconfigurations/another", as)).toBe("no");
      expect(await canI("update", `leases/${fullname}-manager`, as, namespace)).toBe("yes");
      expect(await canI("update", `leases/${fullname}-manager`, as, "default")).toBe("no");
      expect(await canI("get", "secrets", as, namespace)).toBe("no");
      expect(await canI("delete", "nodes", as)).toBe("no");
      expect(await canI("update", "deployments.apps.mirrorkube.dev", as, "default")).toBe("no");
    });

    it("keeps the generated certificate across an upgrade", async () => {
      const before = ((await get("Secret", `${fullname}-webhook-tls`)) as KubeObject & { data: Record<string, string> }).data;
      const res = await helmIn(["upgrade", release, chartDir, "-n", namespace, "--reuse-values", "--set", "logLevel=debug"]);
      expect(res.code, res.stderr).toBe(0);
      const after = ((await get("Secret", `${fullname}-webhook-tls`)) as KubeObject & { data: Record<string, string> }).data;
      expect(after).toEqual(before);
    });

    it("uninstall removes everything it created, cluster-scoped objects included", async () => {
      const res = await helmIn(["uninstall", release, "-n", namespace, "--wait"]);
      expect(res.code, res.stderr).toBe(0);
      const created: [keyof typeof resources, string][] = [
        ["Deployment", fullname],
        ["ServiceAccount", fullname],
        ["Secret", `${fullname}-webhook-tls`],
        ["Service", `${fullname}-webhook`],
        ["Service", `${fullname}-metrics`],
        ["Service", `${fullname}-extender`],
        ["Role", `${fullname}-leader-election`],
        ["RoleBinding", `${fullname}-leader-election`],
        ["PodDisruptionBudget", fullname],
        ["ClusterRole", fullname],
        ["ClusterRoleBinding", fullname],
        ["ValidatingWebhookConfiguration", fullname],
      ];
      for (const [kind, name] of created) await eventually(() => gone(kind, name), { what: `${kind} ${name} removed` });
      // Nothing else labelled as the release's is left, in the namespace or cluster-wide.
      const selector = `app.kubernetes.io/instance=${release}`;
      const left = await kubectl(["get", "all,secrets,serviceaccounts,roles,rolebindings,poddisruptionbudgets,clusterroles,clusterrolebindings,validatingwebhookconfigurations", "-n", namespace, "-l", selector, "-o", "name"]);
      expect(left.stderr).toBe("");
      await eventually(async () => (await kubectl(["get", "all", "-n", namespace, "-l", selector, "-o", "name"])).stdout.trim() === "", { what: "the release's pods gone" });
      expect(left.stdout.split("\n").filter((l) => l && !l.startsWith("pod/") && !l.startsWith("replicaset.apps/"))).toEqual([]);
    });
  });
});

describe("the e2e manager", () => {
  it("runs as the chart's ServiceAccount, not as an administrator", async () => {
    const review = (await new RestClient(loadKubeConfig(inject("managerKubeconfig")), "e2e-helm").request({
      method: "POST",
      path: "/apis/authentication.k8s.io/v1/selfsubjectreviews",
      body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
    })) as { status?: { userInfo?: { username?: string; groups?: string[] } } };
    expect(review.status?.userInfo?.username).toBe(`system:serviceaccount:${sharedRelease.namespace}:${sharedRelease.name}`);
    expect(review.status?.userInfo?.groups).not.toContain("system:masters");
  });
});
