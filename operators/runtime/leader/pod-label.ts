// The leader marks its own Pod with a label while it leads, so a Service
// that selects the label routes to the leader alone: what a server that runs
// on the leader only (the quota webhook) needs when the manager runs as a
// Deployment of several replicas. Standbys can then be Ready (a rollout
// needs them to be) without a Service sending them requests they cannot
// answer. A process that lost the lease exits and restarts in the same Pod,
// so every process takes the label off its Pod first, before it is Ready.
import { isNotFound, type KubeObject, type ResourceClient } from "../client/index.ts";
import type { Check } from "../health.ts";
import { log } from "../logging.ts";
import type { Runnable } from "../manager/manager.ts";
import { realClock, sleep } from "../queue/index.ts";

export const podsResource = { group: "", version: "v1", plural: "pods", namespaced: true } as const;

const RETRY_MS = 2_000;

export class LeaderPodLabel {
  private unmarked = false;
  private unmarking: Promise<void> | undefined;

  /** Takes the label off the Pod at start, on every replica. */
  readonly standby: Runnable = {
    name: "leader-pod-label-standby",
    needLeaderElection: false,
    start: (signal) => {
      this.unmarking = this.setUntilDone(null, signal).then((done) => void (this.unmarked = done));
      return this.unmarking;
    },
  };

  /** Puts it on once this process leads (the manager starts leader work after every standby runnable). */
  readonly leader: Runnable = {
    name: "leader-pod-label",
    needLeaderElection: true,
    start: async (signal) => {
      await this.unmarking;
      await this.setUntilDone("true", signal);
    },
  };

  constructor(
    private readonly pods: ResourceClient<KubeObject>,
    private readonly pod: { namespace: string; name: string },
    private readonly key: string,
  ) {}

  /** /readyz: not before a label a previous process left is gone. */
  readyCheck(): Check {
    return () => (this.unmarked ? undefined : `the ${this.key} label is not yet off pod ${this.pod.namespace}/${this.pod.name}`);
  }

  /** Retries until written or `signal` aborts; true when written. */
  private async setUntilDone(value: "true" | null, signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      try {
        await this.pods.patch(this.pod, { type: "merge", patch: { metadata: { labels: { [this.key]: value } } } }, { signal });
        log.info({ pod: `${this.pod.namespace}/${this.pod.name}`, label: this.key, value }, value ? "labelled this pod as the leader" : "this pod is not labelled as the leader");
        return true;
      } catch (err) {
        if (signal.aborted) break;
        // Without its Pod the process cannot serve through the Service anyway; say so loudly.
        log.error({ err, pod: `${this.pod.namespace}/${this.pod.name}`, notFound: isNotFound(err) }, "labelling this pod failed; retrying");
        await sleep(realClock, RETRY_MS, signal);
      }
    }
    return false;
  }
}
