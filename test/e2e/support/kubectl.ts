import { inject } from "vitest";
import { kubectl as runKubectl, type KubectlResult } from "../../../hack/cluster/kubectl.ts";
import { readState } from "../../../hack/cluster/state.ts";

/** kubectl against the run's cluster: the one built with the local control plane, else `kubectl` on PATH. */
export function kubectl(args: string[], stdin?: string): Promise<KubectlResult> {
  const exe = readState()?.localkube;
  return exe ? runKubectl(exe, inject("kubeconfig"), args, stdin) : runKubectl("kubectl", inject("kubeconfig"), args, stdin, false);
}
