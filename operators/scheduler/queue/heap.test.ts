import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeyedHeap } from "./heap.ts";

interface Item {
  key: string;
  value: number;
}

const newHeap = () => new KeyedHeap<Item>((i) => i.key, (a, b) => a.value < b.value);

describe("KeyedHeap", () => {
  it("pops in order, updates and deletes by key", () => {
    const h = newHeap();
    for (const [key, value] of [["a", 5], ["b", 1], ["c", 3]] as const) h.push({ key, value });
    h.push({ key: "a", value: 0 });
    expect(h.size).toBe(3);
    expect(h.delete("c")?.value).toBe(3);
    expect(h.delete("zz")).toBeUndefined();
    expect([h.pop()?.key, h.pop()?.key, h.pop()]).toEqual(["a", "b", undefined]);
  });

  it("behaves like a sorted map under any operations", () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant("push" as const), key: fc.constantFrom("a", "b", "c", "d", "e"), value: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ t: fc.constant("pop" as const) }),
      fc.record({ t: fc.constant("delete" as const), key: fc.constantFrom("a", "b", "c", "d", "e") }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 100 }), (ops) => {
        const h = newHeap();
        const model = new Map<string, number>();
        for (const o of ops) {
          if (o.t === "push") {
            h.push({ key: o.key, value: o.value });
            model.set(o.key, o.value);
          } else if (o.t === "delete") {
            expect(h.delete(o.key)?.value).toBe(model.get(o.key));
            model.delete(o.key);
          } else {
            const top = h.pop();
            const min = Math.min(...model.values());
            expect(top?.value ?? Infinity).toBe(min);
            if (top) model.delete(top.key);
          }
          expect(h.size).toBe(model.size);
          expect(h.peek()?.value ?? Infinity).toBe(Math.min(...model.values()));
        }
      }),
    );
  });
});
