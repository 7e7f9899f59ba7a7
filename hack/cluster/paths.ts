import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Where everything of the local control plane lives. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** MIRRORKUBE_CLUSTER_DIR runs a second, independent local cluster (e.g. one per developer task). */
export const clusterDir = resolve(process.env.MIRRORKUBE_CLUSTER_DIR ?? join(repoRoot, ".cluster"));
export const logsDir = join(clusterDir, "logs");
export const stateFile = join(clusterDir, "state.json");
export const kubeconfigFile = join(clusterDir, "kubeconfig");
export const clusterBinDir = join(clusterDir, "bin");
export const localkubeSrc = join(repoRoot, "hack", "localkube");
export const corednsSrc = join(repoRoot, "hack", "coredns");

/**
 * Built binaries are cached outside the repo (keyed by a hash of their
 * sources), so `cluster:down` and a fresh clone on the same machine reuse them.
 */
export const cacheDir = process.env.MIRRORKUBE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "mirrorkube");
