import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { RestClient } from "../client/rest-client.ts";
import { sendJson, startFakeApiServer } from "../client/fake-api-server.ts";
import type { FakeApiServer } from "../client/fake-api-server.ts";
import { FakeClock } from "../queue/fake-clock.ts";
import { page, ScriptedTransport, waitUntil, widget } from "./fake-transport.ts";
import type { InformerSpec } from "./rest-transport.ts";
import { SharedInformerFactory } from "./shared-informer-factory.ts";

const widgets: InformerSpec = { group: "example.dev", version: "v1", plural: "widgets", namespaced: true };
const silent = pino({ level: "silent" });
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function scriptedFactory() {
  const transports: { spec: InformerSpec; transport: ScriptedTransport }[] = [];
  const factory = new SharedInformerFactory({
    clock: new FakeClock(),
    logger: silent,
    transportFor: (spec) => {
      const transport = new ScriptedTransport().onList(page("10", [widget(`${spec.plural}-0`, "1")]));
      transports.push({ spec, transport });
      return transport;
    },
  });
  cleanups.push(() => factory.stop());
  return { factory, transports };
}

describe("SharedInformerFactory", () => {
  it("shares one informer per resource slice and makes a new one for another slice", () => {
    const { factory, transports } = scriptedFactory();
    const a = factory.informerFor(widgets);
    expect(factory.informerFor({ ...widgets })).toBe(a);
    expect(factory.informerFor({ ...widgets, namespace: "team-a" })).not.toBe(a);
    expect(factory.informerFor({ ...widgets, labelSelector: "app=x" })).not.toBe(a);
    expect(factory.informerFor({ ...widgets, plural: "gadgets" })).not.toBe(a);
    expect(transports).toHaveLength(4);
    expect(a.resource).toBe("widgets.example.dev");
  });

  it("starts every informer, including ones asked for after start, and waits for all to sync", async () => {
    const { factory, transports } = scriptedFactory();
    const early = factory.informerFor(widgets);
    expect(transports[0]?.transport.listCalls).toHaveLength(0); // nothing runs before start
    factory.start();
    const late = factory.informerFor({ ...widgets, plural: "gadgets" });
    expect(await factory.waitForSync()).toBe(true);
    expect(factory.hasSynced()).toBe(true);
    expect(early.store.keys()).toEqual(["ns/widgets-0"]);
    expect(late.store.keys()).toEqual(["ns/gadgets-0"]);
  });

  it("stops every informer", async () => {
    const { factory, transports } = scriptedFactory();
    const informer = factory.informerFor(widgets);
    factory.start();
    await factory.waitForSync();
    await waitUntil(() => transports[0]!.transport.watchCalls.length === 1, "the watch opens");
    await factory.stop();
    expect(() => informer.start()).toThrow(/cannot start again/);
  });
});

describe("SharedInformerFactory over REST", () => {
  let server: FakeApiServer;

  it("lists and watches the slice through the REST client, with its namespace and selectors", async () => {
    server = await startFakeApiServer();
    cleanups.push(() => server.close());
    server.respond((req, res) => {
      if (req.url.searchParams.get("watch") !== "true") {
        sendJson(res, 200, page("10", [widget("a", "1")]));
        return;
      }
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write(`${JSON.stringify({ type: "ADDED", object: widget("b", "11") })}\n`); // and stays open
    });
    const factory = SharedInformerFactory.forRestClient(new RestClient(server.kubeConfig), { logger: silent });
    cleanups.push(() => factory.stop());
    const informer = factory.informerFor({ ...widgets, namespace: "ns", labelSelector: "app=x", fieldSelector: "spec.n=1" });
    factory.start();
    await waitUntil(() => informer.store.size === 2, "both objects are cached");
    const [list, watch] = server.requests;
    expect(list?.url.pathname).toBe("/apis/example.dev/v1/namespaces/ns/widgets");
    expect(Object.fromEntries(list!.url.searchParams)).toEqual({ labelSelector: "app=x", fieldSelector: "spec.n=1", limit: "500" });
    expect(watch?.url.pathname).toBe("/apis/example.dev/v1/namespaces/ns/widgets");
    expect(Object.fromEntries(watch!.url.searchParams)).toMatchObject({
      labelSelector: "app=x",
      fieldSelector: "spec.n=1",
      resourceVersion: "10",
      allowWatchBookmarks: "true",
      watch: "true",
    });
  });
});
