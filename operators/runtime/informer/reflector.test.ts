import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "../client/api-error.ts";
import type { KubeObject } from "../client/types.ts";
import { metricValue } from "../metrics.ts";
import { FakeClock } from "../queue/fake-clock.ts";
import { bookmark, errorEvent, event, page, ScriptedTransport, waitUntil, widget } from "./fake-transport.ts";
import { Reflector } from "./reflector.ts";
import type { ReflectorListener } from "./reflector.ts";
import { Store } from "./store.ts";

const describeObj = (o: KubeObject) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`;

let resourceSeq = 0;
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** A running reflector over a scripted transport, a fake clock, and a listener that records what it is told. */
function start(script: (t: ScriptedTransport) => void, random = () => 0) {
  const transport = new ScriptedTransport();
  script(transport);
  const clock = new FakeClock();
  const store = new Store<KubeObject>();
  const events: string[] = [];
  const logs: { level: number; msg: string; reason?: string; err?: { message: string } }[] = [];
  const listener: ReflectorListener<KubeObject> = {
    onAdd: (o) => events.push(`add ${describeObj(o)}`),
    onUpdate: (o, n) => events.push(`update ${describeObj(o)} -> ${n.metadata?.resourceVersion}`),
    onDelete: (o, unknown) => events.push(`delete ${describeObj(o)}${unknown ? " (final state unknown)" : ""}`),
    onSynced: () => events.push("synced"),
  };
  const resource = `widgets-${resourceSeq++}`;
  const logger = pino({ level: "debug" }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const reflector = new Reflector<KubeObject>({ resource, transport, store, listener, clock, random, logger });
  const abort = new AbortController();
  const running = reflector.run(abort.signal);
  const stop = async () => {
    abort.abort();
    await running;
  };
  stops.push(stop);
  /** The one pending timer that is a backoff sleep, once the reflector is in it (watch and list deadlines are far longer). */
  const backoffSleep = async () => {
    await waitUntil(() => clock.pendingDelays().length === 1 && clock.pendingDelays()[0]! <= 30_000, "the reflector sleeps");
    return clock.pendingDelays()[0]!;
  };
  return { transport, clock, store, events, logs, reflector, resource, stop, backoffSleep };
}

describe("Reflector list and watch", () => {
  it("lists, then watches from the list's resourceVersion and applies adds, updates and deletes", async () => {
    const r = start((t) =>
      t
        .onList(page("10", [widget("a", "5"), widget("b", "6")]))
        .onWatch(event("ADDED", widget("c", "11")), event("MODIFIED", widget("a", "12")), event("DELETED", widget("b", "13"))),
    );
    await waitUntil(() => r.transport.watchCalls.length === 2, "the watch is reopened");
    expect(r.events).toEqual(["add a@5", "add b@6", "synced", "add c@11", "update a@5 -> 12", "delete b@13"]);
    expect(r.transport.listCalls).toEqual([{ limit: 500, continue: undefined }]);
    expect(r.transport.watchCalls[0]).toEqual({ resourceVersion: "10", timeoutSeconds: 300, allowWatchBookmarks: true });
    // The server closed the first watch; the next starts where it ended, without a relist.
    expect(r.transport.watchCalls[1]?.resourceVersion).toBe("13");
    expect(r.store.keys().sort()).toEqual(["ns/a", "ns/c"]);
    expect(r.store.get("ns/a")?.metadata?.resourceVersion).toBe("12");
  });

  it("picks a watch timeout in [5, 10) minutes", async () => {
    const r = start((t) => t.onList(page("1", [])), () => 0.999);
    await waitUntil(() => r.transport.watchCalls.length === 1, "the watch opens");
    expect(r.transport.watchCalls[0]?.timeoutSeconds).toBe(599);
  });

  it("follows continue tokens and watches from the snapshot's resourceVersion", async () => {
    const r = start((t) =>
      t.onList(page("10", [widget("a", "1")], "t1"), page("10", [widget("b", "2")], "t2"), page("10", [widget("c", "3")])),
    );
    await waitUntil(() => r.transport.watchCalls.length === 1, "the watch opens");
    expect(r.transport.listCalls).toEqual([
      { limit: 500, continue: undefined },
      { limit: 500, continue: "t1" },
      { limit: 500, continue: "t2" },
    ]);
    expect(r.events).toEqual(["add a@1", "add b@2", "add c@3", "synced"]);
    expect(r.transport.watchCalls[0]?.resourceVersion).toBe("10");
  });

  it("relists unpaginated when a continue token expires, without duplicate adds", async () => {
    const r = start((t) =>
      t.onList(page("10", [widget("a", "1")], "t1"), { fail: new ApiError(410, "Expired", "continue too old") }, page("11", [widget("a", "1"), widget("b", "2")])),
    );
    await waitUntil(() => r.transport.watchCalls.length === 1, "the watch opens");
    expect(r.transport.listCalls[2]).toEqual({ limit: undefined, continue: undefined });
    expect(r.events).toEqual(["add a@1", "add b@2", "synced"]);
    expect(r.transport.watchCalls[0]?.resourceVersion).toBe("11");
  });

  it("fills apiVersion and kind of list items from the list", async () => {
    const r = start((t) => t.onList({ apiVersion: "v1", kind: "PodList", metadata: { resourceVersion: "3" }, items: [{ metadata: { namespace: "ns", name: "p" } }] }));
    await waitUntil(() => r.events.includes("synced"), "synced");
    expect(r.store.get("ns/p")).toMatchObject({ apiVersion: "v1", kind: "Pod" });
  });
});

describe("Reflector bookmarks", () => {
  it("advances the resourceVersion on a bookmark and emits nothing for it", async () => {
    const r = start((t) => t.onList(page("10", [widget("a", "5")])).onWatch(bookmark("20")));
    await waitUntil(() => r.transport.watchCalls.length === 2, "the watch is reopened");
    expect(r.transport.watchCalls[1]?.resourceVersion).toBe("20");
    expect(r.events).toEqual(["add a@5", "synced"]);
    expect(r.reflector.lastSyncResourceVersion).toBe("20");
  });
});

describe("Reflector on 410 Gone", () => {
  it("relists after an ERROR 410 event and diffs: deletes for vanished objects, updates only for changed ones", async () => {
    const r = start((t) =>
      t
        .onList(page("10", [widget("a", "5"), widget("b", "6"), widget("c", "7")]))
        .onWatch(event("MODIFIED", widget("a", "11")), errorEvent(410, "Expired"))
        .onList(page("20", [widget("a", "11"), widget("c", "15"), widget("d", "16")])),
    );
    await waitUntil(() => r.transport.watchCalls.length === 2, "the watch reopens after the relist");
    expect(r.events).toEqual([
      "add a@5",
      "add b@6",
      "add c@7",
      "synced",
      "update a@5 -> 11",
      "delete b@6 (final state unknown)",
      "add d@16",
      "update c@7 -> 15",
    ]);
    expect(r.transport.listCalls).toHaveLength(2);
    expect(r.transport.watchCalls[1]?.resourceVersion).toBe("20");
    expect(r.store.keys().sort()).toEqual(["ns/a", "ns/c", "ns/d"]);
  });

  it("relists after an HTTP 410, backing off first when the watch brought nothing", async () => {
    const r = start((t) =>
      t
        .onList(page("10", [widget("a", "5")]))
        .onWatch(event("ADDED", widget("b", "11")))
        .onWatch({ fail: new ApiError(410, "Expired", "too old resource version") })
        .onList(page("30", [widget("b", "11")])),
    );
    expect(await r.backoffSleep()).toBe(400);
    expect(r.transport.listCalls).toHaveLength(1);
    r.clock.advance(400);
    await waitUntil(() => r.transport.watchCalls.length === 3, "the watch reopens after the relist");
    expect(r.events).toEqual(["add a@5", "synced", "add b@11", "delete a@5 (final state unknown)"]);
    expect(r.transport.watchCalls.map((c) => c.resourceVersion)).toEqual(["10", "11", "30"]);
  });
});

describe("Reflector on errors", () => {
  it("reconnects from the last resourceVersion with growing backoff and loses no event", async () => {
    const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const r = start((t) =>
      t
        .onList(page("10", [widget("a", "5")]))
        .onWatch(event("ADDED", widget("b", "11")), { fail: reset })
        .onWatch({ fail: refused })
        .onWatch({ fail: refused })
        .onWatch(event("ADDED", widget("c", "12"))),
    );
    // The first failure came after an event: reconnect at once. Then two failures in a row back off.
    expect(await r.backoffSleep()).toBe(400);
    r.clock.advance(400);
    expect(await r.backoffSleep()).toBe(800);
    r.clock.advance(800);
    await waitUntil(() => r.transport.watchCalls.length === 5, "the watch reopens after the event");
    expect(r.transport.watchCalls.map((c) => c.resourceVersion)).toEqual(["10", "11", "11", "11", "12"]);
    expect(r.transport.listCalls).toHaveLength(1);
    expect(r.events).toEqual(["add a@5", "synced", "add b@11", "add c@12"]);
    expect(r.logs.filter((l) => l.msg === "list/watch failed; retrying after backoff").map((l) => l.err?.message)).toEqual([
      "connect ECONNREFUSED",
      "connect ECONNREFUSED",
    ]);
  });

  it("never gives up, and caps the backoff at 30 s", async () => {
    const r = start((t) => {
      t.onList(page("10", []));
      for (let i = 0; i < 11; i++) t.onWatch({ fail: new Error(`down ${i}`) });
    }, () => 1);
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      delays.push(await r.backoffSleep());
      r.clock.advance(delays.at(-1)!);
    }
    // The list counted as progress, so the first failed watch is retried at once; the backoff starts with the second.
    expect(delays).toEqual([800, 1600, 3200, 6400, 12800, 25600, 30000, 30000, 30000, 30000]);
    await waitUntil(() => r.transport.watchCalls.length === 12, "it is still watching");
  });

  it("retries a failed list with backoff", async () => {
    const r = start((t) => t.onList({ fail: new ApiError(503, "ServiceUnavailable", "starting") }, page("10", [widget("a", "1")])));
    expect(await r.backoffSleep()).toBe(400);
    r.clock.advance(400);
    await waitUntil(() => r.events.includes("synced"), "synced");
    expect(r.transport.listCalls).toHaveLength(2);
  });

  it("treats a non-410 ERROR event as a failure and rewatches from the same resourceVersion", async () => {
    const r = start((t) => t.onList(page("10", [])).onWatch(errorEvent(500, "InternalError")));
    await waitUntil(() => r.transport.watchCalls.length === 2, "the watch reopens");
    expect(r.transport.watchCalls[1]?.resourceVersion).toBe("10");
    expect(r.transport.listCalls).toHaveLength(1);
    expect(r.logs.find((l) => l.msg === "watch failed; reconnecting")?.err).toMatchObject({ code: 500, reason: "InternalError" });
  });

  it("counts and logs a line that does not parse, skips it, and delivers later events", async () => {
    const r = start((t) =>
      t
        .onList(page("10", []))
        .onWatch({ line: "this is not json" }, { line: JSON.stringify({ type: "ADDED", object: { metadata: {} } }) }, event("ADDED", widget("a", "11"))),
    );
    await waitUntil(() => r.transport.watchCalls.length === 2, "the watch reopens");
    expect(r.events).toEqual(["synced", "add a@11"]);
    expect(await metricValue("mirrorkube_reflector_parse_errors_total", { resource: r.resource })).toBe(2);
    const errors = r.logs.filter((l) => l.level === 50);
    expect(errors.map((l) => l.reason)).toEqual([expect.stringMatching(/^not JSON/), "ADDED event without a named object"]);
    expect(r.transport.watchCalls[1]?.resourceVersion).toBe("11");
  });
});

describe("Reflector watchdogs", () => {
  it("aborts a watch silent past its timeout plus margin and reconnects from the last resourceVersion", async () => {
    const r = start((t) => t.onList(page("10", [])).onWatch(event("ADDED", widget("a", "11")), { hang: true }));
    await waitUntil(() => r.events.includes("add a@11"), "the event arrives");
    r.clock.advance(315_000 - 1);
    await waitUntil(() => r.clock.pending() === 1, "the reflector settles");
    expect(r.transport.watchCalls).toHaveLength(1);
    r.clock.advance(1);
    await waitUntil(() => r.transport.watchCalls.length === 2, "the watch reopens");
    expect(r.transport.watchCalls[1]?.resourceVersion).toBe("11");
    expect(r.logs.some((l) => l.err?.message.startsWith("watch stalled"))).toBe(true);
  });

  it("lets any line, a bookmark included, keep the watch alive", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const r = start((t) => t.onList(page("10", [])).onWatch({ gate }, bookmark("12"), { hang: true }));
    await waitUntil(() => r.transport.watchCalls.length === 1, "the watch opens");
    r.clock.advance(200_000);
    release();
    await waitUntil(() => r.reflector.lastSyncResourceVersion === "12", "the bookmark arrives");
    r.clock.advance(200_000); // 400 s since the watch opened, 200 s since its last line
    await waitUntil(() => r.clock.pending() === 1, "the reflector settles");
    expect(r.transport.watchCalls).toHaveLength(1);
    r.clock.advance(115_000);
    await waitUntil(() => r.transport.watchCalls.length === 2, "the watch reopens");
    expect(r.transport.watchCalls[1]?.resourceVersion).toBe("12");
  });

  it("gives up on a list page that never answers and retries it", async () => {
    const r = start(() => {});
    await waitUntil(() => r.transport.listCalls.length === 1, "the list starts");
    r.transport.onList(page("10", [widget("a", "1")]));
    r.clock.advance(120_000);
    expect(await r.backoffSleep()).toBe(400);
    r.clock.advance(400);
    await waitUntil(() => r.events.includes("synced"), "synced");
    expect(r.logs.some((l) => l.err?.message.includes("no answer"))).toBe(true);
  });
});

describe("Reflector.run", () => {
  it("returns when its signal aborts, whatever it is waiting for", async () => {
    const r = start((t) => t.onList(page("10", [])));
    await waitUntil(() => r.transport.watchCalls.length === 1, "the watch opens");
    await r.stop();
    expect(r.clock.pending()).toBe(0);
  });
});
