import { describe, expect, it } from "vitest";
import { filterActivePods, isPodActive, isPodAvailable, isPodReady, maxContainerRestarts, podReadyTime } from "./pod.ts";
import { ago, makePod, NOW } from "./testing.ts";

describe("isPodActive", () => {
  it.each([
    ["Pending", true],
    ["Running", true],
    ["Unknown", true],
    ["Succeeded", false],
    ["Failed", false],
  ] as const)("a %s pod is active: %s", (phase, active) => {
    expect(isPodActive(makePod({ phase }))).toBe(active);
  });

  it("does not count a pod being deleted", () => {
    expect(isPodActive(makePod({ phase: "Running", deleting: true }))).toBe(false);
  });

  it("filters the active pods, in order", () => {
    const a = makePod({ phase: "Running" });
    const b = makePod({ phase: "Failed" });
    const c = makePod({ phase: "Pending" });
    expect(filterActivePods([a, b, c])).toEqual([a, c]);
  });
});

describe("isPodReady", () => {
  it("is the Ready condition being True", () => {
    expect(isPodReady(makePod({ readySince: 5 }))).toBe(true);
    expect(isPodReady(makePod({ readySince: false }))).toBe(false);
    expect(isPodReady(makePod())).toBe(false);
  });

  it("knows when the pod became ready", () => {
    expect(podReadyTime(makePod({ readySince: 5 }))).toBe(ago(5));
    expect(podReadyTime(makePod({ readySince: false }))).toBeUndefined();
  });
});

describe("isPodAvailable", () => {
  it("is ready when minReadySeconds is 0, even without a transition time", () => {
    expect(isPodAvailable(makePod({ readySince: 0 }), 0, NOW)).toBe(true);
    expect(isPodAvailable(makePod({ readyNoTime: true }), 0, NOW)).toBe(true);
    expect(isPodAvailable(makePod({ readySince: false }), 0, NOW)).toBe(false);
  });

  it("needs to have been ready for strictly longer than minReadySeconds", () => {
    expect(isPodAvailable(makePod({ readySince: 11 }), 10, NOW)).toBe(true);
    expect(isPodAvailable(makePod({ readySince: 10 }), 10, NOW)).toBe(false);
    expect(isPodAvailable(makePod({ readySince: 9 }), 10, NOW)).toBe(false);
  });

  it("is never available with minReadySeconds and no transition time", () => {
    expect(isPodAvailable(makePod({ readyNoTime: true }), 10, NOW)).toBe(false);
  });
});

describe("maxContainerRestarts", () => {
  it("is the highest restart count, 0 without container statuses", () => {
    expect(maxContainerRestarts(makePod({ restarts: [1, 7, 3] }))).toBe(7);
    expect(maxContainerRestarts(makePod())).toBe(0);
  });
});
