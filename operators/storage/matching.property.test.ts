// Invariants of the matcher as the binder uses it: claims are taken one at a
// time (the binder's single worker), each binds the PV findBestMatchForClaim
// picks among what is left, and that PV is then Bound to it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AccessMode, PersistentVolume, PersistentVolumeClaim } from "../api/index.ts";
import { findBestMatchForClaim, volumeSatisfiesClaim } from "./matching.ts";
import { boundTo, pv, pvc } from "./testing.ts";

const MODE_SETS: AccessMode[][] = [["ReadWriteOnce"], ["ReadOnlyMany"], ["ReadWriteOnce", "ReadOnlyMany"], ["ReadWriteMany"], ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany"]];
const CLASSES = ["", "gold", "silver"];

interface Shape {
  sizeGi: number;
  modes: number;
  cls: number;
}

const shape = fc.record({ sizeGi: fc.integer({ min: 1, max: 20 }), modes: fc.integer({ min: 0, max: MODE_SETS.length - 1 }), cls: fc.integer({ min: 0, max: CLASSES.length - 1 }) });

function claimOf(i: number, s: Shape): PersistentVolumeClaim {
  return pvc(`c${i}`, `${s.sizeGi}Gi`, { modes: MODE_SETS[s.modes], className: CLASSES[s.cls] });
}

function volumeOf(i: number, s: Shape): PersistentVolume {
  return pv(`v${i}`, `${s.sizeGi}Gi`, { modes: MODE_SETS[s.modes], className: CLASSES[s.cls] });
}

/** Binds the claims in `order` as the binder's loop does; returns claim name → PV name. */
function bindAll(claims: readonly PersistentVolumeClaim[], volumes: readonly PersistentVolume[], order: readonly number[]): { bindings: Map<string, string>; volumes: PersistentVolume[] } {
  const current = [...volumes];
  const bindings = new Map<string, string>();
  for (const i of order) {
    const claim = claims[i];
    if (!claim) continue;
    const match = findBestMatchForClaim(claim, current, false);
    if (!match) continue;
    const at = current.indexOf(match);
    current[at] = boundTo(match, claim);
    bindings.set(claim.metadata.name ?? "", match.metadata.name ?? "");
  }
  return { bindings, volumes: current };
}

describe("matcher invariants", () => {
  it("never binds a volume twice, binds only what satisfies the claim, and leaves no claim Pending that an unbound volume could take", () => {
    fc.assert(
      fc.property(
        fc.array(shape, { minLength: 1, maxLength: 40 }),
        fc.array(shape, { minLength: 0, maxLength: 40 }),
        fc.infiniteStream(fc.nat()),
        (claimShapes, volumeShapes, randoms) => {
          const claims = claimShapes.map((s, i) => claimOf(i, s));
          const volumes = volumeShapes.map((s, i) => volumeOf(i, s));
          const order = shuffle(claims.map((_, i) => i), randoms);
          const { bindings, volumes: after } = bindAll(claims, volumes, order);
          const used = [...bindings.values()];
          expect(new Set(used).size).toBe(used.length);
          for (const [claimName, volumeName] of bindings) {
            const claim = claims.find((c) => c.metadata.name === claimName)!;
            const volume = volumes.find((v) => v.metadata.name === volumeName)!;
            expect(volumeSatisfiesClaim(volume, claim)).toBeUndefined();
          }
          for (const claim of claims) {
            if (bindings.has(claim.metadata.name ?? "")) continue;
            expect(findBestMatchForClaim(claim, after, false)).toBeUndefined();
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("binds 200 claims to 200 matching volumes one-to-one, whatever the order", () => {
    fc.assert(
      fc.property(fc.array(shape, { minLength: 200, maxLength: 200 }), fc.infiniteStream(fc.nat()), fc.infiniteStream(fc.nat()), (shapes, randomsA, randomsB) => {
        const claims = shapes.map((s, i) => claimOf(i, s));
        // Each claim's own volume, exactly its size, class and modes; shuffled.
        const volumes = shuffle(shapes.map((_, i) => i), randomsA).map((i) => volumeOf(i, shapes[i]!));
        const { bindings } = bindAll(claims, volumes, shuffle(claims.map((_, i) => i), randomsB));
        expect(bindings.size).toBe(200);
        expect(new Set(bindings.values()).size).toBe(200);
      }),
      { numRuns: 20 },
    );
  });
});

function shuffle(items: number[], randoms: fc.Stream<number>): number[] {
  const out = [...items];
  const it = randoms[Symbol.iterator]();
  for (let i = out.length - 1; i > 0; i--) {
    const j = (it.next().value as number) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
