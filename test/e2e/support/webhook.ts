// The admission webhook of the run's shared manager, and the label that
// takes a namespace away from it: a test file that runs its own manager's
// webhook for a namespace labels it, so exactly one webhook (and one quota
// controller) handles each namespace.
import { kubectl } from "../../../hack/cluster/kubectl.ts";
import { freePort } from "../../../hack/cluster/ports.ts";
import { readState } from "../../../hack/cluster/state.ts";
import { eventually } from "./eventually.ts";
import type { ManagerProcess } from "./manager-process.ts";

/** A namespace with this label (its value: the configuration name) is served by that configuration's manager. */
export const QUOTA_WEBHOOK_LABEL = "mirrorkube.dev/quota-webhook";

/** The shared manager's ValidatingWebhookConfiguration (main.ts's default name). */
export const SHARED_CONFIGURATION = "mirrorkube";

export async function sharedManagerWebhookArgs(): Promise<string[]> {
  return [`--webhook-bind-address=127.0.0.1:${await freePort()}`, `--webhook-namespace-selector=!${QUOTA_WEBHOOK_LABEL}`];
}

/** /readyz passes: caches synced, and the webhook serves and is registered with the API server. */
export async function waitUntilReady(manager: ManagerProcess, timeoutMs = 90_000): Promise<void> {
  await eventually(async () => (await fetch(`http://127.0.0.1:${manager.healthPort}/readyz`)).ok, { timeoutMs, what: `manager ready (log ${manager.log})` });
}

export async function removeWebhookConfiguration(kubeconfig: string, name = SHARED_CONFIGURATION): Promise<void> {
  const exe = readState()?.localkube;
  if (!exe) return;
  await kubectl(exe, kubeconfig, ["delete", "validatingwebhookconfiguration", name, "--ignore-not-found"]);
}
