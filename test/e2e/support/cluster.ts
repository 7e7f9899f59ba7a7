import { randomBytes } from "node:crypto";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { inject } from "vitest";
import { eventually } from "./eventually.ts";

/** The kubeconfig of the run's shared cluster, loaded. */
export function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(inject("kubeconfig"));
  return kc;
}

/**
 * A fresh namespace for one test file, usable once its default service
 * account exists (Pods are refused before that). Returns a cleanup.
 */
export async function testNamespace(kc: KubeConfig, prefix: string): Promise<{ name: string; remove: () => Promise<void> }> {
  const core = kc.makeApiClient(CoreV1Api);
  const name = `${prefix}-${randomBytes(3).toString("hex")}`;
  await core.createNamespace({ body: { metadata: { name, labels: { "mirrorkube.dev/e2e": "true" } } } });
  await eventually(() => core.readNamespacedServiceAccount({ name: "default", namespace: name }), { what: `default service account in ${name}` });
  return {
    name,
    remove: async () => {
      await core.deleteNamespace({ name }).catch(() => undefined);
    },
  };
}
