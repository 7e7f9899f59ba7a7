import { rmSync } from "node:fs";
import { ClusterError } from "./errors.ts";
import { clusterDir } from "./paths.ts";
import type { Progress } from "./progress.ts";
import { readState } from "./state.ts";
import { stopRealNode } from "./real-node/index.ts";
import { mountsUnder } from "./real-node/teardown.ts";
import { stopAll } from "./up.ts";

/** Stops every component of the local cluster and removes its state (built binaries stay cached). */
export async function down(progress: Progress): Promise<void> {
  // The real node first: its pods are removed through its containerd, before that stops.
  await stopRealNode(clusterDir, progress);
  const state = readState();
  if (state) {
    progress.say(`stopping ${state.processes.map((p) => p.name).join(", ")}`);
    await stopAll(state.processes);
  }
  // Deleting through a mount would delete what is mounted there (a volume, a host path).
  const mounted = mountsUnder(clusterDir);
  if (mounted.length > 0) throw new ClusterError(`not removing ${clusterDir}: still mounted there: ${mounted.join(", ")}`, "Unmount those (umount -l) and run cluster:down again.");
  rmSync(clusterDir, { recursive: true, force: true });
  progress.say("cluster removed");
}
