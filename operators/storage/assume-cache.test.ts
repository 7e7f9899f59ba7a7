import { describe, expect, it } from "vitest";
import type { KubeObject } from "../runtime/client/index.ts";
import { Store } from "../runtime/informer/store.ts";
import { AssumeCache } from "./assume-cache.ts";

const obj = (name: string, rv: string, note = ""): KubeObject & { note: string } => ({ metadata: { name, resourceVersion: rv }, note });

describe("AssumeCache", () => {
  it("shows our write until the informer delivers it or something newer", () => {
    const store = new Store<KubeObject & { note: string }>();
    store.upsert(obj("a", "5"));
    const cache = new AssumeCache(store);
    cache.assume("a", obj("a", "6", "ours"));
    expect(cache.get("a")?.note).toBe("ours");
    store.upsert(obj("a", "6", "ours"));
    expect(cache.get("a")?.metadata?.resourceVersion).toBe("6");
    store.upsert(obj("a", "9", "theirs"));
    expect(cache.get("a")?.note).toBe("theirs");
    expect(cache.list().map((o) => o.note)).toEqual(["theirs"]);
  });

  it("keeps a decision made on the current version until a newer one arrives, and restores on request", () => {
    const store = new Store<KubeObject & { note: string }>();
    store.upsert(obj("a", "5"));
    const cache = new AssumeCache(store);
    cache.assume("a", obj("a", "5", "decided"));
    expect(cache.get("a")?.note).toBe("decided");
    cache.restore("a");
    expect(cache.get("a")?.note).toBe("");
  });

  it("never assumes over something newer, and forgets objects that are gone", () => {
    const store = new Store<KubeObject & { note: string }>();
    store.upsert(obj("a", "8", "newer"));
    const cache = new AssumeCache(store);
    cache.assume("a", obj("a", "7", "stale"));
    expect(cache.get("a")?.note).toBe("newer");
    cache.assume("a", obj("a", "9", "ours"));
    store.remove("a");
    expect(cache.get("a")).toBeUndefined();
  });
});
