import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sendJson, startFakeApiServer } from "./fake-api-server.ts";
import type { FakeApiServer, RecordedRequest } from "./fake-api-server.ts";
import { ResourceClient } from "./resource-client.ts";
import { RestClient } from "./rest-client.ts";
import type { KubeObject } from "./types.ts";

interface Widget extends KubeObject {
  spec?: { size?: number };
  status?: { ready?: boolean };
}

let server: FakeApiServer;
let widgets: ResourceClient<Widget>;
let clusterWidgets: ResourceClient<Widget>;

beforeAll(async () => {
  server = await startFakeApiServer();
  const rest = new RestClient(server.kubeConfig);
  widgets = new ResourceClient<Widget>(rest, { group: "example.dev", version: "v1", plural: "widgets", namespaced: true });
  clusterWidgets = new ResourceClient<Widget>(rest, { group: "example.dev", version: "v1", plural: "cwidgets", namespaced: false });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.requests.length = 0;
  server.respond((req, res) => sendJson(res, 200, { echo: req.method }));
});

function last(): RecordedRequest {
  const req = server.requests.at(-1);
  if (!req) throw new Error("no request was sent");
  return req;
}

const w: Widget = {
  apiVersion: "example.dev/v1",
  kind: "Widget",
  metadata: { namespace: "ns", name: "w1", resourceVersion: "7" },
  spec: { size: 2 },
};

describe("ResourceClient", () => {
  it("gets by namespace and name, and the status subresource", async () => {
    await widgets.get({ namespace: "ns", name: "w1" });
    expect(last()).toMatchObject({ method: "GET", url: expect.objectContaining({ pathname: "/apis/example.dev/v1/namespaces/ns/widgets/w1" }) });
    await widgets.getStatus({ namespace: "ns", name: "w1" });
    expect(last().url.pathname).toBe("/apis/example.dev/v1/namespaces/ns/widgets/w1/status");
    await clusterWidgets.get({ name: "c1" });
    expect(last().url.pathname).toBe("/apis/example.dev/v1/cwidgets/c1");
  });

  it("lists one page with selectors, limit, continue and resourceVersion", async () => {
    server.respond((_req, res) => sendJson(res, 200, { items: [w], metadata: { resourceVersion: "9", continue: "next" } }));
    const page = await widgets.list({ labelSelector: "app=x", fieldSelector: "spec.nodeName=n1", limit: 500, continue: "tok", resourceVersion: "3" });
    expect(page.metadata?.continue).toBe("next");
    expect(page.items).toHaveLength(1);
    const req = last();
    expect(req.url.pathname).toBe("/apis/example.dev/v1/widgets");
    expect(Object.fromEntries(req.url.searchParams)).toEqual({
      labelSelector: "app=x",
      fieldSelector: "spec.nodeName=n1",
      limit: "500",
      continue: "tok",
      resourceVersion: "3",
    });
    await widgets.list({ namespace: "ns" });
    expect(last().url.pathname).toBe("/apis/example.dev/v1/namespaces/ns/widgets");
  });

  it("creates in the object's namespace, with fieldManager and dryRun", async () => {
    await widgets.create(w, { fieldManager: "mgr", dryRun: true });
    const req = last();
    expect(req.method).toBe("POST");
    expect(req.url.pathname).toBe("/apis/example.dev/v1/namespaces/ns/widgets");
    expect(Object.fromEntries(req.url.searchParams)).toEqual({ fieldManager: "mgr", dryRun: "All" });
    expect(JSON.parse(req.body)).toEqual(w);
  });

  it("updates with PUT carrying the resourceVersion, and refuses without one", async () => {
    await widgets.update(w);
    expect(last()).toMatchObject({ method: "PUT" });
    expect(JSON.parse(last().body).metadata.resourceVersion).toBe("7");
    await widgets.updateStatus(w);
    expect(last().url.pathname).toBe("/apis/example.dev/v1/namespaces/ns/widgets/w1/status");
    const before = server.requests.length;
    await expect(widgets.update({ ...w, metadata: { namespace: "ns", name: "w1" } })).rejects.toThrow(/resourceVersion/);
    expect(server.requests.length).toBe(before);
  });

  it("sends a merge patch as application/merge-patch+json", async () => {
    await widgets.patch({ namespace: "ns", name: "w1" }, { type: "merge", patch: { spec: { size: 3 } } });
    expect(last().method).toBe("PATCH");
    expect(last().headers["content-type"]).toBe("application/merge-patch+json");
    expect(JSON.parse(last().body)).toEqual({ spec: { size: 3 } });
  });

  it("sends a JSON patch as application/json-patch+json, also to status", async () => {
    const ops = [{ op: "replace" as const, path: "/status/ready", value: true }];
    await widgets.patchStatus({ namespace: "ns", name: "w1" }, { type: "json", patch: ops });
    expect(last().url.pathname).toBe("/apis/example.dev/v1/namespaces/ns/widgets/w1/status");
    expect(last().headers["content-type"]).toBe("application/json-patch+json");
    expect(JSON.parse(last().body)).toEqual(ops);
  });

  it("server-side applies with apply-patch+yaml, fieldManager and force", async () => {
    await widgets.apply(w, { fieldManager: "mirrorkube", force: true });
    const req = last();
    expect(req.method).toBe("PATCH");
    expect(req.headers["content-type"]).toBe("application/apply-patch+yaml");
    expect(req.url.pathname).toBe("/apis/example.dev/v1/namespaces/ns/widgets/w1");
    expect(Object.fromEntries(req.url.searchParams)).toEqual({ fieldManager: "mirrorkube", force: "true" });
    await widgets.applyStatus(w, { fieldManager: "mirrorkube" });
    expect(last().url.pathname).toBe("/apis/example.dev/v1/namespaces/ns/widgets/w1/status");
    expect(Object.fromEntries(last().url.searchParams)).toEqual({ fieldManager: "mirrorkube" });
  });

  it("refuses to apply without a fieldManager", async () => {
    await expect(widgets.apply(w, { fieldManager: "" })).rejects.toThrow(/fieldManager/);
  });

  it("deletes with propagationPolicy, preconditions and grace period in DeleteOptions", async () => {
    await widgets.delete(
      { namespace: "ns", name: "w1" },
      { propagationPolicy: "Foreground", preconditions: { uid: "u1", resourceVersion: "7" }, gracePeriodSeconds: 0 },
    );
    const req = last();
    expect(req.method).toBe("DELETE");
    expect(req.url.pathname).toBe("/apis/example.dev/v1/namespaces/ns/widgets/w1");
    expect(JSON.parse(req.body)).toEqual({
      apiVersion: "v1",
      kind: "DeleteOptions",
      propagationPolicy: "Foreground",
      preconditions: { uid: "u1", resourceVersion: "7" },
      gracePeriodSeconds: 0,
    });
  });

  it("surfaces a 409 on update as an ApiError with code 409", async () => {
    server.respond((_req, res) => sendJson(res, 409, { kind: "Status", code: 409, reason: "Conflict", message: "modified" }));
    await expect(widgets.update(w)).rejects.toMatchObject({ name: "ApiError", code: 409, reason: "Conflict" });
  });

  it("watches with watch=true and the watch parameters, yielding raw lines", async () => {
    server.respond((_req, res) => {
      res.writeHead(200);
      res.end('{"type":"BOOKMARK"}\n');
    });
    const lines: string[] = [];
    const watch = widgets.watch({ namespace: "ns", resourceVersion: "5", timeoutSeconds: 300, allowWatchBookmarks: true }, new AbortController().signal);
    for await (const line of watch) lines.push(line);
    expect(lines).toEqual(['{"type":"BOOKMARK"}']);
    expect(last().url.pathname).toBe("/apis/example.dev/v1/namespaces/ns/widgets");
    expect(Object.fromEntries(last().url.searchParams)).toEqual({
      resourceVersion: "5",
      timeoutSeconds: "300",
      allowWatchBookmarks: "true",
      watch: "true",
    });
  });
});
