import { describe, expect, it } from "vitest";
import { kinds } from "../../api/index.ts";
import { cachedParser } from "./parse-cache.ts";
import { replicaSetObject } from "./testing.ts";

describe("cachedParser", () => {
  it("parses each raw object once, and a replaced object anew", () => {
    const parse = cachedParser(kinds.ReplicaSet);
    const raw = replicaSetObject();
    const first = parse(raw);
    expect(first.ok).toBe(true);
    expect(parse(raw)).toBe(first);
    expect(parse({ ...raw })).not.toBe(first);
  });

  it("caches failures too", () => {
    const parse = cachedParser(kinds.ReplicaSet);
    const raw = { ...replicaSetObject(), spec: { replicas: -1 } };
    const result = parse(raw);
    expect(result.ok).toBe(false);
    expect(parse(raw)).toBe(result);
  });
});
