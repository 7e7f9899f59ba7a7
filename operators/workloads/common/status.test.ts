import { describe, expect, it, vi } from "vitest";
import { semanticEqual, updateStatusIfChanged } from "./status.ts";

describe("semanticEqual", () => {
  it("ignores key order and undefined members", () => {
    expect(semanticEqual({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
    expect(semanticEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
  });

  it("sees differences in values, lists and list order", () => {
    expect(semanticEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(semanticEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(semanticEqual({ a: [1] }, { a: [1, 1] })).toBe(false);
    expect(semanticEqual({ a: 1 }, { a: 1, b: 0 })).toBe(false);
    expect(semanticEqual([], {})).toBe(false);
    expect(semanticEqual(null, {})).toBe(false);
  });
});

describe("updateStatusIfChanged", () => {
  const obj = { metadata: { name: "x", resourceVersion: "7" }, status: { replicas: 1 } };

  it("writes nothing when the status is the same", async () => {
    const client = { updateStatus: vi.fn() };
    const result = await updateStatusIfChanged(client, obj, { replicas: 1 });
    expect(result).toEqual({ object: obj, written: false });
    expect(client.updateStatus).not.toHaveBeenCalled();
  });

  it("writes the whole object with the new status, keeping its resourceVersion", async () => {
    const client = { updateStatus: vi.fn(async (o: typeof obj) => ({ ...o, metadata: { ...o.metadata, resourceVersion: "8" } })) };
    const result = await updateStatusIfChanged(client, obj, { replicas: 2 });
    expect(client.updateStatus).toHaveBeenCalledWith({ metadata: { name: "x", resourceVersion: "7" }, status: { replicas: 2 } });
    expect(result.written).toBe(true);
    expect(result.object.metadata.resourceVersion).toBe("8");
  });

  it("compares with the given current status (e.g. the parsed one, defaults applied)", async () => {
    const client = { updateStatus: vi.fn() };
    const raw = { metadata: { name: "x", resourceVersion: "7" } };
    await updateStatusIfChanged(client, raw as typeof obj, { replicas: 0 }, { replicas: 0 });
    expect(client.updateStatus).not.toHaveBeenCalled();
  });
});
