import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../runtime/client/index.ts";
import type { ObjectKey, Patch } from "../../runtime/client/index.ts";
import type { ControllerRevision } from "./revision.ts";
import { currentRevisionOf, decideUpdateRevision, equalRevision, newRevision, revisionName, revisionsToTruncate, sortRevisions, templateOf } from "./revision.ts";
import { establishUpdateRevision } from "./revision-control.ts";
import { makeSet, setRef } from "./testing.ts";

const v1 = makeSet({ image: "registry.invalid/app:1", annotations: { note: "n" } });
const v2 = makeSet({ image: "registry.invalid/app:2" });

/** A stored revision: what newRevision makes, with a uid and a creation time. */
function stored(set = v1, revision = 1, created = "2024-05-01T10:00:00Z"): ControllerRevision {
  const r = newRevision(set, revision, 0);
  return { ...r, metadata: { ...r.metadata, uid: `uid-${r.metadata.name}-${revision}`, creationTimestamp: created } };
}

describe("newRevision", () => {
  it("is named <set>-<hash>, labelled with the template's labels and the hash, owned by the set", () => {
    const r = newRevision(v1, 1, 0);
    const hash = r.metadata.labels?.["controller.kubernetes.io/hash"] ?? "";
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(r).toMatchObject({
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: { name: `web-${hash}`, namespace: "ns", labels: { app: "web" }, annotations: { note: "n" }, ownerReferences: [setRef()] },
      revision: 1,
    });
  });

  it("records the template as a strategic merge patch that replaces it, as upstream", () => {
    const data = newRevision(v1, 1, 0).data as { spec: { template: Record<string, unknown> } };
    expect(Object.keys(data)).toEqual(["spec"]);
    expect(Object.keys(data.spec)).toEqual(["template"]);
    expect(data.spec.template.$patch).toBe("replace");
    expect(templateOf(newRevision(v1, 1, 0))).toEqual(v1.spec.template);
  });

  it("hashes consistently: the same template the same name, another template or collision count another", () => {
    expect(newRevision(v1, 1, 0).metadata.name).toBe(newRevision(makeSet({ image: "registry.invalid/app:1" }), 7, 0).metadata.name);
    expect(newRevision(v1, 1, 0).metadata.name).not.toBe(newRevision(v2, 1, 0).metadata.name);
    expect(newRevision(v1, 1, 0).metadata.name).not.toBe(newRevision(v1, 1, 1).metadata.name);
  });

  it("keeps 223 characters of a long set name", () => {
    expect(revisionName("x".repeat(300), "abc")).toBe(`${"x".repeat(223)}-abc`);
  });

  it("compares by data, whatever the key order the API server returns", () => {
    const a = stored();
    const reverse = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reverse) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverse(x)])) : v;
    const reordered = { ...a, data: reverse(a.data) };
    expect(JSON.stringify(reordered.data)).not.toBe(JSON.stringify(a.data));
    expect(equalRevision(a, reordered)).toBe(true);
    expect(equalRevision(a, stored(v2))).toBe(false);
  });
});

describe("decideUpdateRevision", () => {
  it("creates revision 1 for a new set", () => {
    const d = decideUpdateRevision(v1, []);
    expect(d.kind).toBe("create");
    expect(d.revision.revision).toBe(1);
  });

  it("keeps the newest revision when it records the template", () => {
    const history = [stored(v1, 1), stored(v2, 2)];
    expect(decideUpdateRevision(v2, history)).toEqual({ kind: "unchanged", revision: history[1] });
  });

  it("reuses an older revision on a rollback, bumping its number past the newest", () => {
    const history = [stored(v1, 1), stored(v2, 2)];
    expect(decideUpdateRevision(v1, history)).toEqual({ kind: "reuse", revision: history[0], to: 3 });
  });

  it("creates the next revision for a new template", () => {
    const d = decideUpdateRevision(makeSet({ image: "registry.invalid/app:3" }), [stored(v1, 1), stored(v2, 2)]);
    expect(d.kind).toBe("create");
    expect(d.revision.revision).toBe(3);
  });

  it("takes the current revision from status, else the update revision", () => {
    const history = [stored(v1, 1), stored(v2, 2)];
    const current = history[0] as ControllerRevision;
    expect(currentRevisionOf(makeSet({ image: "registry.invalid/app:2", status: { currentRevision: current.metadata?.name } }), history, history[1] as ControllerRevision)).toBe(current);
    expect(currentRevisionOf(v2, history, history[1] as ControllerRevision)).toBe(history[1]);
  });
});

describe("history", () => {
  it("sorts by number, then creation time, then name", () => {
    const a = stored(v1, 2, "2024-05-01T10:00:00Z");
    const b = stored(v2, 1, "2024-05-01T11:00:00Z");
    const c = { ...stored(v1, 2, "2024-05-01T09:00:00Z"), metadata: { ...stored(v1, 2).metadata, name: "web-z", creationTimestamp: "2024-05-01T09:00:00Z" } };
    expect(sortRevisions([a, b, c]).map((r) => r.metadata?.name)).toEqual([b.metadata?.name, "web-z", a.metadata?.name]);
  });

  it("truncates the oldest revisions that no pod, current or update uses, down to the limit", () => {
    const sets = [1, 2, 3, 4, 5].map((i) => makeSet({ image: `registry.invalid/app:${i}`, revisionHistoryLimit: 1 }));
    const history = sets.map((s, i) => stored(s, i + 1));
    const names = history.map((r) => r.metadata?.name ?? "");
    const live = [names[4] ?? "", names[3] ?? "", names[0] ?? ""];
    expect(revisionsToTruncate(sets[4] ?? v1, history, live).map((r) => r.metadata?.name)).toEqual([names[1]]);
    expect(revisionsToTruncate(makeSet({ revisionHistoryLimit: 10 }), history, live)).toEqual([]);
  });
});

describe("establishUpdateRevision", () => {
  const client = (existing: Map<string, ControllerRevision>) => ({
    create: vi.fn(async (r: ControllerRevision) => {
      const name = r.metadata?.name ?? "";
      if (existing.has(name)) throw new ApiError(409, "AlreadyExists", `controllerrevisions "${name}" already exists`);
      return r;
    }),
    get: vi.fn(async (key: ObjectKey) => existing.get(key.name) as ControllerRevision),
    patch: vi.fn(async (key: ObjectKey, patch: Patch) => ({ ...existing.get(key.name), ...(patch.patch as object) }) as ControllerRevision),
    delete: vi.fn(async () => ({})),
  });

  it("takes an existing revision with the same data as its own (the cache was behind)", async () => {
    const same = stored(v1, 1);
    const c = client(new Map([[same.metadata?.name ?? "", same]]));
    const out = await establishUpdateRevision(c, v1, decideUpdateRevision(v1, []), 0);
    expect(out).toEqual({ revision: same, collisionCount: 0 });
  });

  it("counts a hash collision and takes the next name", async () => {
    const candidate = newRevision(v1, 1, 0);
    const squatter = { ...stored(v2, 1), metadata: { ...stored(v2, 1).metadata, name: candidate.metadata.name } };
    const c = client(new Map([[candidate.metadata.name, squatter]]));
    const out = await establishUpdateRevision(c, v1, decideUpdateRevision(v1, []), 0);
    expect(out.collisionCount).toBe(1);
    expect(out.revision.metadata?.name).toBe(newRevision(v1, 1, 1).metadata.name);
    expect(c.create).toHaveBeenCalledTimes(2);
  });

  it("bumps the number of a reused revision with a patch, and creates no object", async () => {
    const history = [stored(v1, 1), stored(v2, 2)];
    const c = client(new Map(history.map((r) => [r.metadata?.name ?? "", r])));
    const out = await establishUpdateRevision(c, v1, decideUpdateRevision(v1, history), 0);
    expect(c.patch).toHaveBeenCalledWith({ namespace: "ns", name: history[0]?.metadata?.name }, { type: "merge", patch: { revision: 3 } });
    expect(c.create).not.toHaveBeenCalled();
    expect(out.revision.revision).toBe(3);
  });
});
