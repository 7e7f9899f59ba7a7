import { describe, expect, it } from "vitest";
import { ApiError, type KubeObject, type ResourceClient } from "../client/index.ts";
import { LeaderPodLabel } from "./pod-label.ts";

type Patched = { key: { namespace?: string; name: string }; labels: Record<string, string | null> };

function fakePods(failures = 0) {
  const patches: Patched[] = [];
  let left = failures;
  const client = {
    patch: async (key: Patched["key"], patch: { patch: { metadata: { labels: Record<string, string | null> } } }) => {
      if (left-- > 0) throw new ApiError(403, "Forbidden", "pods is forbidden");
      patches.push({ key, labels: patch.patch.metadata.labels });
      return {} as KubeObject;
    },
  } as unknown as ResourceClient<KubeObject>;
  return { client, patches };
}

describe("LeaderPodLabel", () => {
  const pod = { namespace: "mirrorkube", name: "manager-abc" };

  it("takes the label off at start, is Ready after that, and puts it on when leading", async () => {
    const { client, patches } = fakePods();
    const label = new LeaderPodLabel(client, pod, "mirrorkube.dev/leader");
    expect(label.readyCheck()()).toMatch(/not yet off pod mirrorkube\/manager-abc/);
    const stop = new AbortController();
    await label.standby.start(stop.signal);
    expect(label.readyCheck()()).toBeUndefined();
    await label.leader.start(stop.signal);
    expect(patches).toEqual([
      { key: pod, labels: { "mirrorkube.dev/leader": null } },
      { key: pod, labels: { "mirrorkube.dev/leader": "true" } },
    ]);
    expect([label.standby.needLeaderElection, label.leader.needLeaderElection]).toEqual([false, true]);
  });

  it("stays not Ready while the label cannot be taken off, and gives up when stopped", async () => {
    const { client, patches } = fakePods(Number.POSITIVE_INFINITY);
    const label = new LeaderPodLabel(client, pod, "l");
    const stop = new AbortController();
    const running = label.standby.start(stop.signal);
    await new Promise((r) => setTimeout(r, 20));
    expect(label.readyCheck()()).toBeDefined();
    stop.abort();
    await running;
    expect(label.readyCheck()()).toBeDefined();
    expect(patches).toEqual([]);
  });
});
