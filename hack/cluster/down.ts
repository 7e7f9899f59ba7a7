import { rmSync } from "node:fs";
import { clusterDir } from "./paths.ts";
import type { Progress } from "./progress.ts";
import { readState } from "./state.ts";
import { stopAll } from "./up.ts";

/** Stops every component of the local cluster and removes its state (built binaries stay cached). */
export async function down(progress: Progress): Promise<void> {
  const state = readState();
  if (state) {
    progress.say(`stopping ${state.processes.map((p) => p.name).join(", ")}`);
    await stopAll(state.processes);
  }
  rmSync(clusterDir, { recursive: true, force: true });
  progress.say("cluster removed");
}
