import type http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResourceClient, RestClient, type KubeObject } from "../../runtime/client/index.ts";
import { sendJson, startFakeApiServer, type FakeApiServer, type RecordedRequest } from "../../runtime/client/fake-api-server.ts";
import { deploymentRolloutStatus, type DeploymentObject } from "./deployment-status.ts";
import { watchStatus } from "./watch-status.ts";

const d = (resourceVersion: string, updated: number, available = updated): DeploymentObject => ({
  metadata: { name: "web", namespace: "ns", generation: 1, resourceVersion },
  spec: { replicas: 2, template: { spec: { containers: [] } } as never },
  status: { observedGeneration: 1, replicas: 2, updatedReplicas: updated, availableReplicas: available },
});

const line = (type: string, object: unknown) => `${JSON.stringify({ type, object })}\n`;

describe("watchStatus", () => {
  let server: FakeApiServer;
  let client: ResourceClient<KubeObject>;
  let rest: RestClient;
  beforeAll(async () => {
    server = await startFakeApiServer();
    rest = new RestClient(server.kubeConfig);
    client = new ResourceClient<KubeObject>(rest, { group: "apps.mirrorkube.dev", version: "v1alpha1", plural: "deployments", namespaced: true });
  });
  afterAll(async () => {
    rest.close();
    await server.close();
  });

  /** The GET answers `first`; each watch request gets the next script of lines (then ends). */
  function serve(first: KubeObject, watches: string[][], hold = false) {
    let n = 0;
    server.respond((req: RecordedRequest, res: http.ServerResponse) => {
      if (req.url.searchParams.get("watch") !== "true") return sendJson(res, 200, first);
      res.writeHead(200, { "Content-Type": "application/json" });
      for (const l of watches[n++] ?? []) res.write(l);
      if (!hold) res.end();
    });
  }

  const run = async (opts: { watch?: boolean; timeoutMs?: number } = {}) => {
    const printed: string[] = [];
    const outcome = await watchStatus({
      client,
      namespace: "ns",
      name: "web",
      status: (o) => deploymentRolloutStatus(o as DeploymentObject, 0),
      watch: opts.watch ?? true,
      timeoutMs: opts.timeoutMs ?? 0,
      out: (t) => printed.push(t),
    }).then(
      () => "ok",
      (err: Error) => err.message,
    );
    return { outcome, printed };
  };

  it("prints the status of every change until done, resuming a watch the server ended from the last version", async () => {
    server.requests.length = 0;
    serve(d("1", 0), [[line("MODIFIED", d("2", 1))], [line("BOOKMARK", { metadata: { resourceVersion: "5" } }), line("MODIFIED", d("6", 2))]]);
    const { outcome, printed } = await run();
    expect(outcome).toBe("ok");
    expect(printed).toEqual([
      'Waiting for deployment "web" rollout to finish: 0 out of 2 new replicas have been updated...\n',
      'Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...\n',
      'deployment "web" successfully rolled out\n',
    ]);
    const watches = server.requests.filter((r) => r.url.searchParams.get("watch") === "true");
    expect(watches.map((r) => [r.url.searchParams.get("resourceVersion"), r.url.searchParams.get("fieldSelector")])).toEqual([
      ["1", "metadata.name=web"],
      ["2", "metadata.name=web"],
    ]);
  });

  it("with --watch=false prints once", async () => {
    serve(d("1", 0), []);
    expect(await run({ watch: false })).toEqual({ outcome: "ok", printed: ['Waiting for deployment "web" rollout to finish: 0 out of 2 new replicas have been updated...\n'] });
  });

  it("fails when the object is deleted, and reads it afresh after a 410", async () => {
    serve(d("1", 0), [[line("DELETED", d("3", 0))]]);
    expect((await run()).outcome).toBe("object has been deleted");
    // The fresh read is the same unfinished object; the next watch ends the rollout.
    let watched = 0;
    server.respond((req, res) => {
      if (req.url.searchParams.get("watch") !== "true") return sendJson(res, 200, d(String(10 + watched), 1));
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(watched++ === 0 ? line("ERROR", { kind: "Status", code: 410, reason: "Expired", message: "too old" }) : line("MODIFIED", d("20", 2)));
    });
    const { outcome, printed } = await run();
    expect(outcome).toBe("ok");
    expect(printed.at(-1)).toBe('deployment "web" successfully rolled out\n');
  });

  it("gives up after the timeout with kubectl's message", async () => {
    serve(d("1", 0), [[]], true);
    expect((await run({ timeoutMs: 300 })).outcome).toBe("timed out waiting for the condition");
  });
});
