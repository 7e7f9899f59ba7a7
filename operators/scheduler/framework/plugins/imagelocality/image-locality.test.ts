import { describe, expect, it } from "vitest";
import { snapshotFromObjects } from "../../snapshot.ts";
import { makeNode, makePod, scoreWith } from "../../testing.ts";
import { calculatePriority, imageLocality, MAX_CONTAINER_THRESHOLD, MIN_THRESHOLD } from "./image-locality.ts";

const MB = 1024 * 1024;

describe("ImageLocality", () => {
  it("scales the size of present images by their spread, between 23 MB and 1000 MB per container", () => {
    const snapshot = snapshotFromObjects([
      makeNode("has", { images: [{ names: ["registry/app:1.0"], sizeBytes: 500 * MB }] }),
      makeNode("hasnt"),
    ]);
    const pod = makePod("p", { containers: [{ name: "c", image: "registry/app:1.0" }] });
    // 500 MB × 1/2 spread = 250 MB → 100 × (250 − 23) / (1000 − 23) = 23
    expect(scoreWith(imageLocality(), pod, snapshot)).toEqual({ has: 23, hasnt: 0 });
  });

  it("normalizes untagged images to :latest", () => {
    const snapshot = snapshotFromObjects([makeNode("n", { images: [{ names: ["nginx:latest"], sizeBytes: 2000 * MB }] })]);
    expect(scoreWith(imageLocality(), makePod("p", { containers: [{ name: "c", image: "nginx" }] }), snapshot)).toEqual({ n: 100 });
  });

  it("clamps", () => {
    expect(calculatePriority(0, 1)).toBe(0);
    expect(calculatePriority(MIN_THRESHOLD, 1)).toBe(0);
    expect(calculatePriority(MAX_CONTAINER_THRESHOLD * 3, 2)).toBe(100);
  });
});
