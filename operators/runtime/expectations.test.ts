import { describe, expect, it } from "vitest";
import { Expectations } from "./expectations.ts";
import { FakeClock } from "./queue/fake-clock.ts";

describe("Expectations", () => {
  it("is satisfied for an unknown owner", () => {
    expect(new Expectations().satisfied("ns/rs")).toBe(true);
  });

  it("waits for every expected creation", () => {
    const e = new Expectations();
    e.expectCreations("ns/rs", 2);
    e.creationObserved("ns/rs");
    expect(e.satisfied("ns/rs")).toBe(false);
    e.creationObserved("ns/rs");
    expect(e.satisfied("ns/rs")).toBe(true);
  });

  it("counts a deletion once even if observed twice", () => {
    const e = new Expectations();
    e.expectDeletions("ns/rs", ["a", "b"]);
    e.deletionObserved("ns/rs", "a");
    e.deletionObserved("ns/rs", "a");
    expect(e.satisfied("ns/rs")).toBe(false);
    e.deletionObserved("ns/rs", "b");
    expect(e.satisfied("ns/rs")).toBe(true);
  });

  it("stops waiting for creations that failed", () => {
    const e = new Expectations();
    e.expectCreations("ns/rs", 4);
    e.creationObserved("ns/rs");
    e.lowerCreations("ns/rs", 3);
    expect(e.satisfied("ns/rs")).toBe(true);
  });

  it("expires after five minutes", () => {
    const clock = new FakeClock();
    const e = new Expectations(clock);
    e.expectCreations("ns/rs", 1);
    clock.advance(5 * 60_000);
    expect(e.satisfied("ns/rs")).toBe(false);
    clock.advance(1);
    expect(e.satisfied("ns/rs")).toBe(true);
  });
});
