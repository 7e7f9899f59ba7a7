import { describe, expect, it } from "vitest";
import { ApiError } from "../client/index.ts";
import { metricValue } from "../metrics.ts";
import { FakeClock } from "../queue/fake-clock.ts";
import { RateLimitingQueue } from "../queue/index.ts";
import { controllerOwnerRequest } from "./builder.ts";
import { Controller } from "./controller.ts";
import { TerminalError, type Reconciler, type Result } from "./request.ts";

/** A controller on a fake clock whose reconciler answers from a script, one answer per call. */
function harness(name: string, answers: (() => Result | void)[]) {
  const clock = new FakeClock();
  const seen: string[] = [];
  const reconciler: Reconciler = async (req) => {
    seen.push(`${req.namespace}/${req.name}`);
    const next = answers.shift();
    return next?.();
  };
  const controller = new Controller({ name, reconciler, queue: new RateLimitingQueue<string>({ clock }) });
  const stop = new AbortController();
  controller.start(stop.signal);
  /** Lets the workers run until the reconciler has been called `n` times. */
  const settle = async (n: number) => {
    for (let i = 0; i < 1000 && seen.length < n; i++) await new Promise((r) => setImmediate(r));
    expect(seen).toHaveLength(n);
  };
  return { clock, seen, controller, settle, stop: () => controller.stop() };
}

describe("Controller", () => {
  it("forgets a key after success and counts it", async () => {
    const h = harness("c-success", [() => undefined]);
    h.controller.enqueue({ namespace: "ns", name: "a" });
    await h.settle(1);
    await h.stop();
    expect(h.controller.queue.numRequeues("ns/a")).toBe(0);
    expect(await metricValue("controller_runtime_reconcile_total", { controller: "c-success", result: "success" })).toBe(1);
  });

  it("retries an error with backoff, then succeeds", async () => {
    const h = harness("c-error", [
      () => {
        throw new Error("boom");
      },
      () => undefined,
    ]);
    h.controller.enqueue({ namespace: "ns", name: "a" });
    await h.settle(1);
    expect(h.controller.queue.numRequeues("ns/a")).toBe(1);
    h.clock.advance(5); // the first per-item backoff step
    await h.settle(2);
    await h.stop();
    expect(await metricValue("controller_runtime_reconcile_errors_total", { controller: "c-error" })).toBe(1);
    expect(h.controller.queue.numRequeues("ns/a")).toBe(0);
  });

  it("requeues a conflict without counting an error", async () => {
    const h = harness("c-conflict", [
      () => {
        throw new ApiError(409, "Conflict", "the object has been modified");
      },
      () => undefined,
    ]);
    h.controller.enqueue({ namespace: "ns", name: "a" });
    await h.settle(1);
    h.clock.advance(5);
    await h.settle(2);
    await h.stop();
    expect(await metricValue("controller_runtime_reconcile_total", { controller: "c-conflict", result: "requeue" })).toBe(1);
    expect(await metricValue("controller_runtime_reconcile_errors_total", { controller: "c-conflict" })).toBe(0);
  });

  it("drops work refused because its namespace is terminating, without an error", async () => {
    const h = harness("c-ns-terminating", [
      () => {
        throw new ApiError(403, "Forbidden", "unable to create new content in namespace ns because it is being terminated", { causes: [{ reason: "NamespaceTerminating", field: "metadata.namespace" }] });
      },
    ]);
    h.controller.enqueue({ namespace: "ns", name: "a" });
    await h.settle(1);
    h.clock.advance(1000);
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    await h.stop();
    expect(h.seen).toHaveLength(1);
    expect(h.controller.queue.numRequeues("ns/a")).toBe(0);
    expect(await metricValue("controller_runtime_reconcile_errors_total", { controller: "c-ns-terminating" })).toBe(0);
  });

  it("reconciles again after requeueAfter", async () => {
    const h = harness("c-after", [() => ({ requeueAfterMs: 30_000 }), () => undefined]);
    h.controller.enqueue({ namespace: "", name: "cluster-scoped" });
    await h.settle(1);
    h.clock.advance(29_999);
    await new Promise((r) => setImmediate(r));
    expect(h.seen).toHaveLength(1);
    h.clock.advance(1);
    await h.settle(2);
    await h.stop();
    expect(h.seen).toEqual(["/cluster-scoped", "/cluster-scoped"]);
  });

  it("does not retry a terminal error", async () => {
    const h = harness("c-terminal", [
      () => {
        throw new TerminalError("bad input");
      },
    ]);
    h.controller.enqueue({ namespace: "ns", name: "a" });
    await h.settle(1);
    h.clock.advance(60_000);
    await new Promise((r) => setImmediate(r));
    await h.stop();
    expect(h.seen).toHaveLength(1);
    expect(await metricValue("controller_runtime_terminal_reconcile_errors_total", { controller: "c-terminal" })).toBe(1);
  });
});

describe("controllerOwnerRequest", () => {
  const owner = { group: "apps.mirrorkube.dev", version: "v1alpha1", plural: "replicasets", kind: "ReplicaSet", namespaced: true };
  const pod = (apiVersion: string, kind: string, controller = true) => ({
    metadata: { namespace: "ns", name: "p", ownerReferences: [{ apiVersion, kind, name: "rs", uid: "u", controller }] },
  });

  it("maps an owned object to its controller owner of the same kind and group", () => {
    expect(controllerOwnerRequest(pod("apps.mirrorkube.dev/v1alpha1", "ReplicaSet"), owner)).toEqual({ namespace: "ns", name: "rs" });
  });

  it("ignores owners of another group, another kind, or non-controller references", () => {
    expect(controllerOwnerRequest(pod("apps/v1", "ReplicaSet"), owner)).toBeUndefined();
    expect(controllerOwnerRequest(pod("apps.mirrorkube.dev/v1alpha1", "StatefulSet"), owner)).toBeUndefined();
    expect(controllerOwnerRequest(pod("apps.mirrorkube.dev/v1alpha1", "ReplicaSet", false), owner)).toBeUndefined();
  });
});
