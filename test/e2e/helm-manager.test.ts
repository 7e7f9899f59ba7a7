import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoordinationV1Api, CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../../hack/cluster/ports.ts";
import { ResourceClient, RestClient } from "../../operators/runtime/client/index.ts";
import { CA_FILE, CERT_FILE, KEY_FILE } from "../../operators/runtime/webhook/cert-files.ts";
import { issueServingCertificate, newCertificateAuthority } from "../../operators/runtime/webhook/certs.ts";
import { validatingWebhookConfigurations, type ValidatingWebhookConfiguration } from "../../operators/runtime/webhook/index.ts";
import { localCluster } from "./support/apiserver.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { removeWebhookConfiguration } from "./support/webhook.ts";
import { startManager, type ManagerProcess } from "./support/manager-process.ts";

// Two managers with the flags the chart gives its replicas: leader-elected,
// the webhook certificate from files (a mounted Secret), and the leader's
// own Pod labelled for the webhook Service. Each "runs in" a Pod of this
// file's namespace (POD_NAMESPACE, POD_NAME as the downward API sets them;
// the Pods are gated, never scheduled). The webhook's namespace selector
// matches no namespace, so the rest of the run never calls it.

const LEADER_LABEL = "mirrorkube.dev/leader";

describe.skipIf(!localCluster())("the manager as the chart runs it", () => {
  const kc = kubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const leases = kc.makeApiClient(CoordinationV1Api);
  const rest = new RestClient(kc, "e2e-helm-manager");
  const configuration = `mirrorkube-e2e-chart-${randomBytes(3).toString("hex")}`;
  const leaseName = "chart-manager";
  const certDir = mkdtempSync(join(tmpdir(), "webhook-certs-"));
  const ca = newCertificateAuthority("e2e-webhook-ca");
  let ns: Awaited<ReturnType<typeof testNamespace>>;
  const managers = new Map<string, ManagerProcess>();

  const start = async (pod: string) => {
    const webhookPort = await freePort();
    const manager = await startManager(
      inject("kubeconfig"),
      [
        "--controllers=resourcequota-admission",
        "--leader-elect",
        `--leader-election-id=${leaseName}`,
        `--leader-election-namespace=${ns.name}`,
        `--leader-pod-label=${LEADER_LABEL}`,
        `--webhook-bind-address=127.0.0.1:${webhookPort}`,
        `--webhook-cert-dir=${certDir}`,
        `--webhook-configuration-name=${configuration}`,
        `--webhook-namespace-selector=mirrorkube.dev/e2e-chart-manager=${configuration}`,
      ],
      `manager-chart-${pod}`,
      { POD_NAMESPACE: ns.name, POD_NAME: pod },
    );
    managers.set(pod, manager);
    return manager;
  };
  const ready = async (m: ManagerProcess) => (await fetch(`http://127.0.0.1:${m.healthPort}/readyz?verbose`)).status === 200;
  const labelled = async () => (await core.listNamespacedPod({ namespace: ns.name, labelSelector: `${LEADER_LABEL}=true` })).items.map((p) => p.metadata?.name).sort();
  const leaderPod = async () => {
    const holder = (await leases.readNamespacedLease({ name: leaseName, namespace: ns.name })).spec?.holderIdentity ?? "";
    return [...managers].find(([, m]) => m.child.exitCode === null && holder.endsWith(`_${m.child.pid}`))?.[0];
  };

  beforeAll(async () => {
    ns = await testNamespace(kc, "chart-manager");
    const serving = issueServingCertificate(ca, ["127.0.0.1"]);
    writeFileSync(join(certDir, CERT_FILE), serving.certPem);
    writeFileSync(join(certDir, KEY_FILE), serving.keyPem);
    writeFileSync(join(certDir, CA_FILE), ca.certPem);
    for (const name of ["manager-a", "manager-b"]) {
      await core.createNamespacedPod({
        namespace: ns.name,
        body: { metadata: { name, labels: { app: "chart-manager" } }, spec: { schedulingGates: [{ name: "mirrorkube.dev/never" }], containers: [{ name: "manager", image: "mirrorkube.local/manager:e2e" }] } },
      });
    }
    await Promise.all([start("manager-a"), start("manager-b")]);
  });

  afterAll(async () => {
    for (const m of managers.values()) if (m.child.exitCode === null) m.child.kill("SIGKILL");
    await removeWebhookConfiguration(inject("kubeconfig"), configuration);
    await ns?.remove();
    rest.close();
    rmSync(certDir, { recursive: true, force: true });
  });

  it("labels the leader's Pod, and only it; leader and standby are both Ready", async () => {
    const leader = await eventually(leaderPod, { what: "a lease holder" });
    await eventually(async () => JSON.stringify(await labelled()) === JSON.stringify([leader]), { what: `only ${leader} labelled ${LEADER_LABEL}=true` });
    for (const [pod, m] of managers) await eventually(() => ready(m), { what: `${pod} Ready (log ${m.log})` });
  });

  it("writes the CA of the mounted certificate as caBundle", async () => {
    const vwcs = new ResourceClient<ValidatingWebhookConfiguration>(rest, validatingWebhookConfigurations);
    const written = await eventually(async () => (await vwcs.get({ name: configuration })).webhooks, { what: `webhooks in ${configuration}` });
    expect(written.length).toBeGreaterThan(0);
    for (const w of written) expect(w.clientConfig.caBundle).toBe(Buffer.from(ca.certPem).toString("base64"));
  });

  it("moves the label when the leader dies; a process restarting in the old Pod takes the stale label off", async () => {
    const old = (await leaderPod()) ?? "";
    managers.get(old)?.child.kill("SIGKILL");
    const successor = await eventually(async () => {
      const pod = await leaderPod();
      return pod && pod !== old ? pod : undefined;
    }, { timeoutMs: 30_000, what: "a new leader" });
    await eventually(async () => (await labelled()).includes(successor), { what: `${successor} labelled` });
    // The killed process could not take its label off: its Pod (the container restarting) still has it.
    expect(await labelled()).toEqual([old, successor].sort());
    const restarted = await start(old);
    await eventually(async () => JSON.stringify(await labelled()) === JSON.stringify([successor]), { what: `the label off ${old}` });
    await eventually(() => ready(restarted), { what: `the restarted ${old} Ready as a standby` });
    expect(await leaderPod()).toBe(successor);
  });
});
