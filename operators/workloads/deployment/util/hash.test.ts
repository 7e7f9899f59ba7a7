import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deployment } from "../testdata/fixtures.ts";
import { canonicalJson, computeHash, fnv32a, safeEncodeString } from "./hash.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("fnv32a", () => {
  it("matches the FNV-1a test vectors", () => {
    expect(fnv32a(bytes(""))).toBe(0x811c9dc5);
    expect(fnv32a(bytes("a"))).toBe(0xe40c292c);
    expect(fnv32a(bytes("foobar"))).toBe(0xbf9cf968);
  });
});

describe("safeEncodeString", () => {
  it("maps each character into the alphabet without vowels", () => {
    expect(safeEncodeString("123")).toBe("567");
    expect(safeEncodeString("0")).toBe("4");
  });
});

describe("canonicalJson", () => {
  it("ignores key order and empty or absent values", () => {
    expect(canonicalJson({ b: 1, a: { d: [], c: "x", e: null, f: {} } })).toBe(canonicalJson({ a: { c: "x" }, b: 1 }));
  });

  it("keeps list order and falsy scalars", () => {
    expect(canonicalJson({ a: [2, 1] })).not.toBe(canonicalJson({ a: [1, 2] }));
    expect(canonicalJson({ a: 0, b: false, c: "" })).toBe('{"a":0,"b":false,"c":""}');
  });
});

describe("computeHash", () => {
  const template = deployment().spec.template;

  it("is stable for a template, whatever the key order", () => {
    const reordered = JSON.parse(JSON.stringify({ spec: template.spec, metadata: template.metadata }));
    expect(computeHash(reordered)).toBe(computeHash(template));
    expect(computeHash(structuredClone(template))).toBe(computeHash(template));
  });

  it("changes with the template and with the collision count", () => {
    const other = deployment({ image: "app:v2" }).spec.template;
    expect(computeHash(other)).not.toBe(computeHash(template));
    expect(computeHash(template, 1)).not.toBe(computeHash(template));
    expect(computeHash(template, 1)).not.toBe(computeHash(template, 2));
    expect(computeHash(template, 0)).not.toBe(computeHash(template));
  });

  it("is a short label value from the safe alphabet", () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { nil: undefined }), (image, collisions) => {
        const h = computeHash({ ...template, spec: { ...template.spec, containers: [{ name: "app", image }] } } as typeof template, collisions);
        expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
      }),
    );
  });
});
