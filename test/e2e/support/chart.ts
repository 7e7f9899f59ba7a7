// The Helm chart as the e2e suite uses it: rendered with the helm this repo
// builds (hack/helm.ts), and its ServiceAccount and RBAC applied so that the
// run's shared manager works on a token of that ServiceAccount, not as admin:
// a verb the chart does not grant fails the test that needs it.
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { clusterDir, repoRoot } from "../../../hack/cluster/paths.ts";
import { loadKubeConfig, ResourceClient, RestClient, type KubeObject, type ResourceRef } from "../../../operators/runtime/client/index.ts";

export const chartDir = join(repoRoot, "charts", "mirrorkube");

/** The release the shared manager stands for: its names are the chart's defaults for release "mirrorkube". */
export const sharedRelease = { name: "mirrorkube", namespace: "mirrorkube-system" } as const;

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs helm; never throws on a non-zero exit (the caller asserts on it). */
export function runHelm(helm: string, args: string[], kubeconfig?: string): Promise<HelmResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...(kubeconfig && { KUBECONFIG: kubeconfig }), HELM_CACHE_HOME: join(clusterDir, "helm", "cache"), HELM_CONFIG_HOME: join(clusterDir, "helm", "config"), HELM_DATA_HOME: join(clusterDir, "helm", "data") };
    execFile(helm, args, { env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== "number") return reject(err);
      resolve({ code: typeof err?.code === "number" ? err.code : 0, stdout, stderr });
    });
  });
}

/** `helm template` of the chart; throws with helm's message when it fails. */
export async function renderChart(helm: string, release: { name: string; namespace: string }, args: string[] = []): Promise<KubeObject[]> {
  const res = await runHelm(helm, ["template", release.name, chartDir, "--namespace", release.namespace, ...args]);
  if (res.code !== 0) throw new Error(`helm template failed: ${res.stderr}`);
  return parseAllDocuments(res.stdout)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => !!o?.kind);
}

/** The resources of the kinds the chart's RBAC consists of. */
const rbacResources: Record<string, ResourceRef> = {
  Namespace: { group: "", version: "v1", plural: "namespaces", namespaced: false },
  ServiceAccount: { group: "", version: "v1", plural: "serviceaccounts", namespaced: true },
  ClusterRole: { group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterroles", namespaced: false },
  ClusterRoleBinding: { group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterrolebindings", namespaced: false },
  Role: { group: "rbac.authorization.k8s.io", version: "v1", plural: "roles", namespaced: true },
  RoleBinding: { group: "rbac.authorization.k8s.io", version: "v1", plural: "rolebindings", namespaced: true },
};

const FIELD_MANAGER = "mirrorkube-e2e";

/**
 * Applies the chart's ServiceAccount and RBAC (as `helm install` of release
 * "mirrorkube" would create them) and writes a kubeconfig that authenticates
 * as that ServiceAccount with a token from the TokenRequest API. Returns its
 * path, the chart Deployment's leader election flags (the Role grants that
 * Lease only), and a cleanup of the cluster-scoped objects.
 */
export async function chartServiceAccountKubeconfig(helm: string, adminKubeconfig: string): Promise<{ kubeconfig: string; leaderElectionArgs: string[]; remove: () => Promise<void> }> {
  const { name, namespace } = sharedRelease;
  const objects = await renderChart(helm, sharedRelease, ["--show-only", "templates/serviceaccount.yaml", "--show-only", "templates/rbac.yaml"]);
  const [deployment] = await renderChart(helm, sharedRelease, ["--show-only", "templates/deployment.yaml"]);
  const containers = (deployment as { spec?: { template?: { spec?: { containers?: { args?: string[] }[] } } } } | undefined)?.spec?.template?.spec?.containers;
  const leaderElectionArgs = (containers?.[0]?.args ?? []).filter((a) => a.startsWith("--leader-elect"));
  const admin = loadKubeConfig(adminKubeconfig);
  const rest = new RestClient(admin, FIELD_MANAGER);
  const client = (kind: string) => {
    const ref = rbacResources[kind];
    if (!ref) throw new Error(`the chart's RBAC templates render a ${kind}, which this setup does not know how to apply`);
    return new ResourceClient<KubeObject>(rest, ref);
  };
  const all: KubeObject[] = [{ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } }, ...objects];
  for (const obj of all) await client(obj.kind ?? "").apply(obj, { fieldManager: FIELD_MANAGER, force: true });

  const account = objects.find((o) => o.kind === "ServiceAccount")?.metadata?.name;
  if (!account) throw new Error("the chart renders no ServiceAccount");
  const tokenRequest = (await rest.request({
    method: "POST",
    path: `/api/v1/namespaces/${namespace}/serviceaccounts/${account}/token`,
    body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 24 * 3600 } },
  })) as { status?: { token?: string } };
  const token = tokenRequest.status?.token;
  if (!token) throw new Error(`no token for service account ${namespace}/${account}`);

  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error(`${adminKubeconfig} names no current cluster`);
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ ...cluster, name: "e2e" }],
    users: [{ name: `system:serviceaccount:${namespace}:${account}`, token }],
    contexts: [{ name: "chart-rbac", cluster: "e2e", user: `system:serviceaccount:${namespace}:${account}`, namespace }],
    currentContext: "chart-rbac",
  });
  const kubeconfig = join(clusterDir, `${name}-serviceaccount.kubeconfig`);
  writeFileSync(kubeconfig, kc.exportConfig(), { mode: 0o600 });
  return {
    kubeconfig,
    leaderElectionArgs,
    remove: async () => {
      // The namespace stays (a run right after would find it terminating); what is in it grants nothing outside it.
      for (const obj of objects.filter((o) => !rbacResources[o.kind ?? ""]?.namespaced)) {
        await client(obj.kind ?? "").delete({ name: obj.metadata?.name ?? "" }).catch(() => undefined);
      }
    },
  };
}
