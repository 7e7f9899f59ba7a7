import { randomBytes } from "node:crypto";
import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { kindRef, kinds } from "../../operators/api/index.ts";
import { ApiError, ResourceClient, RestClient, type KubeObject } from "../../operators/runtime/client/index.ts";
import { freePort } from "../../hack/cluster/ports.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { kubectl } from "./support/kubectl.ts";
import { localCluster } from "./support/apiserver.ts";
import { startManager, type ManagerProcess } from "./support/manager-process.ts";
import { QUOTA_WEBHOOK_LABEL, removeWebhookConfiguration, waitUntilReady } from "./support/webhook.ts";

// The quota webhook of a manager of this file's own (the run's shared one
// keeps serving every other namespace): its configuration is scoped to this
// file's namespace, which the shared manager's selector excludes. This
// manager runs quota admission only, no usage controller, so a quota here
// never gets a status ("status unknown"); then it is stopped, and with
// failurePolicy Fail creates of mirror kinds fail instead of going unchecked.

const WEBHOOK = "resourcequota.mirrorkube.dev";

describe.skipIf(!localCluster())("ResourceQuota admission webhook of a manager that stops", () => {
  const kc = kubeConfig();
  const rest = new RestClient(kc, "e2e-quota-webhook");
  const core = kc.makeApiClient(CoreV1Api);
  const configuration = `mirrorkube-e2e-${randomBytes(3).toString("hex")}`;
  let ns: Awaited<ReturnType<typeof testNamespace>>;
  let manager: ManagerProcess | undefined;
  let webhookPort: number;

  beforeAll(async () => {
    ns = await testNamespace(kc, "quota-webhook");
    const namespaces = new ResourceClient<KubeObject>(rest, { group: "", version: "v1", plural: "namespaces", namespaced: false });
    await namespaces.patch({ name: ns.name }, { type: "merge", patch: { metadata: { labels: { [QUOTA_WEBHOOK_LABEL]: configuration } } } });
    webhookPort = await freePort();
    manager = await startManager(
      inject("kubeconfig"),
      [
        "--controllers=resourcequota-admission",
        `--webhook-bind-address=127.0.0.1:${webhookPort}`,
        `--webhook-configuration-name=${configuration}`,
        `--webhook-namespace-selector=${QUOTA_WEBHOOK_LABEL}=${configuration}`,
      ],
      `manager-quota-webhook`,
    );
    await waitUntilReady(manager);
  });

  afterAll(async () => {
    if (manager && manager.child.exitCode === null) {
      manager.child.kill("SIGTERM");
      await manager.exited;
    }
    await removeWebhookConfiguration(inject("kubeconfig"), configuration);
    await ns?.remove();
    rest.close();
  });

  const mirrorPod = (name: string) => ({
    apiVersion: kinds.Pod.apiVersion,
    kind: "Pod",
    metadata: { name, namespace: ns.name },
    spec: { schedulerName: "mirrorkube-e2e-unscheduled", containers: [{ name: "app", image: "registry.invalid/app:1" }] },
  });

  it("refuses tracked objects while the quota has no usage yet", async () => {
    await new ResourceClient<KubeObject>(rest, kindRef(kinds.ResourceQuota)).create({
      apiVersion: kinds.ResourceQuota.apiVersion,
      kind: "ResourceQuota",
      metadata: { name: "q", namespace: ns.name },
      spec: { hard: { pods: 1, "count/pods": 1 } },
    } as KubeObject);
    const result = await kubectl(["create", "-f", "-"], JSON.stringify(mirrorPod("p")));
    expect(result.stderr.trim()).toBe(
      `Error from server (Forbidden): error when creating "STDIN": admission webhook "${WEBHOOK}" denied the request: ` +
        `pods.core.mirrorkube.dev "p" is forbidden: status unknown for quota: q, resources: count/pods,pods`,
    );
  });

  it("fails creates of every mirror kind while the manager is down; built-in kinds are unaffected", async () => {
    manager?.child.kill("SIGTERM");
    await manager?.exited;
    const refused = async (kind: keyof typeof kinds, obj: object) => {
      const err = await new ResourceClient<KubeObject>(rest, kindRef(kinds[kind])).create(obj as KubeObject).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, `${kind} created without its webhook`).toBeInstanceOf(ApiError);
      expect((err as ApiError).message).toContain(`failed calling webhook "${WEBHOOK}"`);
      expect((err as ApiError).message).toContain(`https://127.0.0.1:${webhookPort}/validate-resourcequota`);
      return err as ApiError;
    };
    const podError = await eventually(() => refused("Pod", mirrorPod("after")), { what: "mirror Pod refused" });
    expect(podError.code).toBe(500);
    await refused("Service", { apiVersion: kinds.Service.apiVersion, kind: "Service", metadata: { name: "s", namespace: ns.name }, spec: { ports: [{ port: 80 }] } });
    await refused("ReplicaSet", {
      apiVersion: kinds.ReplicaSet.apiVersion,
      kind: "ReplicaSet",
      metadata: { name: "rs", namespace: ns.name },
      spec: { replicas: 0, selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "x" }] } } },
    });
    const kubectlOutput = await kubectl(["create", "-f", "-"], JSON.stringify(mirrorPod("via-kubectl")));
    expect(kubectlOutput.stderr).toContain(`Internal error occurred: failed calling webhook "${WEBHOOK}"`);

    await core.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: "plain" }, data: { a: "b" } } });
    await core.createNamespacedPod({ namespace: ns.name, body: { metadata: { name: "real" }, spec: { schedulerName: "mirrorkube-e2e-unscheduled", containers: [{ name: "c", image: "x" }] } } });
  });
});
