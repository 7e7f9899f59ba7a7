import { describe, expect, it } from "vitest";
import { deployment, replicaSetFor } from "../testdata/fixtures.ts";
import { REVISION_ANNOTATION } from "./constants.ts";
import { appendRevisionHistory, lastRevision, maxRevision, revisionOf } from "./history.ts";

const d = deployment();
const rev = (r: number | string) =>
  replicaSetFor(d, typeof r === "number" ? { revision: r } : { annotations: { [REVISION_ANNOTATION]: r } });

describe("revisions", () => {
  it("reads 0 for none and undefined for a malformed one", () => {
    expect(revisionOf(replicaSetFor(d))).toBe(0);
    expect(revisionOf(rev(3))).toBe(3);
    expect(revisionOf(rev("x"))).toBeUndefined();
  });

  it("finds the highest and the second highest, skipping malformed ones", () => {
    expect(maxRevision([])).toBe(0);
    expect(maxRevision([rev(2), rev("x"), rev(11), rev(3)])).toBe(11);
    expect(lastRevision([rev(2), rev("x"), rev(11), rev(3)])).toBe(3);
    expect(lastRevision([rev(4)])).toBe(0);
    expect(lastRevision([rev(4), rev(4)])).toBe(4);
  });
});

describe("appendRevisionHistory", () => {
  it("starts, appends and trims from the front", () => {
    expect(appendRevisionHistory(undefined, "3")).toBe("3");
    expect(appendRevisionHistory("", "3")).toBe("3");
    expect(appendRevisionHistory("1,3", "5")).toBe("1,3,5");
    expect(appendRevisionHistory("1,3", "5", 4)).toBe("3,5");
    expect(appendRevisionHistory("1", "12345", 4)).toBeUndefined();
  });
});
