import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { KubeObject } from "../client/types.ts";
import { FakeClock } from "../queue/fake-clock.ts";
import { errorEvent, event, page, ScriptedTransport, waitUntil, widget } from "./fake-transport.ts";
import { Informer } from "./informer.ts";

interface Widget extends KubeObject {
  spec?: { nodeName?: string };
}

const informers: Informer<Widget>[] = [];

afterEach(async () => {
  for (const i of informers.splice(0)) await i.stop();
});

function newInformer(script: (t: ScriptedTransport) => void) {
  const transport = new ScriptedTransport();
  script(transport);
  const logs: { level: number; msg: string; event?: string; err?: { message: string } }[] = [];
  const logger = pino({}, { write: (line: string) => logs.push(JSON.parse(line)) });
  const informer = new Informer<Widget>({ resource: "widgets", transport, clock: new FakeClock(), random: () => 0, logger });
  informers.push(informer);
  return { informer, transport, logs };
}

const name = (o: KubeObject) => o.metadata?.name;

describe("Informer", () => {
  it("calls handlers synchronously in registration order for every event", async () => {
    const { informer, transport } = newInformer((t) =>
      t.onList(page("10", [widget("a", "1")])).onWatch(event("MODIFIED", widget("a", "11")), event("DELETED", widget("a", "12"))),
    );
    const calls: string[] = [];
    for (const h of ["first", "second"]) {
      informer.addEventHandler({
        add: (o) => calls.push(`${h} add ${name(o)}`),
        update: (o, n) => calls.push(`${h} update ${o.metadata?.resourceVersion}->${n.metadata?.resourceVersion}`),
        delete: (o, unknown) => calls.push(`${h} delete ${name(o)} ${unknown}`),
      });
    }
    informer.start();
    await waitUntil(() => transport.watchCalls.length === 2, "the watch reopens");
    expect(calls).toEqual([
      "first add a",
      "second add a",
      "first update 1->11",
      "second update 1->11",
      "first delete a false",
      "second delete a false",
    ]);
  });

  it("logs a throwing handler and keeps calling the others and delivering later events", async () => {
    const { informer, transport, logs } = newInformer((t) =>
      t.onList(page("10", [widget("a", "1")])).onWatch(event("ADDED", widget("b", "11"))),
    );
    const seen: string[] = [];
    informer.addEventHandler({
      add: () => {
        throw new Error("handler bug");
      },
    });
    informer.addEventHandler({ add: (o) => seen.push(name(o)!) });
    informer.start();
    await waitUntil(() => transport.watchCalls.length === 2, "the watch reopens");
    expect(seen).toEqual(["a", "b"]);
    expect(logs.filter((l) => l.msg === "event handler threw; continuing").map((l) => [l.event, l.err?.message])).toEqual([
      ["add", "handler bug"],
      ["add", "handler bug"],
    ]);
    expect(informer.store.keys().sort()).toEqual(["ns/a", "ns/b"]);
  });

  it("gives a handler added after sync a synthetic add for each cached object", async () => {
    const { informer } = newInformer((t) => t.onList(page("10", [widget("a", "1"), widget("b", "2")])));
    informer.start();
    expect(await informer.waitForSync()).toBe(true);
    const seen: string[] = [];
    informer.addEventHandler({ add: (o) => seen.push(name(o)!) });
    expect(seen.sort()).toEqual(["a", "b"]);
  });

  it("passes deletes found by a relist with finalStateUnknown and the last known state", async () => {
    const { informer, transport } = newInformer((t) =>
      t
        .onList(page("10", [widget("a", "1", { spec: { nodeName: "n1" } })]))
        .onWatch(event("ADDED", widget("b", "11")), errorEvent(410, "Expired"))
        .onList(page("20", [widget("b", "11")])),
    );
    const deletes: [Widget, boolean][] = [];
    informer.addEventHandler({ delete: (o, unknown) => deletes.push([o, unknown]) });
    informer.start();
    await waitUntil(() => transport.watchCalls.length === 2, "the watch reopens after the relist");
    expect(deletes).toEqual([[widget("a", "1", { spec: { nodeName: "n1" } }), true]]);
  });

  it("stops calling a handler once unregistered", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { informer } = newInformer((t) => t.onList(page("10", [widget("a", "1")])).onWatch({ gate }, event("ADDED", widget("b", "11"))));
    const seen: string[] = [];
    const unregister = informer.addEventHandler({ add: (o) => seen.push(name(o)!) });
    informer.start();
    await informer.waitForSync();
    unregister();
    release();
    await waitUntil(() => informer.store.size === 2, "b is cached");
    expect(seen).toEqual(["a"]);
  });

  it("keeps custom indexes up to date as objects change", async () => {
    const { informer } = newInformer((t) =>
      t
        .onList(page("10", [widget("a", "1", { spec: { nodeName: "n1" } }), widget("b", "2", { spec: { nodeName: "n1" } })]))
        .onWatch(event("MODIFIED", widget("a", "11", { spec: { nodeName: "n2" } }))),
    );
    informer.addIndexer("spec.nodeName", (o) => (o.spec?.nodeName ? [o.spec.nodeName] : []));
    informer.start();
    await waitUntil(() => informer.lastSyncResourceVersion === "11", "the update arrives");
    expect(informer.store.byIndex("spec.nodeName", "n1").map(name)).toEqual(["b"]);
    expect(informer.store.byIndex("spec.nodeName", "n2").map(name)).toEqual(["a"]);
    expect(informer.store.byIndex("namespace", "ns").map(name).sort()).toEqual(["a", "b"]);
  });
});

describe("Informer sync", () => {
  it("is not synced while the first list is pending; waiters get false on abort or stop", async () => {
    const { informer, transport } = newInformer(() => {});
    informer.start();
    const synced = informer.waitForSync();
    await waitUntil(() => transport.listCalls.length === 1, "the list starts");
    expect(informer.hasSynced()).toBe(false);
    const aborted = new AbortController();
    const early = informer.waitForSync(aborted.signal);
    aborted.abort();
    expect(await early).toBe(false);
    await informer.stop();
    expect(await synced).toBe(false);
    expect(await informer.waitForSync()).toBe(false);
  });

  it("resolves waitForSync true once listed", async () => {
    const { informer } = newInformer((t) => t.onList(page("10", [widget("a", "1")])));
    const synced = informer.waitForSync();
    informer.start();
    expect(await synced).toBe(true);
    expect(informer.hasSynced()).toBe(true);
    expect(await informer.waitForSync()).toBe(true);
  });

  it("cannot start again after stop", async () => {
    const { informer } = newInformer(() => {});
    informer.start();
    informer.start(); // idempotent while running
    await informer.stop();
    expect(() => informer.start()).toThrow(/cannot start again/);
  });
});
