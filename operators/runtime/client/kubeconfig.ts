import { KubeConfig } from "@kubernetes/client-node";

/**
 * The KubeConfig to talk to the cluster with: an explicit file if given,
 * otherwise client-node's default loading (KUBECONFIG, ~/.kube/config, then
 * the in-cluster service account).
 */
export function loadKubeConfig(file?: string): KubeConfig {
  const kc = new KubeConfig();
  if (file) kc.loadFromFile(file);
  else kc.loadFromDefault();
  return kc;
}
