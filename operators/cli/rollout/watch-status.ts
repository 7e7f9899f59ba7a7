// `rollout status`'s loop (kubectl's watchtools.UntilWithSync over the one
// object): print the status of the object as read, then of every change,
// until the rollout is done, fails, the object goes, or the timeout passes.
import { ApiError, isGone, type KubeObject, type ResourceClient } from "../../runtime/client/index.ts";
import { CliError } from "../errors.ts";
import type { RolloutStatus } from "./kind.ts";

export interface WatchStatusOptions {
  client: ResourceClient<KubeObject>;
  namespace: string;
  name: string;
  /** The status of one version of the object; throws when the rollout cannot succeed. */
  status(obj: KubeObject): RolloutStatus;
  /** false: print the current status once and stop. */
  watch: boolean;
  /** 0: wait as long as it takes. */
  timeoutMs: number;
  out(text: string): void;
}

interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: KubeObject;
}

const TIMED_OUT = "timed out waiting for the condition";

export async function watchStatus(o: WatchStatusOptions): Promise<void> {
  const key = { namespace: o.namespace, name: o.name };
  // Not under the timeout: kubectl reads the object before it starts waiting.
  let obj = await o.client.get(key);
  const show = (cur: KubeObject) => {
    const s = o.status(cur);
    o.out(s.message);
    return s.done || !o.watch;
  };
  if (show(obj)) return;

  const abort = new AbortController();
  const timer = o.timeoutMs > 0 ? setTimeout(() => abort.abort(), o.timeoutMs) : undefined;
  try {
    let resourceVersion = obj.metadata?.resourceVersion;
    for (;;) {
      const lines = o.client.watch({ namespace: o.namespace, fieldSelector: `metadata.name=${o.name}`, resourceVersion, allowWatchBookmarks: true }, abort.signal);
      for await (const line of lines) {
        const event = JSON.parse(line) as WatchEvent;
        if (event.type === "ERROR") {
          const err = ApiError.fromStatus(event.object as Parameters<typeof ApiError.fromStatus>[0]);
          if (!isGone(err)) throw err;
          // Too old to resume from: read it afresh and go on from there.
          obj = await o.client.get(key, { signal: abort.signal });
          if (show(obj)) return;
          resourceVersion = obj.metadata?.resourceVersion;
          break;
        }
        resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
        if (event.type === "DELETED") throw new CliError("object has been deleted");
        if (event.type !== "BOOKMARK" && show(event.object)) return;
      }
      // The server ended the watch (its timeout): resume where it stopped.
    }
  } catch (err) {
    if (abort.signal.aborted) throw new CliError(TIMED_OUT);
    throw err;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}
