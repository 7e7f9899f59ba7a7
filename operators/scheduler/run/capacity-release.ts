import type { ReadonlyStore } from "../../runtime/informer/store.ts";
import type { KubeObject, ResourceClient } from "../../runtime/client/index.ts";
import { log } from "../../runtime/logging.ts";
import { isRealizationOf } from "../cache/mirror.ts";
import type { PodLike } from "../framework/objects.ts";
import { isTerminal, podKey } from "../framework/objects.ts";

export const CAPACITY_RELEASED_ANNOTATION = "mirrorkube.dev/capacity-released-at";

/**
 * kube-scheduler parks a Pod our extender rejected until a cluster event it
 * can see. A bound mirror Pod that is not realized holds capacity only in our
 * accounting, so its going away is invisible to kube-scheduler; touching the
 * Node (an annotation) is the event that makes it retry at once instead of
 * after its 5-minute flush. Only done while some real Pod waits to be scheduled.
 */
export class CapacityReleaseNotifier {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly nodes: ResourceClient<KubeObject>,
    private readonly realPods: ReadonlyStore<PodLike & KubeObject>,
    private readonly isLeader: () => boolean,
    private readonly coalesceMs = 200,
  ) {}

  /** A mirror Pod changed or went away: if it held capacity alone, its node is announced. */
  mirrorPodReleased(before: PodLike, after: PodLike | undefined): void {
    const node = before.spec?.nodeName;
    if (!node || (after && !isTerminal(after))) return;
    const real = this.realPods.get(podKey(before));
    if (real && isRealizationOf(real, before)) return; // kube-scheduler sees the real Pod go
    if (!this.realPods.list().some((p) => !p.spec?.nodeName && !p.metadata?.deletionTimestamp)) return;
    this.pending.add(node);
    this.timer ??= setTimeout(() => void this.flush(), this.coalesceMs);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const nodes = [...this.pending];
    this.pending.clear();
    if (!this.isLeader()) return;
    const at = new Date().toISOString();
    for (const name of nodes) {
      await this.nodes.patch({ name }, { type: "merge", patch: { metadata: { annotations: { [CAPACITY_RELEASED_ANNOTATION]: at } } } }).catch((err: unknown) => {
        log.debug({ err, node: name }, "could not announce released capacity");
      });
    }
  }
}
