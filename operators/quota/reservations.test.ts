import { describe, expect, it } from "vitest";
import { Quantity } from "../common/quantity.ts";
import { NamespaceLock } from "./namespace-lock.ts";
import { Reservations, RESERVATION_TTL_MS } from "./reservations.ts";

const one = new Map([["pods", Quantity.fromValue(1)]]);

describe("Reservations", () => {
  it("holds a charge until the cache shows the object at the admitted generation, or the deadline passes", () => {
    let now = 0;
    const r = new Reservations(() => now);
    r.add({ namespace: "ns", quota: "q", resource: "services", uid: "a", generation: 3, delta: one });
    r.add({ namespace: "ns", quota: "q", resource: "services", uid: "b", generation: 1, delta: one });
    r.observe("ns", "services", "a", 2);
    expect(r.pending("ns", "q")).toHaveLength(2);
    r.observe("ns", "services", "a", 3);
    r.observe("ns", "pods", "b", 1);
    expect(r.pending("ns", "q")).toHaveLength(1);
    expect(r.pending("ns", "other")).toHaveLength(0);
    now = RESERVATION_TTL_MS + 1;
    expect(r.pending("ns", "q")).toHaveLength(0);
  });

  it("forgets an object that is gone", () => {
    const r = new Reservations();
    r.add({ namespace: "ns", quota: "q", resource: "pods", uid: "a", generation: 1, delta: one });
    r.forget("ns", "a");
    expect(r.pending("ns", "q")).toHaveLength(0);
  });
});

describe("NamespaceLock", () => {
  it("runs one holder at a time per namespace, in order, and namespaces in parallel", async () => {
    const lock = new NamespaceLock();
    const log: string[] = [];
    const step = (ns: string, id: string) =>
      lock.run(ns, async () => {
        log.push(`${id}+`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`${id}-`);
      });
    await Promise.all([step("a", "1"), step("a", "2"), step("b", "3"), step("a", "4")]);
    const a = log.filter((e) => ["1", "2", "4"].includes(e[0] ?? ""));
    expect(a).toEqual(["1+", "1-", "2+", "2-", "4+", "4-"]);
    expect(log.indexOf("3+")).toBeLessThan(log.indexOf("1-"));
  });

  it("releases after a failure", async () => {
    const lock = new NamespaceLock();
    await expect(lock.run("a", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(lock.run("a", async () => "next")).resolves.toBe("next");
  });
});
